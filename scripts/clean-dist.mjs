// Build step: start from an empty dist/, so that modules moved or deleted in
// src/ do not linger there (and in the published package) from an older build.
import { rmSync } from "node:fs";
rmSync(new URL("../dist/", import.meta.url), { recursive: true, force: true });
