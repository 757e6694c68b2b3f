#!/bin/sh
# leakguard-hook: pre-push
# Written by `leakguard hook install` (leakguard @LEAKGUARD_VERSION@); `leakguard hook uninstall` removes it.
# Scans the commits this push sends. Fails closed: if leakguard cannot run, the push is blocked too.

LEAKGUARD_NODE=@LEAKGUARD_NODE@
LEAKGUARD_BIN=@LEAKGUARD_BIN@

@LEAKGUARD_RUN@

# git writes "<local ref> <local sha> <remote ref> <remote sha>" lines; keep them for a chained hook.
input=$(cat)
printf '%s\n' "$input" | run_leakguard push --quiet --no-progress --fail-on-unscanned --format text --remote "$1"
status=$?
if [ "$status" -eq 1 ]; then
  exit 1 # secrets found: leakguard has listed them
elif [ "$status" -ne 0 ]; then
  leakguard_blocked "$status" "pre-push secret check" push "leakguard hook install --type pre-push --force"
  exit 1
fi

chained="$(dirname "$0")/pre-push.local"
if [ -x "$chained" ]; then
  printf '%s\n' "$input" | "$chained" "$@"
  exit $?
fi
exit 0
