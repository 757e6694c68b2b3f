import { describe, expect, it } from "vitest";
import { renderReport, SCAN_FORMATS } from "../../src/report/index.js";
import { fixtureReport, SECRETS } from "../helpers/report-fixture.js";

/** The secret as each format may legitimately encode it (SARIF/JSON escape nothing in these alphabets). */
function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), secret.replace(/\//g, "\\/")];
}

describe("redaction across every format", () => {
  for (const format of SCAN_FORMATS) {
    it(`${format}: no raw secret without --show-secrets, even with --show-suppressed`, async () => {
      const out = await renderReport(format, fixtureReport(), { showSecrets: false, showSuppressed: true });
      expect(out.length).toBeGreaterThan(0);
      for (const s of Object.values(SECRETS)) for (const form of forms(s)) expect(out).not.toContain(form);
      // Something recognisable is still there: the redacted prefix.
      expect(out).toContain(SECRETS.github.slice(0, 4) + "…");
    });

    it(`${format}: --show-secrets prints them`, async () => {
      const out = await renderReport(format, fixtureReport(), { showSecrets: true });
      expect(out).toContain(SECRETS.github);
      expect(out).toContain(SECRETS.awsId);
    });
  }
});
