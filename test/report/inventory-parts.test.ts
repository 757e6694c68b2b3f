/** Pure parts of the security lead's inventory: forge links, key names, the remediation Markdown renderer, the timeline's periods. */
import { describe, expect, it } from "vitest";
import { keyInfoOf } from "../../src/inventory/key-info.js";
import { commitUrl, fileUrl, webRepository } from "../../src/inventory/remote.js";
import { renderInline, renderMarkdown } from "../../src/report/inventory/mini-markdown.js";
import { timeline } from "../../src/report/inventory/view.js";
import { fixtureInventory, pemKey } from "../helpers/inventory-fixture.js";

describe("webRepository: remote URL → web home", () => {
  const cases: Array<[string, string | undefined]> = [
    ["https://github.com/acme/app.git", "https://github.com/acme/app"],
    ["https://github.com/acme/app", "https://github.com/acme/app"],
    ["git@github.com:acme/app.git", "https://github.com/acme/app"],
    ["ssh://git@github.com/acme/app.git", "https://github.com/acme/app"],
    ["ssh://git@github.com:22/acme/app.git", "https://github.com/acme/app"],
    [["https://x-access-token:", "s3cr3t", "@github.com/acme/app.git"].join(""), "https://github.com/acme/app"], // credentials dropped
    ["git@github.example.com:acme/app.git", "https://github.example.com/acme/app"],
    ["https://gitlab.com/group/sub/project.git", "https://gitlab.com/group/sub/project"],
    ["git@gitlab.example.org:group/project.git", "https://gitlab.example.org/group/project"],
    ["https://gitlab.internal:8443/group/project.git", "https://gitlab.internal:8443/group/project"],
    ["https://user@bitbucket.org/team/repo.git", "https://bitbucket.org/team/repo"],
    ["git@bitbucket.org:team/repo.git", "https://bitbucket.org/team/repo"],
    ["https://git.example.org/acme/app.git", undefined],
    ["/srv/git/app.git", undefined],
    ["file:///srv/git/app.git", undefined],
    ["https://github.com/acme", undefined],
    ["https://github.com/acme/app/extra", undefined],
    ["https://github.com/acme/<script>", undefined],
    ["", undefined],
  ];
  for (const [remote, web] of cases) it(`${remote || "(empty)"} → ${web ?? "no links"}`, () => expect(webRepository(remote)?.url).toBe(web));

  it("builds each forge's commit and file URLs, path segments encoded", () => {
    const c = "0123456789abcdef0123456789abcdef01234567";
    expect(commitUrl({ host: "github", url: "https://github.com/a/b" }, c)).toBe(`https://github.com/a/b/commit/${c}`);
    expect(commitUrl({ host: "gitlab", url: "https://gitlab.com/a/b" }, c)).toBe(`https://gitlab.com/a/b/-/commit/${c}`);
    expect(commitUrl({ host: "bitbucket", url: "https://bitbucket.org/a/b" }, c)).toBe(`https://bitbucket.org/a/b/commits/${c}`);
    expect(fileUrl({ host: "github", url: "https://github.com/a/b" }, c, "dir/a file#1?.env", 3)).toBe(`https://github.com/a/b/blob/${c}/dir/a%20file%231%3F.env#L3`);
    expect(fileUrl({ host: "gitlab", url: "https://gitlab.com/a/b" }, c, "x.env")).toBe(`https://gitlab.com/a/b/-/blob/${c}/x.env`);
    expect(fileUrl({ host: "bitbucket", url: "https://bitbucket.org/a/b" }, c, "x.env", 2)).toBe(`https://bitbucket.org/a/b/src/${c}/x.env#lines-2`);
  });
});

describe("keyInfoOf", () => {
  it("names the key type and hashes the decoded body; other secrets are not keys", () => {
    const rsa = keyInfoOf(pemKey(1))!;
    expect(rsa.type).toBe("RSA private key");
    expect(rsa.sha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyInfoOf(pemKey(1))).toEqual(rsa); // stable
    expect(keyInfoOf(pemKey(2))!.sha256).not.toBe(rsa.sha256);
    expect(keyInfoOf(pemKey(1).replace(/\n/g, "\r\n"))).toEqual(rsa); // line endings do not matter
    expect(keyInfoOf(pemKey(3, "EC "))!.type).toBe("EC private key");
    expect(keyInfoOf(pemKey(4, "OPENSSH "))!.type).toBe("OpenSSH private key");
    expect(keyInfoOf(pemKey(5, ""))!.type).toBe("PKCS#8 private key");
    expect(keyInfoOf("ghp_notakey")).toBeUndefined();
    expect(keyInfoOf(["-----BEGIN ", "CERTIFICATE-----\nAAAA\n-----END ", "CERTIFICATE-----"].join(""))).toBeUndefined();
  });
});

describe("renderMarkdown (remediation)", () => {
  it("renders lists, bold, code and http(s) links; escapes everything else", () => {
    expect(renderMarkdown("Revoke it:\n\n- open **Settings**\n- run `a <b> & c`\n  then wait\n\n1. one\n2. two")).toBe(
      "<p>Revoke it:</p><ul><li>open <strong>Settings</strong></li><li>run <code>a &lt;b&gt; &amp; c</code> then wait</li></ul><ol><li>one</li><li>two</li></ol>",
    );
    expect(renderInline("see [docs](https://x.test/a?b=1&c=2) or https://y.test/p.")).toBe(
      'see <a href="https://x.test/a?b=1&amp;c=2" rel="noreferrer noopener">docs</a> or <a href="https://y.test/p" rel="noreferrer noopener">https://y.test/p</a>.',
    );
    expect(renderInline('[x](javascript:alert(1)) <img src=x onerror="y"> [a](<https://z>)')).toBe(
      "[x](javascript:alert(1)) &lt;img src=x onerror=&quot;y&quot;&gt; [a](&lt;https://z&gt;)",
    );
    expect(renderInline("a ** b **c** `unclosed")).toBe("a <strong> b </strong>c** `unclosed");
    expect(renderInline("[no link] and [x](https://a.test/\"onmouseover=x)")).not.toContain('"onmouseover');
  });

  it("stays linear on hostile input", () => {
    const hostile = "[".repeat(20_000) + "`".repeat(20_000) + "**".repeat(20_000) + "](".repeat(20_000);
    const out = renderMarkdown(hostile);
    expect(out.length).toBeGreaterThan(0);
  });
});

describe("timeline periods", () => {
  it("days for a history of up to a month, with rotations counted", () => {
    const inv = fixtureInventory();
    inv.rows.forEach((r, i) => {
      r.introduced.date = `2024-06-0${i + 1}T00:00:00Z`;
      delete r.removed;
    });
    inv.rows[0]!.rotated = { date: "2024-06-09", source: "x:1" };
    const t = timeline(inv);
    expect(t.map((b) => b.label)).toEqual(["2024-06-01", "2024-06-02", "2024-06-03", "2024-06-04", "2024-06-05", "2024-06-06", "2024-06-07", "2024-06-08", "2024-06-09"]);
    expect(t.at(-1)).toEqual({ label: "2024-06-09", introduced: 0, removed: 0, rotated: 1 });
  });
});
