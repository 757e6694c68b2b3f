import { describe, expect, it } from "vitest";
import { isPlaceholderValue } from "../../src/engine/credfiles/util.js";
import { placeholderReason } from "../../src/engine/filters.js";
import { PLACEHOLDER_VALUES, PLACEHOLDER_WORDS } from "../../src/engine/placeholder-words.js";

describe("placeholder words: one list for the engine's filters and the credential-file parsers", () => {
  it("each word is a placeholder to both: as the whole value, and (filters) inside a longer one", () => {
    for (const w of PLACEHOLDER_WORDS) {
      expect(isPlaceholderValue(w), w).toBe(true);
      expect(placeholderReason(w), w).toBe("placeholder word");
      expect(placeholderReason(`k9${w}Q7z`), w).toBe("placeholder word");
    }
  });

  it("each whole-value word is a placeholder to both only as the whole value", () => {
    for (const w of PLACEHOLDER_VALUES) {
      expect(isPlaceholderValue(w), w).toBe(true);
      expect(placeholderReason(w), w).toBe("placeholder word");
      expect(isPlaceholderValue(`k9${w}Q7z`), w).toBe(false);
    }
  });

  it("the spellings the two lists used to disagree on get the same verdict from both", () => {
    // Was: change-me a placeholder only to credential files, replace-me only to the filters.
    for (const w of ["change-me", "replace-me"]) {
      expect(isPlaceholderValue(w), w).toBe(true);
      expect(placeholderReason(w), w).toBe("placeholder word");
    }
  });
});
