#!/usr/bin/env node
// leakguard's command-line entry: everything lives in dist/cli/main.js.
import("../dist/cli/main.js").then(
  (m) => m.main(),
  (e) => {
    if (e && e.code === "ERR_MODULE_NOT_FOUND") {
      process.stderr.write("leakguard: not built: run 'npm run build' in the leakguard package\n");
    } else {
      process.stderr.write(`leakguard: failed to start: ${e && e.message ? e.message : e}\n`);
    }
    process.exitCode = 2;
  },
);
