/**
 * The tree walk opens a folder's `.gitignore` only when the folder lists one
 * (a failed open per folder cost a syscall and a thrown error), and still
 * applies every one it lists, nested ones included. Real files in a temporary
 * folder; the real open is counted, not replaced.
 */
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createScanner } from "../../src/core/scanner.js";
import { scanFiles } from "../../src/sources/files.js";
import { githubToken } from "../helpers/secrets.js";
import { removeTempFolders, tempFolder } from "../helpers/temp-folder.js";

afterAll(removeTempFolders);
afterEach(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
});

describe("the walk's .gitignore reads", () => {
  it("opens .gitignore only in the folders that list one, and applies each", async () => {
    const env = `TOKEN=${githubToken(7)}\n`;
    const d = tempFolder(
      {
        ".gitignore": "/skipped/\n",
        "skipped/a.env": env,
        "plain/a.env": env,
        "plain/deeper/a.env": env,
        "nested/.gitignore": "b.env\n",
        "nested/a.env": env,
        "nested/b.env": env,
      },
      "lg-walk-ignore-",
    );
    const scanner = createScanner(loadConfig({ root: tmpdir(), noConfigFile: true }));
    const spy = vi.spyOn(fs, "openSync");
    syncBuiltinESMExports();
    const report = await scanFiles(scanner, [d], { root: d, workers: 0 });
    const ignoreOpens = spy.mock.calls.map((c) => String(c[0])).filter((p) => p.endsWith(".gitignore"));
    // Each one is also opened to be scanned as a file; no folder without one is asked.
    expect([...new Set(ignoreOpens.map((p) => p.slice(d.length)))].sort()).toEqual(["/.gitignore", "/nested/.gitignore"]);
    expect([...new Set(report.findings.map((f) => f.file))].sort()).toEqual(["nested/a.env", "plain/a.env", "plain/deeper/a.env"]);
  });
});
