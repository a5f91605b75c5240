#!/usr/bin/env bash
# test_install.sh - `meson install` into a DESTDIR puts the binary, the response set, the
# manual page, the systemd unit and the examples where a Debian host expects them, and the installed binary
# (run from elsewhere, without LEANON_RESPONSES) finds the installed responses beside itself.
# Usage: test_install.sh BUILD_DIR PREFIX BINDIR DATADIR MANDIR
set -uo pipefail
build=$1 prefix=$2 bindir=$3 datadir=$4 mandir=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
if ! meson install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$tmp/log" 2>&1; then
  echo "FAIL meson install"; cat "$tmp/log"; exit 1
fi
failed=0
want() { # want TEST PATH WHAT
  if ! test "$1" "$dest$prefix/$2"; then echo "FAIL missing $3: $prefix/$2"; failed=$((failed + 1)); fi
}
want -x "$bindir/leanon" "the binary"
want -f "$datadir/leanon/responses/safety/helplines.json" "the crisis lines"
want -f "$datadir/leanon/responses/README.md" "the moderators' guide"
want -d "$datadir/leanon/responses/tests" "the golden conversations"
want -f "$mandir/man1/leanon.1" "the manual page"
want -f "lib/systemd/system/leanon.service" "the systemd unit"
want -f "$datadir/doc/leanon/examples/leanon.service" "the systemd unit example"
want -f "$datadir/doc/leanon/examples/discord.example.json" "the Discord example config"
man_page=$dest$prefix/$mandir/man1/leanon.1
if [ -f "$man_page" ]; then
  head -c 300 "$man_page" | grep -q '^\.TH "leanon" "1"' || { echo "FAIL leanon.1 is not a roff page"; failed=$((failed + 1)); }
  if command -v man >/dev/null; then
    MANWIDTH=100 man -l "$man_page" 2>/dev/null | grep -q "^COMMANDS" || { echo "FAIL man -l shows no COMMANDS section"; failed=$((failed + 1)); }
  fi
fi
# the installed binary, run from an unrelated folder, uses the installed responses
installed=$dest$prefix/$bindir/leanon
(cd "$tmp" && env -u LEANON_RESPONSES "$installed" console </dev/null >"$tmp/console" 2>&1)
rc=$?
want_dir="$dest$prefix/$bindir/../share/leanon/responses"
if [ "$rc" -ne 0 ] || ! grep -qF "talking to the response set in $want_dir" "$tmp/console"; then
  echo "FAIL installed leanon console (exit $rc) does not use $want_dir:"; cat "$tmp/console"
  failed=$((failed + 1))
fi
echo "installed into $dest$prefix: $failed failed"
[ "$failed" -eq 0 ]
