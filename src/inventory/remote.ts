/**
 * Web links for commits and files from a git remote URL, for the inventory
 * views. Knows GitHub, GitLab and Bitbucket (Cloud), by host name (so GitHub
 * Enterprise and self-hosted GitLab work when the host says so), in the
 * https, ssh:// and scp-like (`git@host:owner/repo.git`) forms. Credentials
 * in a URL (`https://user:token@host/…`) are dropped: they never reach a
 * report. Pure.
 *
 * @example
 *   const w = webRepository("git@github.com:acme/app.git");
 *   // → { host: "github", url: "https://github.com/acme/app" }
 *   commitUrl(w, "4a80…"); // → "https://github.com/acme/app/commit/4a80…"
 */

/** The forge a repository is hosted on. */
export type ForgeKind = "github" | "gitlab" | "bitbucket";

/** A repository's web home: where its commits and files can be linked. */
export interface WebRepository {
  host: ForgeKind;
  /** `https://host/owner/repo`, no trailing slash, no credentials. */
  url: string;
}

/** The forge a host name belongs to, if known. */
function forgeOf(hostname: string): ForgeKind | undefined {
  const h = hostname.toLowerCase();
  if (h === "github.com" || /(^|[.-])github([.-]|$)/.test(h)) return "github";
  if (h === "gitlab.com" || /(^|[.-])gitlab([.-]|$)/.test(h)) return "gitlab";
  if (h === "bitbucket.org" || /(^|[.-])bitbucket([.-]|$)/.test(h)) return "bitbucket";
  return undefined;
}

/** Host (with a non-default https port kept out: ssh ports say nothing about the web) and path of a remote URL. */
function hostAndPath(remote: string): { hostname: string; port: string; path: string; web: boolean } | undefined {
  const r = remote.trim();
  // scp-like: [user@]host:path (no scheme, no slash before the colon)
  const scp = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/.exec(r);
  if (scp && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(r)) return { hostname: scp[1]!, port: "", path: scp[2]!, web: false };
  let u: URL;
  try {
    u = new URL(r);
  } catch {
    return undefined;
  }
  if (!["https:", "http:", "ssh:", "git+ssh:", "git:"].includes(u.protocol)) return undefined;
  const web = u.protocol === "https:" || u.protocol === "http:";
  return { hostname: u.hostname, port: web ? u.port : "", path: decodeURIComponent(u.pathname), web };
}

/**
 * The web home of a remote URL, or undefined when the host is not a known
 * forge or the URL is not one git would use.
 */
export function webRepository(remote: string | undefined): WebRepository | undefined {
  if (!remote) return undefined;
  const hp = hostAndPath(remote);
  if (!hp) return undefined;
  const host = forgeOf(hp.hostname);
  if (!host) return undefined;
  const parts = hp.path
    .replace(/^\/+/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/, "")
    .split("/")
    .filter((p) => p !== "");
  // Bitbucket Cloud, GitHub: owner/repo; GitLab: group/…/project.
  if (parts.length < 2 || (host !== "gitlab" && parts.length !== 2)) return undefined;
  if (parts.some((p) => p === "." || p === ".." || !/^[A-Za-z0-9._~-]+$/.test(p))) return undefined;
  const port = hp.port ? `:${hp.port}` : "";
  return { host, url: `https://${hp.hostname.toLowerCase()}${port}/${parts.join("/")}` };
}

/** A path's segments, each percent-encoded (a file name may hold `#`, `?` or spaces). */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The web page of a commit. */
export function commitUrl(w: WebRepository, commit: string): string {
  const c = encodeURIComponent(commit);
  if (w.host === "gitlab") return `${w.url}/-/commit/${c}`;
  if (w.host === "bitbucket") return `${w.url}/commits/${c}`;
  return `${w.url}/commit/${c}`;
}

/** The web page of a file as it stood in a commit (optionally at a line). */
export function fileUrl(w: WebRepository, commit: string, path: string, line?: number): string {
  const c = encodeURIComponent(commit);
  const p = encodePath(path);
  if (w.host === "gitlab") return `${w.url}/-/blob/${c}/${p}${line ? `#L${line}` : ""}`;
  if (w.host === "bitbucket") return `${w.url}/src/${c}/${p}${line ? `#lines-${line}` : ""}`;
  return `${w.url}/blob/${c}/${p}${line ? `#L${line}` : ""}`;
}
