# Runs leakguard: the copy that installed this hook ($LEAKGUARD_NODE running
# $LEAKGUARD_BIN); if that copy is gone, the project's own
# (./node_modules/.bin/leakguard), then one on PATH. Never downloads anything
# and never touches the network (no npx). Returns leakguard's exit code
# (0 clean, 1 secrets found, 2 leakguard could not run), or 127 after saying
# what is missing and how to fix it.
run_leakguard() {
  # The node that installed the hook, else one on PATH.
  if [ -x "$LEAKGUARD_NODE" ]; then
    lg_node=$LEAKGUARD_NODE
  else
    lg_node=$(command -v node 2>/dev/null)
  fi
  if [ -f "$LEAKGUARD_BIN" ]; then
    if [ -z "$lg_node" ]; then
      echo "leakguard: node is not on PATH, and $LEAKGUARD_NODE (the node that installed this hook) is gone, so the hook cannot run $LEAKGUARD_BIN." >&2
      echo "  Fix: install Node.js 20 or newer on the PATH git hooks see (GUI git clients may have a shorter PATH), then run: leakguard hook install --force" >&2
      return 127
    fi
    # NODE_EXTRA_CA_CERTS emptied for leakguard alone: it opens no network connection, and node would
    # load that certificate file at start-up (~40 ms on a commit).
    NODE_EXTRA_CA_CERTS= "$lg_node" "$LEAKGUARD_BIN" "$@"
    return $?
  fi
  if [ -x ./node_modules/.bin/leakguard ]; then
    lg_cmd=./node_modules/.bin/leakguard
  elif command -v leakguard >/dev/null 2>&1; then
    lg_cmd=$(command -v leakguard)
  else
    echo "leakguard: leakguard is not installed at $LEAKGUARD_BIN (where 'leakguard hook install' found it), nor in ./node_modules/.bin, nor on PATH." >&2
    echo "  Fix: install leakguard in this project (its README: Install), then run: ./node_modules/.bin/leakguard hook install --force" >&2
    return 127
  fi
  if [ -z "$lg_node" ]; then
    echo "leakguard: node is not on PATH, so the hook cannot run $lg_cmd." >&2
    echo "  Fix: install Node.js 20 or newer on the PATH git hooks see (GUI git clients may have a shorter PATH), then run: leakguard hook install --force" >&2
    return 127
  fi
  # The shim starts node through PATH: let it find the node found here.
  PATH="$(dirname "$lg_node"):$PATH" NODE_EXTRA_CA_CERTS= "$lg_cmd" "$@"
}

# Explains a status other than 0 (clean) and 1 (secrets found): $1 status,
# $2 the check, $3 the git action blocked, $4 the reinstall command.
leakguard_blocked() {
  case "$1" in
    2) why="leakguard exit code 2: leakguard could not run; the line above says why" ;;
    126 | 127) why="exit code $1: the hook cannot run leakguard; the lines above say what is missing" ;;
    *) why="exit code $1: leakguard crashed or was stopped; only 0, 1 and 2 are its own answers" ;;
  esac
  echo "leakguard: the $2 could not run ($why), so the $3 is blocked to be safe." >&2
  echo "  Fix the problem above (or reinstall: $4)." >&2
  echo "  If you must $3 now: git $3 --no-verify" >&2
}
