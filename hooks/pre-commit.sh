#!/bin/sh
# leakguard-hook: pre-commit
# Written by `leakguard hook install` (leakguard @LEAKGUARD_VERSION@); `leakguard hook uninstall` removes it.
# Scans what this commit records (the staged content, added lines). Fails closed:
# if leakguard cannot run, the commit is blocked too.

LEAKGUARD_NODE=@LEAKGUARD_NODE@
LEAKGUARD_BIN=@LEAKGUARD_BIN@

@LEAKGUARD_RUN@

run_leakguard staged --quiet --no-progress --format text
status=$?
if [ "$status" -eq 1 ]; then
  exit 1
elif [ "$status" -ne 0 ]; then
  echo "leakguard: the pre-commit secret check could not run (exit code $status), so the commit is blocked to be safe." >&2
  echo "  Fix the problem above (or reinstall: leakguard hook install --force)." >&2
  echo "  If you must commit now: git commit --no-verify" >&2
  exit 1
fi

# A hook that was here before leakguard runs after it (leakguard hook install --chain).
chained="$(dirname "$0")/pre-commit.local"
if [ -x "$chained" ]; then
  exec "$chained" "$@"
fi
exit 0
