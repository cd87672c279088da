import { compactModel } from "../match.js";

/** A device name as people write it: no trademark signs, single spaces ("Xperia™  C4" -> "Xperia C4"). */
export function cleanName(name: string): string {
  return name.replace(/[™®]/g, "").replace(/\s+/g, " ").trim();
}

/** Device names compare as model strings do (no case, spaces or hyphens: "Note3" is "Note 3"), without trademark signs. */
export function nameKey(name: string): string {
  return compactModel(cleanName(name));
}
