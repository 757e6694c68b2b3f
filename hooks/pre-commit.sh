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
  exit 1 # secrets found: leakguard has listed them
elif [ "$status" -ne 0 ]; then
  leakguard_blocked "$status" "pre-commit secret check" commit "leakguard hook install --force"
  exit 1
fi

# A hook that was here before leakguard runs after it (leakguard hook install --chain).
chained="$(dirname "$0")/pre-commit.local"
if [ -x "$chained" ]; then
  exec "$chained" "$@"
fi
exit 0
