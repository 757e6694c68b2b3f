#!/bin/sh
# leakguard-hook: commit-msg
# Written by `leakguard hook install` (leakguard @LEAKGUARD_VERSION@); `leakguard hook uninstall` removes it.
# Scans the commit message. Fails closed: if leakguard cannot run, the commit is blocked too.

LEAKGUARD_NODE=@LEAKGUARD_NODE@
LEAKGUARD_BIN=@LEAKGUARD_BIN@

@LEAKGUARD_RUN@

run_leakguard staged --quiet --no-progress --format text --message-file "$1"
status=$?
if [ "$status" -eq 1 ]; then
  exit 1
elif [ "$status" -ne 0 ]; then
  echo "leakguard: the commit-msg secret check could not run (exit code $status), so the commit is blocked to be safe." >&2
  echo "  Fix the problem above (or reinstall: leakguard hook install --type commit-msg --force)." >&2
  echo "  If you must commit now: git commit --no-verify" >&2
  exit 1
fi

chained="$(dirname "$0")/commit-msg.local"
if [ -x "$chained" ]; then
  exec "$chained" "$@"
fi
exit 0
