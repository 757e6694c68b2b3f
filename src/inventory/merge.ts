/**
 * The organisation inventory: several repositories' inventories (the JSON of
 * `leakguard inventory --format json`) merged into one, where the same secret
 * found in several repositories is ONE row that lists each repository with
 * its own first commit, HEAD state, removal, rotation and exposure.
 *
 * The same secret has the same fingerprint in two repositories only when both
 * inventories were made with the same fingerprint key (`LEAKGUARD_FINGERPRINT_KEY`
 * shared by every CI job); without one, each repository salts with its own
 * root commit and nothing can be correlated. Each inventory records a
 * non-secret id of its key (`fingerprintSalt.id`): rows merge only within one
 * id, and the merge warns when the inputs were made with different ones (or
 * an input does not say). Pure, but for {@link readInventoryFile}.
 *
 * Merged row: severity, rule, remediation from the repository where it scores
 * highest; introduced = the earliest introduction anywhere; at HEAD if at HEAD
 * anywhere; rotated when any repository records the rotation (a credential
 * rotated once is rotated everywhere: the earliest record counts); exposure
 * from the earliest introduction to the rotation or the newest inventory's
 * date, and each repository's own exposure (and risk) stops at that rotation
 * too; reused when in several repositories; risk by the same formula.
 *
 * @example
 *   const org = mergeInventories([{ file: "a.json", inventory: a }, { file: "b.json", inventory: b }]);
 *   org.rows.filter((r) => r.repositories!.length > 1); // secrets shared across repositories
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { isRedacted } from "../engine/redact.js";
import { SEVERITIES, type Severity } from "../engine/types.js";
import { InputError } from "../errors.js";
import { checkMergeInputs, checkOptions, checkStringFields } from "../util/validate.js";
import { exposureDaysOf, riskScore, summarizeRows } from "./build.js";
import type { CommitRef, Inventory, InventoryRow, MergedRepository, RepositoryPresence, Rotation } from "./types.js";

/** One inventory to merge and the file it came from (names it in warnings). */
export interface MergeInput {
  /** The file it was read from: named in warnings, and to tell two repositories of the same name apart. */
  file: string;
  /** The inventory: {@link readInventoryFile}'s result, or `scanInventory`'s. */
  inventory: Inventory;
}

/** Options for {@link mergeInventories}. */
export interface MergeOptions {
  /** Title of the organisation inventory (default: "N repositories"). */
  name?: string;
  /** "Now" for exposure days (default: the newest input's `generatedAt`). */
  generatedAt?: string;
  /** Version written in the result (default: the inputs'). */
  version?: string;
}

/** Commits listed per row. */
const MAX_COMMITS = 20;

/** Parses one inventory JSON text; a clear InputError when it is not one. */
export function parseInventoryJson(text: string, file: string): Inventory {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message})`);
  }
  const d = doc as Partial<Inventory> | null;
  if (typeof d !== "object" || d === null || d.tool !== "leakguard" || !Array.isArray(d.rows) || typeof d.summary !== "object") {
    throw new InputError(`${file}: not a leakguard inventory (make it with 'leakguard inventory --format json')`);
  }
  if (d.repositories !== undefined) throw new InputError(`${file}: is already an organisation inventory; merge the repositories' own inventories`);
  d.rows.forEach((r, i) => {
    const ok = r && typeof r.fingerprint === "string" && typeof r.ruleId === "string" && typeof r.risk === "number" && r.introduced && typeof r.introduced.date === "string";
    if (!ok) throw new InputError(`${file}: rows[${i}] is not an inventory row`);
  });
  return d as Inventory;
}

/** Reads and parses an inventory JSON file. */
export function readInventoryFile(path: string, label = path): Inventory {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${label}: cannot read (${code === "ENOENT" ? "no such file" : (code ?? (e as Error).message)})`);
  }
  return parseInventoryJson(text, label);
}

/** A repository's short name: `owner/repo` from its forge, else its folder's name, else the file's. */
function nameOf(input: MergeInput): string {
  const web = input.inventory.web?.url;
  if (web) return new URL(web).pathname.replace(/^\/+/, "");
  const folder = basename(String(input.inventory.repository ?? "").replace(/[\\/]+$/, ""));
  return folder || basename(input.file).replace(/\.json$/i, "");
}

/** How a key id is named in warnings. */
function keyName(inv: Inventory): string {
  const s = inv.fingerprintSalt;
  if (!s) return "no key id recorded";
  if (s.kind === "key" && s.keyId) return `key ${s.keyId}`;
  if (s.kind === "repository") return `its own repository salt (${s.id})`;
  return `salt ${s.id}`;
}

const earliest = <T extends { date: string }>(xs: readonly T[]): T | undefined =>
  xs.reduce<T | undefined>((a, x) => (x.date !== "" && (a === undefined || Date.parse(x.date) < Date.parse(a.date)) ? x : a), undefined);

/**
 * Merges inventories into one organisation inventory (see the module comment).
 * `inputs` is `[{ file, inventory }]`, not bare inventories: wrap each
 * {@link readInventoryFile} result with the file it came from. Throws an
 * ArgumentError naming the input when the shape is wrong.
 */
export function mergeInventories(given: readonly MergeInput[], options: MergeOptions = {}): Inventory {
  checkMergeInputs("mergeInventories", given);
  checkOptions("mergeInventories", options);
  checkStringFields("mergeInventories", options, ["name", "generatedAt", "version"]);
  const warnings: string[] = [];
  // The same repository at the same commit twice (a file given twice, a copy): counted once, or every
  // secret would look shared by two repositories and reused.
  const firstOf = new Map<string, string>();
  const inputs = given.filter((inp) => {
    const inv = inp.inventory;
    const key = inv.head?.commit ? `${inv.web?.url ?? inv.repository}\0${inv.head.commit}\0${inv.fingerprintSalt?.id ?? ""}` : undefined;
    if (key === undefined) return true;
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, inp.file);
      return true;
    }
    warnings.push(`${inp.file}: the same repository at the same commit as ${first}; left out`);
    return false;
  });
  // Unique names: a second "app" becomes "app (b.json)".
  const names = inputs.map(nameOf);
  const named = names.map((n, i) => (names.indexOf(n) !== i || names.lastIndexOf(n) !== i ? `${n} (${basename(inputs[i]!.file)})` : n));

  // Rows merge only within one fingerprint key id.
  const groupOf = inputs.map((inp, i) => inp.inventory.fingerprintSalt?.id ?? `?${i}`);
  const unknown = inputs.filter((inp) => !inp.inventory.fingerprintSalt);
  for (const inp of unknown) warnings.push(`${inp.file}: records no fingerprint key id (made by an older leakguard); its secrets are not matched with other repositories'`);
  const known = [...new Set(inputs.filter((inp) => inp.inventory.fingerprintSalt).map((inp) => inp.inventory.fingerprintSalt!.id))];
  if (known.length > 1) {
    const byId = known.map((id) => {
      const members = inputs.map((inp, i) => ({ inp, i })).filter(({ inp }) => inp.inventory.fingerprintSalt?.id === id);
      return `${members.map(({ i }) => named[i]).join(", ")}: ${keyName(members[0]!.inp.inventory)}`;
    });
    warnings.push(
      `the inventories were made with ${known.length} different fingerprint keys (${byId.join("; ")}): the same secret cannot be recognised across them. ` +
        `Scan every repository with one shared LEAKGUARD_FINGERPRINT_KEY (e.g. an organisation CI secret).`,
    );
  }

  const generatedAt = options.generatedAt ?? inputs.map((i) => i.inventory.generatedAt).reduce((a, b) => (a === "" || Date.parse(b) > Date.parse(a) ? b : a), "");
  const groups = new Map<string, Array<{ row: InventoryRow; repo: number }>>();
  inputs.forEach((inp, i) => {
    for (const row of inp.inventory.rows) {
      const k = `${groupOf[i]}\0${row.fingerprint}`;
      const list = groups.get(k);
      if (list) list.push({ row, repo: i });
      else groups.set(k, [{ row, repo: i }]);
    }
  });

  const rows: InventoryRow[] = [];
  for (const members of groups.values()) {
    const base = members.reduce((a, m) => (m.row.risk > a.row.risk ? m : a)).row;
    const rotations = members.map((m) => m.row.rotated).filter((r): r is Rotation => r !== undefined);
    const rotated = rotations.reduce<Rotation | undefined>((a, r) => (a === undefined || r.date < a.date ? r : a), undefined);
    const presences: RepositoryPresence[] = members.map(({ row, repo }) => {
      const web = inputs[repo]!.inventory.web;
      // A rotation recorded anywhere ends the exposure everywhere: clamp this
      // repository's count (made up to its own inventory's date) at it.
      const clamped = rotated !== undefined && row.rotated?.date !== rotated.date;
      const exposureDays = clamped ? Math.min(row.exposureDays, exposureDaysOf(row.introduced.date, rotated, generatedAt)) : row.exposureDays;
      const p: RepositoryPresence = {
        name: named[repo]!,
        fingerprint: row.fingerprint,
        introduced: row.introduced,
        atHead: row.atHead,
        exposureDays,
        files: row.files ?? [],
        occurrences: row.occurrences ?? 0,
        risk: clamped ? riskScore({ ...row, exposureDays, rotated: true }) : row.risk,
      };
      if (row.removed) p.removed = row.removed;
      if (row.rotated) p.rotated = row.rotated;
      if (row.fileCommits) p.fileCommits = row.fileCommits;
      if (web) p.web = web;
      return p;
    });
    presences.sort((a, b) => b.exposureDays - a.exposureDays || (a.name < b.name ? -1 : 1));
    const introduced: CommitRef = earliest(presences.map((p) => p.introduced)) ?? base.introduced;
    const atHead = presences.some((p) => p.atHead);
    const removedAll = presences.every((p) => p.removed !== undefined) ? presences.map((p) => p.removed!).reduce((a, r) => (Date.parse(r.date) > Date.parse(a.date) ? r : a)) : undefined;
    const exposureDays = exposureDaysOf(introduced.date, rotated, generatedAt);
    const many = presences.length > 1;
    // Every path it stands at, in any repository (each repository's own list is in `repositories`).
    const files = [...new Set(presences.flatMap((p) => p.files))].sort();
    const reused = many || members.some((m) => m.row.reused);
    const pushed = members.some((m) => m.row.pushed);
    const tags = new Set(members.flatMap((m) => m.row.tags ?? []));
    if (reused) tags.add("reused");
    if (rotated) tags.add("rotated");
    const commits = [...new Set(members.flatMap((m) => m.row.commits ?? []))];
    const row: InventoryRow = {
      ...base,
      files,
      occurrences: presences.reduce((n, p) => n + p.occurrences, 0),
      commits: commits.slice(0, MAX_COMMITS),
      commitCount: members.reduce((n, m) => n + (m.row.commitCount ?? 0), 0),
      introduced,
      atHead,
      exposureDays,
      state: rotated ? "rotated" : atHead ? "at-head" : "in-history",
      reused,
      otherRules: [...new Set(members.flatMap((m) => m.row.otherRules ?? []))].sort(),
      pushed,
      tags: [...tags].sort(),
      canary: members.some((m) => m.row.canary),
      risk: riskScore({ severity: base.severity, confidence: base.confidence, atHead, pushed, reused, exposureDays, rotated: rotated !== undefined }),
      // Only a value of the redacted shape counts as redacted, whatever the input file claims.
      secretRedacted: isRedacted(base.secret),
      repositories: presences,
    };
    delete row.removed;
    delete row.rotated;
    delete row.fileCommits;
    if (removedAll && !atHead) row.removed = removedAll;
    if (rotated) row.rotated = rotated;
    if (!many && presences[0]!.fileCommits) row.fileCommits = presences[0]!.fileCommits;
    rows.push(row);
  }
  rows.sort(
    (a, b) =>
      b.risk - a.risk ||
      (b.repositories?.length ?? 0) - (a.repositories?.length ?? 0) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      (a.introduced.date < b.introduced.date ? -1 : a.introduced.date > b.introduced.date ? 1 : 0) ||
      (a.fingerprint < b.fingerprint ? -1 : 1),
  );

  const repositories: MergedRepository[] = inputs.map((inp, i) => {
    const inv = inp.inventory;
    const m: MergedRepository = {
      name: named[i]!,
      repository: inv.repository,
      file: inp.file,
      generatedAt: inv.generatedAt,
      secrets: inv.rows.length,
      commitsScanned: inv.summary?.commitsScanned ?? 0,
    };
    if (inv.head) m.head = inv.head;
    if (inv.web) m.web = inv.web;
    if (inv.fingerprintSalt) m.fingerprintSalt = inv.fingerprintSalt;
    return m;
  });
  const org: Inventory = {
    tool: "leakguard",
    version: options.version ?? inputs[0]?.inventory.version ?? "",
    generatedAt,
    repository: options.name ?? `${inputs.length} repositories`,
    rows,
    summary: {
      ...summarizeRows(rows, repositories.reduce((n, r) => n + r.commitsScanned, 0)),
      sharedAcrossRepositories: rows.filter((r) => (r.repositories?.length ?? 0) > 1).length,
    },
    repositories,
  };
  if (known.length === 1 && unknown.length === 0) org.fingerprintSalt = inputs[0]!.inventory.fingerprintSalt!;
  if (warnings.length > 0) org.warnings = warnings;
  return org;
}
