import { describe, expect, it } from "vitest";
import { compileRuleSet, scanFragment as scanEngine, type Finding } from "../../src/engine/index.js";
import { findEncodedSegments } from "../../src/engine/decode.js";
import { DEFAULT_DECODERS } from "../../src/engine/passes.js";
import type { CompiledRuleSet } from "../../src/engine/compile.js";
import type { Fragment } from "../../src/engine/types.js";

/** The engine with the default decoders, passed in as every scanner does. */
const scanFragment = (rs: CompiledRuleSet, frag: Fragment) => scanEngine(rs, frag, { decoders: DEFAULT_DECODERS });
import { readRuleFiles } from "../../src/ruleset/builtin.js";
import { b64, bytes, fakeAwsKeyId, fakeGithubPat, fakePassword, hex } from "../helpers/engine.js";

const rs = compileRuleSet(readRuleFiles());

/** The text a finding's span covers (single-line findings). */
function spanText(text: string, f: Finding): string {
  const line = text.split("\n")[f.line - 1]!;
  return line.slice(f.column - 1, f.endColumn - 1);
}

describe("decoding pass", () => {
  it("finds an AWS key inside base64 and reports the encoded segment's span", () => {
    const key = fakeAwsKeyId("d1");
    const enc = b64(`aws_access_key_id = ${key}\n`);
    const text = `# blob\nconst blob = "${enc}";\n`;
    const { findings } = scanFragment(rs, { text, path: "src/blob.js" });
    const f = findings.find((x) => x.ruleId === "aws-access-key-id");
    expect(f).toBeDefined();
    expect(f!.secret).toBe(key);
    expect(f!.encoding).toBe("base64");
    expect(spanText(text, f!)).toBe(enc);
  });

  it("unwraps two levels and names the chain", () => {
    const key = fakeAwsKeyId("d2");
    const inner = b64(`AWS_ACCESS_KEY_ID=${key}`);
    const outer = b64(`creds: ${inner}`);
    const text = `value: ${outer}\n`;
    const { findings } = scanFragment(rs, { text, path: "x.yaml" });
    const f = findings.find((x) => x.secret === key);
    expect(f?.encoding).toBe("base64>base64");
    expect(spanText(text, f!)).toBe(outer);
  });

  it("does not go deeper than two levels", () => {
    const key = fakeAwsKeyId("d3");
    const three = b64(b64(b64(`id ${key} end of line`)));
    const { findings } = scanFragment(rs, { text: `v = ${three}\n`, path: "x.txt" });
    expect(findings.find((x) => x.secret === key)).toBeUndefined();
  });

  it("decodes hex and percent-encoding", () => {
    const key = fakeAwsKeyId("d4");
    const h = hex(`aws key ${key} here`);
    const pw = fakePassword("d5", 14).replace("#", "!");
    const p = encodeURIComponent(`https://deploy:${pw}@git.acme.io/team/app.git`);
    const text = `a = ${h}\nb = /redirect?to=${p}\n`;
    const { findings } = scanFragment(rs, { text, path: "x.txt" });
    const fh = findings.find((x) => x.secret === key);
    expect(fh?.encoding).toBe("hex");
    expect(spanText(text, fh!)).toBe(h);
    const fp = findings.find((x) => x.ruleId === "url-basic-auth");
    expect(fp?.encoding).toBe("percent");
    expect(fp?.secret).toBe(pw);
  });

  it("reports a secret once: a specific decoded hit replaces a generic direct one", () => {
    const pat = fakeGithubPat("d6");
    const enc = b64(pat);
    const text = `token = "${enc}"\n`;
    const { findings } = scanFragment(rs, { text, path: "src/app.py" });
    expect(findings.map((f) => f.ruleId)).toEqual(["github-pat"]);
    expect(findings[0]!.encoding).toBe("base64");
  });

  it("reports a secret once: a direct specific hit wins over its decoding", () => {
    const pem = ["-----BEGIN RSA ", "PRIVATE KEY-----\n", bytes("pem", 300).toString("base64").replace(/(.{64})/g, "$1\n"), "\n-----END RSA ", "PRIVATE KEY-----\n"].join("");
    const text = `users:\n- name: admin\n  user:\n    client-key-data: ${b64(pem)}\n`;
    const { findings } = scanFragment(rs, { text, path: "kubeconfig" });
    expect(findings.map((f) => f.ruleId)).toEqual(["kubeconfig-client-key-data"]);
  });

  it("finds credentials in a Kubernetes Secret", () => {
    const pw = fakePassword("d7", 14);
    const text = `apiVersion: v1\nkind: Secret\ndata:\n  password: ${b64(pw)}\n`;
    const { findings } = scanFragment(rs, { text, path: "k8s/secret.yaml" });
    expect(findings.map((f) => f.ruleId)).toEqual(["kubernetes-secret-data"]);
  });

  // Cost is judged by `npm run bench:hostile`; here the 3 MiB blob must simply finish.
  it("finishes on huge base64 blobs and skips binary data URIs", () => {
    const blob = bytes("huge", 3 * 1024 * 1024).toString("base64");
    const key = fakeAwsKeyId("d8");
    const img = `<img src="data:image/png;base64,${b64("id " + key + " in an image")}">`;
    const { findings } = scanFragment(rs, { text: `x = "${blob}"\n${img}\n`, path: "big.js" });
    expect(findings).toEqual([]);
  });

  it("decodes UTF-8 text with non-ASCII letters", () => {
    const key = fakeAwsKeyId("d9");
    const enc = b64(`Zugangsschlüssel für Müller: ${key} — bitte löschen`);
    const { findings } = scanFragment(rs, { text: `note = "${enc}"\n`, path: "notes.txt" });
    expect(findings.find((x) => x.secret === key)?.encoding).toBe("base64");
  });

  it("only keeps segments that decode to printable text", () => {
    const budget = { bytes: 1 << 20 };
    const segs = findEncodedSegments(`a ${bytes("bin", 48).toString("base64")} b ${b64("hello there, general")} c`, budget);
    expect(segs.map((s) => s.encoding + ":" + s.text)).toEqual(["base64:hello there, general"]);
  });
});
