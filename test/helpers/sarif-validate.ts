/**
 * SARIF validation for tests, two ways:
 * - the SARIF 2.1.0 JSON schema (vendored from @microsoft/sarif-multitool's
 *   package under test/fixtures/) with ajv: every enum, minimum and
 *   additionalProperties constraint;
 * - Microsoft's SARIF Multitool `validate` with the SARIF and GitHub rule
 *   kinds: the spec's and GitHub code scanning's extra rules (relative URIs,
 *   required locations, rule metadata). The multitool's own JSON schema pass
 *   skips enums and minimums, hence ajv too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const SCHEMA = JSON.parse(readFileSync(new URL("../fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as object;

let validate: ReturnType<Ajv2020["compile"]> | undefined;

/** Schema errors of `log` (empty = valid). */
export function schemaErrors(log: unknown): string[] {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validate = ajv.compile(SCHEMA);
  }
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

/** Path of the multitool's native binary for this platform. */
export function multitoolPath(): string {
  const pkg = require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`);
  return join(dirname(pkg), process.platform === "win32" ? "Sarif.Multitool.exe" : "Sarif.Multitool");
}

/** A problem the multitool reports. */
export interface MultitoolIssue {
  ruleId: string;
  level: string;
  text: string;
}

/**
 * Runs `Sarif.Multitool validate` with SARIF and GitHub rules once over
 * several logs (the tool starts slowly, so tests batch); returns each log's
 * errors and warnings by name.
 */
export function multitoolIssuesMany(logs: Record<string, string>): Record<string, MultitoolIssue[]> {
  const bin = multitoolPath();
  if (!existsSync(bin)) throw new Error(`SARIF multitool binary missing at ${bin}: run npm ci`);
  const dir = mkdtempSync(join(tmpdir(), "lg-sarif-"));
  try {
    const names = Object.keys(logs);
    const inputs = names.map((n, i) => {
      const p = join(dir, `log${i}.sarif`);
      writeFileSync(p, logs[n]!);
      return p;
    });
    const output = join(dir, "validation.json");
    const r = spawnSync(bin, ["validate", ...inputs, "--rule-kind", "Sarif;Gh", "--output", output, "--log", "ForceOverwrite", "--threads", "1"], {
      encoding: "utf8",
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
    });
    if (r.status !== 0 || !existsSync(output)) throw new Error(`multitool failed (${r.status}): ${r.stdout}\n${r.stderr}`);
    const log = JSON.parse(readFileSync(output, "utf8")) as {
      runs: Array<{
        results?: Array<{
          ruleId: string;
          level?: string;
          message: { text?: string; id?: string; arguments?: string[] };
          locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }>;
        }>;
      }>;
    };
    const out: Record<string, MultitoolIssue[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (const x of log.runs[0]?.results ?? []) {
      const uri = x.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
      const i = inputs.findIndex((p) => uri.endsWith("/" + p.split("/").pop()));
      if (i < 0) throw new Error(`multitool result for an unknown file: ${uri}`);
      out[names[i]!]!.push({
        ruleId: x.ruleId,
        level: x.level ?? "warning",
        text: x.message.text ?? `${x.message.id ?? ""} ${(x.message.arguments ?? []).join(" | ")}`,
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
