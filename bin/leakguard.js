#!/usr/bin/env node
// leakguard's command-line entry: the bundled program in dist/bundle/ (built by
// `npm run build`), or the unbundled modules in dist/cli/ when there is no bundle.
const start = (m) => m.main();
const failed = (e) => {
  if (e && e.code === "ERR_MODULE_NOT_FOUND") {
    process.stderr.write("leakguard: not built: run 'npm run build' in the leakguard package\n");
  } else {
    process.stderr.write(`leakguard: failed to start: ${e && e.message ? e.message : e}\n`);
  }
  process.exitCode = 2;
};
import("../dist/bundle/cli.js").then(start, (e) => {
  if (e && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/bundle/cli.js")) {
    return import("../dist/cli/main.js").then(start, failed);
  }
  failed(e);
});
