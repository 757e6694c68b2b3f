/** The package version, read once from package.json. */
import { readFileSync } from "node:fs";

/**
 * package.json is one folder up from this module in src/ and dist/, two from
 * the bundled CLI (dist/bundle/): the first one that is leakguard's.
 */
function readVersion(): string {
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "leakguard" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Not here: try the next place.
    }
  }
  return "0.0.0-unknown";
}

export const VERSION: string = readVersion();
