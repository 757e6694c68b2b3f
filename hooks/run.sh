# Finds the leakguard that installed this hook; falls back to the project's
# own copy, then one on PATH, then npx (no download).
run_leakguard() {
  if [ -f "$LEAKGUARD_BIN" ] && [ -x "$LEAKGUARD_NODE" ]; then
    "$LEAKGUARD_NODE" "$LEAKGUARD_BIN" "$@"
  elif [ -f "$LEAKGUARD_BIN" ] && command -v node >/dev/null 2>&1; then
    node "$LEAKGUARD_BIN" "$@"
  elif [ -x ./node_modules/.bin/leakguard ]; then
    ./node_modules/.bin/leakguard "$@"
  elif command -v leakguard >/dev/null 2>&1; then
    command leakguard "$@"
  elif command -v npx >/dev/null 2>&1; then
    npx --no-install leakguard "$@"
  else
    echo "leakguard: not found: $LEAKGUARD_BIN is gone and there is no leakguard in node_modules or on PATH." >&2
    return 127
  fi
}
