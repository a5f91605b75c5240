#!/usr/bin/env bash
# test_systemd_unit.sh - deploy/systemd/leanon.service: systemd-analyze's offline security
# review scores it 2.0 or lower (the score is printed), and it keeps what leanon relies on:
# Type=notify with a watchdog, DynamicUser with StateDirectory, the Discord token as a
# credential, reload by SIGHUP, the config checked before start.
# Usage: test_systemd_unit.sh UNIT
set -uo pipefail
unit=$1
failed=0
if ! command -v systemd-analyze >/dev/null; then
  echo "FAIL systemd-analyze is not installed (Debian package systemd)"; exit 1
fi
report=$(SYSTEMD_COLORS=0 systemd-analyze security --offline=true --no-pager "$unit" 2>&1)
score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$report")
if [ -z "$score" ]; then
  echo "FAIL no score in systemd-analyze's report:"; echo "$report"; exit 1
fi
echo "systemd-analyze security --offline=true $(basename "$unit"): $score"
grep '^✗' <<<"$report" | sed 's/^/  /'
if ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
  echo "FAIL exposure $score is above 2.0"; failed=$((failed + 1))
fi
for line in 'Type=notify' 'NotifyAccess=main' 'WatchdogSec=30s' 'DynamicUser=yes' \
            'StateDirectory=leanon' 'LoadCredential=LEANON_DISCORD_TOKEN:/etc/leanon/discord-token' \
            'ExecReload=/bin/kill -HUP $MAINPID' \
            'ExecStartPre=/usr/local/bin/leanon run --config /etc/leanon/leanon.json --check' \
            'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' 'LimitNOFILE=65536'; do
  grep -qxF -- "$line" "$unit" || { echo "FAIL the unit lacks: $line"; failed=$((failed + 1)); }
done
[ "$failed" -eq 0 ]
