#!/usr/bin/env node
// leakguard's command-line entry: the bundled program in dist/bundle/ (built by
// `npm run build`), or the unbundled modules in dist/cli/ when there is no bundle.
//
// A CommonJS script (bin/package.json says so): node starts one without its ES
// module loader, so `leakguard --version` answers from package.json at about
// node's own start-up cost; every other command loads the program.
"use strict";

/** The version in leakguard's package.json, or undefined when it cannot be read (the program then answers). */
function packageVersion() {
  try {
    const pkg = JSON.parse(require("node:fs").readFileSync(require("node:path").join(__dirname, "..", "package.json"), "utf8"));
    return pkg.name === "leakguard" && typeof pkg.version === "string" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

const first = process.argv[2];
const version = first === "--version" || first === "-V" || first === "version" ? packageVersion() : undefined;
if (version !== undefined) {
  // A closed pipe (leakguard --version | true) ends quietly, as in the program.
  process.stdout.on("error", (e) => {
    if (e && e.code === "EPIPE") process.exit(0);
  });
  process.stdout.write(`${version}\n`);
} else {
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
}
