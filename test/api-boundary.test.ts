/**
 * The library's boundary (issue 14, item 7): one error hierarchy, arguments
 * checked with one-line errors, a missing config root refused, and only the
 * documented set exported.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as lg from "../src/index.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "lg-boundary-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `fn` and returns what it threw (sync or async). */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

function expectOneLine(e: unknown, cls: abstract new (...a: never[]) => Error, text: RegExp): void {
  expect(e).toBeInstanceOf(cls);
  expect(e).toBeInstanceOf(lg.LeakguardError);
  expect((e as Error).message).toMatch(text);
  expect((e as Error).message).not.toContain("\n");
}

describe("one error hierarchy", () => {
  it("ConfigError, RuleError and RegexSyntaxError are LeakguardErrors", async () => {
    const d = tempDir();
    writeFileSync(join(d, ".leakguard.toml"), "[[rules]]\nid = 'x'\nregex = '(unclosed'\n");
    const config = await thrown(() => lg.loadConfig({ root: d }));
    expect(config).toBeInstanceOf(lg.ConfigError);
    expect(config).toBeInstanceOf(lg.LeakguardError);
    const rule = await thrown(() => lg.createScanner({ rules: [{ id: "bad", regex: "(" } as lg.RuleDef], allowlists: [], scan: {} }));
    expect(rule).toBeInstanceOf(lg.LeakguardError);
    expect(new lg.RuleError("r")).toBeInstanceOf(lg.LeakguardError);
    expect(new lg.RegexSyntaxError("r")).toBeInstanceOf(lg.LeakguardError);
    for (const C of [lg.UsageError, lg.GitError, lg.InputError, lg.ArgumentError]) expect(new C("m")).toBeInstanceOf(lg.LeakguardError);
  });
});

describe("arguments checked at the boundary", () => {
  it("scanText(42) names the function and the argument", async () => {
    expectOneLine(await thrown(() => lg.scanText(42 as unknown as string)), lg.ArgumentError, /^scanText: text must be a string, got a number$/);
    expectOneLine(await thrown(() => lg.scanText("x", { path: 7 } as unknown as lg.ScanTextOptions)), lg.ArgumentError, /scanText: options\.path must be a string/);
    expectOneLine(await thrown(() => lg.scanText("x", "a.txt" as unknown as lg.ScanTextOptions)), lg.ArgumentError, /scanText: options must be an object, got a string/);
  });

  it("scanPaths, scanStaged, scanHistory, scanInventory, createScanner check their arguments", async () => {
    expectOneLine(await thrown(() => lg.scanPaths("src" as unknown as string[])), lg.ArgumentError, /^scanPaths: paths must be an array of strings/);
    expectOneLine(await thrown(() => lg.scanStaged({ cwd: 1 } as unknown as lg.ScanStagedOptions)), lg.ArgumentError, /^scanStaged: options\.cwd must be a string/);
    expectOneLine(await thrown(() => lg.scanHistory({ since: new Date() } as unknown as lg.ScanHistoryOptions)), lg.ArgumentError, /^scanHistory: options\.since must be a string, got an object/);
    expectOneLine(await thrown(() => lg.scanInventory(null as unknown as lg.ScanInventoryOptions)), lg.ArgumentError, /^scanInventory: options must be an object, got null/);
    expectOneLine(await thrown(() => lg.createScanner({} as lg.ResolvedConfig)), lg.ArgumentError, /^createScanner: config must be a configuration from loadConfig\(\)/);
    expectOneLine(await thrown(() => lg.renderReport("yaml", { findings: [], suppressed: [], warnings: [], stats: { files: 0, bytes: 0, skipped: {}, durationMs: 0 } }, { showSecrets: false })), lg.ArgumentError, /renderReport: unknown format "yaml"/);
  });

  it("loadConfig refuses a root that does not exist instead of returning the defaults", async () => {
    const missing = join(tempDir(), "nope");
    expectOneLine(await thrown(() => lg.loadConfig({ root: missing })), lg.InputError, /no such directory/);
    const file = join(tempDir(), "file.txt");
    writeFileSync(file, "x");
    expectOneLine(await thrown(() => lg.loadConfig({ root: file })), lg.InputError, /no such directory/);
    // A real folder without a config file still gives the built-in rules.
    expect(lg.loadConfig({ root: tempDir() }).rules.length).toBeGreaterThan(10);
  });
});

describe("the public surface", () => {
  it("exports the documented set only", () => {
    const names = Object.keys(lg).sort();
    expect(names).toEqual(
      [
        "ArgumentError", "ConfigError", "FINGERPRINT_KEY_ENV", "resolveFingerprintSalt", "GitError", "InputError", "LeakguardError", "RegexSyntaxError", "RuleError", "UsageError",
        "checkRules", "createScanner", "mergeInventories", "parseInventoryJson", "readInventoryFile", "fingerprintOf", "loadConfig", "readBaseline", "redactFinding", "redactReport", "redactSecret",
        "renderInventory", "renderReport", "scanHistory", "scanInventory", "scanPaths", "scanPush", "scanStaged", "scanText", "updateBaseline", "writeBaseline", "makeBaseline",
      ].sort(),
    );
  });
});
