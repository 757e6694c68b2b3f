/**
 * What the npm package holds and how it loads from outside: the tarball's file
 * list (npm's own answer), `require("leakguard")` from a CommonJS project in a
 * real child process, its types under `module: commonjs`, and no dependency
 * that nothing imports.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { githubToken } from "../helpers/secrets.js";

// npm pack and two tsc runs: slow on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000 });

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  license: string;
  dependencies: Record<string, string>;
  exports: Record<string, Record<string, string>>;
};

const dirs: string[] = [];
afterAll(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A CommonJS project whose node_modules/leakguard links to this package (what a file: dependency installs). */
function consumerProject(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-consumer-"));
  dirs.push(d);
  mkdirSync(join(d, "node_modules"));
  symlinkSync(ROOT, join(d, "node_modules", "leakguard"), "dir");
  writeFileSync(join(d, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "commonjs" }));
  return d;
}

describe("the npm package", () => {
  it("ships LICENSE (MIT, as package.json says) and no source maps pointing at an unshipped src/", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License/);
    expect(license).toContain("leakguard contributors");
    // A code cache (bin/leakguard.js writes them beside cli.cjs) is made for one node: never shipped.
    const cache = join(ROOT, "dist/bundle/cli.cjs.0000000000000000-v0.0.0-test.v8cache");
    writeFileSync(cache, "");
    let out: string;
    try {
      out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } finally {
      rmSync(cache, { force: true });
    }
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toContain("LICENSE");
    expect(files).toEqual(expect.arrayContaining(["bin/leakguard.js", "bin/package.json", "dist/bundle/cli.cjs"]));
    expect(files.filter((f) => f.endsWith(".v8cache"))).toEqual([]);
    expect(files).toContain("dist/index.js");
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("src/"))).toEqual([]);
    // Nothing shipped names a map file either (a dangling sourceMappingURL).
    const withMapUrl = files.filter((f) => f.endsWith(".js") && readFileSync(join(ROOT, f), "utf8").includes("sourceMappingURL"));
    expect(withMapUrl).toEqual([]);
  });

  it("require('leakguard') works from a CommonJS project (Node 20.19+ loads the ESM build synchronously)", () => {
    const d = consumerProject();
    const token = githubToken(151);
    const script = `const lg = require("leakguard"); const f = lg.scanText("TOKEN=" + process.env.T); process.stdout.write(JSON.stringify({ fn: typeof lg.scanPaths, rules: f.map((x) => x.ruleId) }));`;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: d, encoding: "utf8", env: { ...process.env, T: token } });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ fn: "function", rules: ["github-pat"] });
    expect(pkg.exports["."]!.require).toBe(pkg.exports["."]!.import);
  });

  it("TypeScript with module commonjs type-checks require('leakguard') against the same declarations", () => {
    const d = consumerProject();
    writeFileSync(join(d, "use.ts"), `import lg = require("leakguard");\nconst n: number = lg.scanText("x").length;\nexport = n;\n`);
    writeFileSync(join(d, "bad.ts"), `import lg = require("leakguard");\nconst n: string = lg.scanText("x").length;\nexport = n;\n`);
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    // One compiler run over both files (each run costs about a second of CPU): use.ts must be clean.
    const args = [tsc, "--module", "commonjs", "--strict", "--noEmit", "--pretty", "false", "--types", "node", "--typeRoots", join(ROOT, "node_modules", "@types"), "use.ts", "bad.ts"];
    const r = spawnSync(process.execPath, args, { cwd: d, encoding: "utf8" });
    const errors = (r.stdout + r.stderr).split("\n").filter(Boolean);
    expect(errors.filter((l) => !l.startsWith("bad.ts("))).toEqual([]);
    // The types are real, not `any`: a wrong use is refused.
    expect(r.status).not.toBe(0);
    expect(errors.some((l) => l.startsWith("bad.ts(") && l.includes("not assignable to type 'string'"))).toBe(true);
  });

  it("every runtime dependency is imported by the source (no unused dependency)", () => {
    const sources: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith(".ts")) sources.push(readFileSync(join(dir, e.name), "utf8"));
      }
    };
    walk(join(ROOT, "src"));
    const all = sources.join("\n");
    const unused = Object.keys(pkg.dependencies).filter((dep) => !all.includes(`from "${dep}"`) && !all.includes(`import("${dep}")`));
    expect(unused).toEqual([]);
    expect(pkg.dependencies).not.toHaveProperty("simple-git");
  });
});
