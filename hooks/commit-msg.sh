#!/bin/sh
# leakguard-hook: commit-msg
# Written by `leakguard hook install` (leakguard @LEAKGUARD_VERSION@); `leakguard hook uninstall` removes it.
# Scans the commit message. Fails closed: if leakguard cannot run, the commit is blocked too.

LEAKGUARD_NODE=@LEAKGUARD_NODE@
LEAKGUARD_BIN=@LEAKGUARD_BIN@

@LEAKGUARD_RUN@

# A hook that was here before leakguard runs first (--chain): a message it writes is scanned too.
chained="$(dirname "$0")/commit-msg.local"
# leakguard hook doctor self-tests leakguard's part alone (it sets LEAKGUARD_HOOK_NO_CHAIN to this one
# value): the chained hook must neither touch the work tree nor block the planted secret in its place.
if [ -x "$chained" ] && [ "${LEAKGUARD_HOOK_NO_CHAIN-}" != "doctor-self-test" ]; then
  "$chained" "$@" || exit $?
fi

run_leakguard staged --quiet --no-progress --fail-on-unscanned --format text --message-file "$1"
status=$?
if [ "$status" -eq 1 ]; then
  exit 1 # secrets found: leakguard has listed them
elif [ "$status" -ne 0 ]; then
  leakguard_blocked "$status" "commit-msg secret check" commit "leakguard hook install --type commit-msg --force"
  exit 1
fi

exit 0
