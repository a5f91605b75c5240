#!/usr/bin/env bash
# test_config_errors.sh - `leanon run --config` refuses the configs of the defects found from
# outside (issue 10) before anything connects: exit 1 and exactly one line on stderr,
# "file:line:column: error: key: what to do", the column that of the bad value.
# usage: test_config_errors.sh LEANON
set -uo pipefail
leanon=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME="$tmp/state" LEANON_DISCORD_TOKEN=not-a-real-token
failed=0

# expect NAME CONFIG-TEXT WANTED-STDERR (the file is $tmp/NAME.json)
expect() {
  printf '%s' "$2" > "$tmp/$1.json"
  timeout 10 "$leanon" run --config "$tmp/$1.json" --listen 127.0.0.1:0 > "$tmp/out" 2> "$tmp/err"
  local rc=$? want="$tmp/$1.json:$3"
  if [ "$rc" -ne 1 ] || [ "$(cat "$tmp/err")" != "$want" ] || [ -s "$tmp/out" ]; then
    printf '%s: exit %s\n  got:  %s\n  want: %s\n' "$1" "$rc" "$(cat "$tmp/err")" "$want"
    failed=1
  fi
}

expect userinfo '{"platforms": {"discord": {"api_base": "http://127.0.0.1:1@127.0.0.2:9/api"}}}' \
  "1:40: error: platforms.discord.api_base: user-info (a name or password and '@' before the host) is not allowed: this URL would connect to \"127.0.0.2\"; remove everything between \"//\" and '@' (see docs/discord.md)"
expect gateway-userinfo '{"platforms": {"discord": {"gateway_url": "ws://127.0.0.1:1@127.0.0.2:9/"}}}' \
  "1:43: error: platforms.discord.gateway_url: user-info (a name or password and '@' before the host) is not allowed: this URL would connect to \"127.0.0.2\"; remove everything between \"//\" and '@' (see docs/discord.md)"
expect shard-id '{"platforms": {"discord": {
  "shard_id": 4294967296, "shard_count": 1}}}' \
  "2:15: error: platforms.discord.shard_id: expected a whole number from 0 to 65534, below shard_count (see docs/discord.md)"
expect max-sessions '{"max_sessions": 1.5}' \
  "1:18: error: max_sessions: expected a whole number from 1 to 10000000"
expect escaped-key '{"communities": {"a\u0062": {"bogus": 1}}}' \
  "1:39: error: communities.ab.bogus: unknown setting; the settings are described in docs/running.md"
[ "$failed" -eq 0 ] && echo "config errors: 5 refused, each located at its value"
exit "$failed"
