// Build step: bundles the command-line program into dist/bundle/ (esbuild), so
// that a command loads a handful of files instead of ~70 modules: the
// pre-commit hook pays module loading on every commit. Commands, reporters and
// worker threads stay separate chunks, loaded only when used. The library
// (dist/index.js) stays unbundled.
//
// Modules find their data relative to themselves (dist/rules.json, the hooks/
// folder, worker scripts); dist/bundle/ sits at the same depth as dist/<layer>/,
// so those paths hold, and every worker script becomes an entry of the same name.
//
// bin/leakguard.js runs a second build of the same program: one CommonJS file,
// compiled with V8's code cache (see bin/leakguard.js): an ES module cannot use
// one on Node 20, and loading a dozen chunks costs resolving and linking each.
// It comes twice: dist/bundle/cli.cjs, and cli-staged.cjs for the pre-commit
// hook (below). Each one's first line names the hash of its content, so a code
// cache is never used with another build of the file.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const { asciiEscape } = await import(new URL("../dist/ruleset/ascii.js", import.meta.url).href);
const OUT = join(DIST, "bundle");

const jsFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "bundle" ? [] : jsFiles(join(dir, e.name))) : e.name.endsWith(".js") ? [join(dir, e.name)] : [],
  );

// Worker scripts: `new URL("./x.js", import.meta.url)` in a module that starts a Worker.
const entryPoints = { cli: join(DIST, "cli/main.js") };
for (const file of jsFiles(DIST)) {
  const text = readFileSync(file, "utf8");
  if (!text.includes("new Worker(")) continue;
  for (const m of text.matchAll(/new URL\("\.\/([\w-]+)\.js", import\.meta\.url\)/g)) {
    const name = m[1];
    const path = join(dirname(file), `${name}.js`);
    if (entryPoints[name] && entryPoints[name] !== path) throw new Error(`two worker scripts named ${name}.js`);
    entryPoints[name] = path;
  }
}

// The version is written into the bundles (src/version.ts reads package.json only unbundled, as
// here): reading it cost every run a failed open, its exception and a JSON parse before main.
const { VERSION } = await import(new URL("../dist/version.js", import.meta.url).href);
const VERSION_DEFINE = { LEAKGUARD_BUNDLED_VERSION: JSON.stringify(VERSION) };

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  define: VERSION_DEFINE,
  // CommonJS dependencies (micromatch, ignore) call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __leakguardRequire } from "node:module"; const require = __leakguardRequire(import.meta.url);' },
});

// The single-file CommonJS builds: import.meta.url becomes the file's own URL
// (a constant of the module, as in ES modules), so it finds its data files and
// the worker scripts of the build above from the same folder.
//
// cli-staged.cjs is the program as `leakguard staged` (the pre-commit hook) runs
// it, and bin/leakguard.js starts it for that command only: the other commands'
// modules and gitleaks' command line are left out (never loaded there), which
// makes the file every commit reads and compiles two fifths smaller.
const OTHER_COMMANDS = /^\.\/(commands\/[\w-]+|gitleaks)\.js$/;
const stagedOnly = {
  name: "staged-only",
  setup(b) {
    b.onResolve({ filter: OTHER_COMMANDS }, (a) => (a.path === "./commands/staged.js" ? undefined : { path: a.path, namespace: "left-out" }));
    // Should one be asked for anyway: "command '…' is not available in this build" (cli/main.ts).
    b.onLoad({ filter: /.*/, namespace: "left-out" }, (a) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`${a.path} is not in cli-staged.cjs`)}), { code: "ERR_MODULE_NOT_FOUND" });`,
      loader: "js",
    }));
  },
};

/** Writes one CommonJS build of the program; its first line is `// leakguard-cli <hash of the rest>`. */
async function commonJsBuild(name, plugins) {
  const cjs = await build({
    entryPoints: [join(DIST, "cli/main.js")],
    write: false,
    outfile: join(OUT, name),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    banner: { js: '"use strict";\nconst __leakguardModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { "import.meta.url": "__leakguardModuleUrl", ...VERSION_DEFINE },
    plugins,
  });
  // esbuild leaves non-ASCII characters in regex literals and comments: escaped here
  // (\uXXXX per UTF-16 unit means the same there, and in strings and names), so
  // node reads the file on its ASCII fast path and V8 compiles a one-byte string.
  // The program has no tagged templates, whose raw text an escape would change.
  const body = asciiEscape(cjs.outputFiles[0].text);
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 16);
  writeFileSync(join(OUT, name), `// leakguard-cli ${hash}\n${body}`);
}
await commonJsBuild("cli.cjs", []);
await commonJsBuild("cli-staged.cjs", [stagedOnly]);

console.error(`bundled the CLI into ${relative(join(DIST, ".."), OUT)}/ (entries: ${Object.keys(entryPoints).map((n) => basename(n)).join(", ")}; cli.cjs, cli-staged.cjs)`);
