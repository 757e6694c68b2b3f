/** The package version: written into the CLI bundles by their build, read once from package.json otherwise. */
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

/** Set by the CLI bundles' build (scripts/bundle-cli.mjs); absent from the unbundled modules. */
declare const LEAKGUARD_BUNDLED_VERSION: string | undefined;

export const VERSION: string = typeof LEAKGUARD_BUNDLED_VERSION === "string" ? LEAKGUARD_BUNDLED_VERSION : readVersion();
