// Build step: bundles the command-line program into dist/bundle/ (esbuild), so
// that a command loads a handful of files instead of ~70 modules: the
// pre-commit hook pays module loading on every commit. Commands, reporters and
// worker threads stay separate chunks, loaded only when used. The library
// (dist/index.js) stays unbundled.
//
// Modules find their data relative to themselves (dist/rules.json, the hooks/
// folder, worker scripts); dist/bundle/ sits at the same depth as dist/<layer>/,
// so those paths hold, and every worker script becomes an entry of the same name.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
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
  // CommonJS dependencies (micromatch, ignore) call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __leakguardRequire } from "node:module"; const require = __leakguardRequire(import.meta.url);' },
});
console.error(`bundled the CLI into ${relative(join(DIST, ".."), OUT)}/ (entries: ${Object.keys(entryPoints).map((n) => basename(n)).join(", ")})`);
