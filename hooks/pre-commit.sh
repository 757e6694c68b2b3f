#!/bin/sh
# leakguard-hook: pre-commit
# Written by `leakguard hook install` (leakguard @LEAKGUARD_VERSION@); `leakguard hook uninstall` removes it.
# Scans what this commit records (the staged content, added lines). Fails closed:
# if leakguard cannot run, the commit is blocked too.

LEAKGUARD_NODE=@LEAKGUARD_NODE@
LEAKGUARD_BIN=@LEAKGUARD_BIN@

@LEAKGUARD_RUN@

# A hook that was here before leakguard runs first (leakguard hook install --chain): what it
# stages (a formatter's `git add -u`) is part of the commit, so leakguard scans it too.
chained="$(dirname "$0")/pre-commit.local"
# leakguard hook doctor self-tests leakguard's part alone (it sets LEAKGUARD_HOOK_NO_CHAIN to this one
# value): the chained hook must neither touch the work tree nor block the planted secret in its place.
if [ -x "$chained" ] && [ "${LEAKGUARD_HOOK_NO_CHAIN-}" != "doctor-self-test" ]; then
  "$chained" "$@" || exit $?
fi

# git lists the staged change here, while node starts, and leakguard reads it
# from the pipe: LEAKGUARD_STAGED_DIFF names the command, and the last line
# git's exit status. leakguard takes git's output only when both are as it
# expects (the same command, status 0), and otherwise runs git itself; an
# older leakguard ignores the variable and runs git itself.
{
  @LEAKGUARD_STAGED_DIFF_UNSET@
  @LEAKGUARD_STAGED_DIFF_COMMAND@ 2>/dev/null
  printf '\nleakguard-staged-diff-exit %s\n' "$?" 2>/dev/null # node may have stopped reading
} | (
  LEAKGUARD_STAGED_DIFF=@LEAKGUARD_STAGED_DIFF_WORDS@
  export LEAKGUARD_STAGED_DIFF
  run_leakguard staged --quiet --no-progress --fail-on-unscanned --format text
)
status=$?
if [ "$status" -eq 1 ]; then
  exit 1 # secrets found: leakguard has listed them
elif [ "$status" -ne 0 ]; then
  leakguard_blocked "$status" "pre-commit secret check" commit "leakguard hook install --force"
  exit 1
fi

exit 0
