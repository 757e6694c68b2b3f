import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/report/index.js";
import { emptyReport } from "../../src/report/types.js";
import { fixtureReport } from "./fixture.js";

describe("text summary", () => {
  it("counts by severity, suppressed, files, bytes and time", async () => {
    const out = await renderReport("text", fixtureReport(), { showSecrets: false });
    const last = out.trimEnd().split("\n").at(-1)!;
    expect(last).toBe("8 secrets found (3 critical, 2 high, 2 medium, 1 low) 42 files, 120.6 KiB in 1.23s · 1 suppressed (--show-suppressed) · skipped: 2 binary");
    expect(out).toContain("warning: shallow clone: history may be incomplete");
  });

  it("control characters in file names cannot drive the terminal", async () => {
    const out = await renderReport("text", fixtureReport(), { showSecrets: false, color: false });
    expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(out).toContain("ctl/esc\\u001b[31mred.txt");
    expect(out).toContain("notes/line\\u000abreak.txt");
  });

  it("a clean run says so, with the same counters", async () => {
    const r = emptyReport();
    r.stats = { files: 3, bytes: 2048, skipped: {}, durationMs: 50 };
    expect(await renderReport("text", r, { showSecrets: false })).toBe("No secrets found. 3 files, 2.0 KiB in 0.05s\n");
  });
});
