import { describe, expect, it } from "vitest";
import { progressLine } from "../../src/cli/commands/history.js";
import type { CommandContext } from "../../src/cli/context.js";

function ctx(flags: Record<string, boolean>, isTTY: boolean): { c: CommandContext; out: string[] } {
  const out: string[] = [];
  const stderr = { isTTY, write: (s: string) => (out.push(s), true) } as unknown as CommandContext["io"]["stderr"];
  const c = { command: "history", flags, positionals: [], io: { stderr, stdout: process.stdout, stdin: process.stdin, cwd: "/", env: {} } } as unknown as CommandContext;
  return { c, out };
}

describe("history progress line", () => {
  it("shows commits, blobs, MB, MB/s and ETA on a TTY", () => {
    const { c, out } = ctx({}, true);
    progressLine(c)!({ commits: 50, totalCommits: 200, blobs: 120, bytes: 10 * 1048576, elapsedMs: 2000 });
    expect(out.join("")).toBe("\r\x1b[2Khistory: 50/200 commits, 120 blobs, 10.0 MB, 5.0 MB/s, ETA 6s");
  });

  it("is silent when not a TTY, with --no-progress or --quiet", () => {
    expect(progressLine(ctx({}, false).c)).toBeUndefined();
    expect(progressLine(ctx({ "no-progress": true }, true).c)).toBeUndefined();
    expect(progressLine(ctx({ quiet: true }, true).c)).toBeUndefined();
  });
});
