/**
 * `leakguard --version` answers from bin/leakguard.js itself (package.json
 * beside it) without loading the program: shown by copies of the package's
 * bin/ that have no dist/ beside them. When package.json cannot tell, the
 * program answers as before.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

const read = (rel: string): string => readFileSync(new URL(`../../${rel}`, import.meta.url), "utf8");
const pkg = JSON.parse(read("package.json")) as { version: string };
/** A package folder holding bin/ and the given package.json, and no dist/. */
const binOnly = (packageJson: string): string =>
  tempFolder({ "bin/leakguard.js": read("bin/leakguard.js"), "bin/package.json": read("bin/package.json"), "package.json": packageJson }, "lg-bin-");
const runBin = (dir: string, ...args: string[]) => spawnSync(process.execPath, [join(dir, "bin/leakguard.js"), ...args], { encoding: "utf8" });

afterAll(removeTempFolders);

describe("bin/leakguard.js --version", () => {
  it("prints package.json's version without loading the program (no dist/ needed), for --version, -V and version", () => {
    const dir = binOnly(JSON.stringify({ name: "leakguard", version: "9.8.7" }));
    for (const flag of ["--version", "-V", "version"]) {
      const r = runBin(dir, flag);
      expect([r.status, r.stdout, r.stderr]).toEqual([0, "9.8.7\n", ""]);
    }
  });

  it("leaves every other command, and a package.json that is not leakguard's, to the program", () => {
    const dir = binOnly(JSON.stringify({ name: "other", version: "1.0.0" }));
    for (const args of [["--version"], ["--help"], ["staged"]]) {
      const r = runBin(dir, ...args);
      expect([r.status, r.stdout, r.stderr]).toEqual([2, "", "leakguard: not built: run 'npm run build' in the leakguard package\n"]);
    }
  });

  it("says what the built program says", () => {
    const bin = fileURLToPath(new URL("../../bin/leakguard.js", import.meta.url));
    expect(execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" })).toBe(`${pkg.version}\n`);
  });
});
