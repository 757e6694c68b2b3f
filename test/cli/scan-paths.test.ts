/**
 * How `leakguard scan` treats the paths the user names: an explicitly named
 * folder is scanned even when .gitignore excludes it (as ripgrep does), and
 * finding paths are relative to the scanned root. In process through
 * run(argv, io).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runIn } from "../helpers/in-process.js";
import { githubToken } from "../helpers/secrets.js";

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "lg-paths-"));
  dirs.push(d);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(d, p, ".."), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const files = (out: string): string[] => (JSON.parse(out) as { findings: Array<{ file: string }> }).findings.map((f) => f.file).sort();

describe("explicitly named paths", () => {
  const token = `TOKEN=${githubToken(71)}\n`;
  const tree = {
    ".gitignore": "node_modules/\n*.log\n",
    "node_modules/pkg/config.js": token,
    "node_modules/pkg/debug.log": token,
    "node_modules/pkg/.gitignore": "generated/\n",
    "node_modules/pkg/generated/out.js": token,
    "src/app.js": "ok\n",
  };

  it("a gitignored folder named on the command line is scanned; .gitignore still applies below it", async () => {
    const d = folder(tree);
    const all = await runIn(d, ["scan", ".", "--format", "json"]);
    expect(all.code).toBe(0);
    expect(files(all.stdout)).toEqual([]);
    const named = await runIn(d, ["scan", "node_modules", "--format", "json"]);
    expect(named.code).toBe(1);
    expect(files(named.stdout)).toEqual(["node_modules/pkg/config.js"]);
    const deeper = await runIn(d, ["scan", "node_modules/pkg", "--format", "json"]);
    expect(files(deeper.stdout)).toEqual(["node_modules/pkg/config.js"]);
    // A gitignored file named explicitly is scanned too.
    const file = await runIn(d, ["scan", "node_modules/pkg/debug.log", "--format", "json"]);
    expect(files(file.stdout)).toEqual(["node_modules/pkg/debug.log"]);
  });

  it("--no-gitignore still scans everything", async () => {
    const d = folder(tree);
    const r = await runIn(d, ["scan", ".", "--no-gitignore", "--format", "json"]);
    expect(files(r.stdout)).toEqual(["node_modules/pkg/config.js", "node_modules/pkg/debug.log", "node_modules/pkg/generated/out.js"]);
  });
});
