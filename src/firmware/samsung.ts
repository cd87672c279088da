import type { FirmwareScheme, ParsedBuild } from "./scheme.js";

/**
 * Samsung Galaxy build codes, as phones write them in EXIF Software (domain/samsung-galaxy.md, after
 * the XDA, sammobile and z3x references on Samsung firmware naming). Three layouts:
 *
 *   current  MODEL CSC TYPE BL MAJOR YEAR MONTH BUILD   G975F XX U 7 C T F 1   (devices from 2014)
 *   2013     MODEL REGION U MAJOR YEAR MONTH BUILD      I9505 XX U G N G 8     (2013–14 builds of older devices)
 *   2012     MODEL REGION YEAR MONTH BUILD              I9100 XW L P T         (up to about 2012)
 *
 * YEAR is 2001 + the letter's place (N 2014, T 2020), MONTH A–L is January–December, and 2011–12
 * (Ice Cream Sandwich) builds put `P` in the month slot: the month is then unknown. BL and BUILD count
 * 0–9 then A–Z. Model numbers end in digits or letters alike (J327T1, G975U1, S260DL), so the code
 * can only be split reliably with the model in hand: the photo's Model and the registry's model
 * numbers are tried longest first, and only without them is the split guessed, and then only when
 * every reading gives the same date.
 */

type Layout = "current" | "2013" | "2012";

const CODE = /^[A-Z0-9]{9,24}$/;
/** What a model part may look like when the split has to be guessed: G975F, J327T1, SC02C, S7210. */
const MODEL_CODE = /^[A-Z]{1,3}\d{2,4}[A-Z0-9]{0,3}$/;

const LAYOUTS: readonly { layout: Layout; pattern: RegExp; years: readonly [number, number] }[] = [
  // CSC, TYPE (U update, S security-only), BL, MAJOR, YEAR, MONTH, BUILD
  { layout: "current", pattern: /^([A-Z]{2})([US])([0-9A-Z])([A-Z])([A-Z])([A-L])([0-9A-Z])$/, years: [2013, 2026] },
  // REGION, U, MAJOR, YEAR, MONTH, BUILD
  { layout: "2013", pattern: /^([A-Z]{2})U([0-9A-Z])([A-Z])([A-L])([0-9A-Z])$/, years: [2012, 2015] },
  // REGION, YEAR, MONTH (or P), BUILD
  { layout: "2012", pattern: /^([A-Z]{2})([A-Z])([A-LP])([0-9A-Z])$/, years: [2010, 2013] },
];

/** 0–9 then A–Z, as bootloader revisions and build counters count. */
function counter(char: string): number {
  return Number.parseInt(char, 36);
}

function yearOf(letter: string): number {
  return 2001 + (letter.charCodeAt(0) - 65);
}

/** 1–12 for A–L; null for the ICS-era `P`, which says nothing about the month. */
function monthOf(letter: string): number | null {
  const month = letter.charCodeAt(0) - 64;
  return month >= 1 && month <= 12 ? month : null;
}

/** The model code a build would begin with, from a model as written: `SAMSUNG-SM-N900A` -> `N900A`, `SC-02C` -> `SC02C`. */
export function buildModelCode(model: string): string | null {
  const compact = model.trim().toUpperCase().replace(/\s+/g, "");
  const code = compact
    .replace(/^SAMSUNG[-_]?/, "")
    .replace(/^(?:SM|GT|SGH|SCH|SPH|SHV|SHW)-/, "")
    .replace(/-/g, "");
  return /^[A-Z0-9]{4,}$/.test(code) ? code : null;
}

function readAs(code: string, model: string): ParsedBuild | null {
  const rest = code.slice(model.length);
  for (const { layout, pattern, years } of LAYOUTS) {
    const match = pattern.exec(rest);
    if (match === null) continue;
    const parts = match.slice(1);
    const parsed = layout === "current" ? current(code, model, parts) : layout === "2013" ? of2013(code, model, parts) : of2012(code, model, parts);
    const year = Number(parsed.date?.slice(0, 4));
    if (year >= years[0] && year <= years[1]) return parsed;
  }
  return null;
}

function dateText(year: number, month: number | null): string {
  return month === null ? String(year) : `${String(year)}-${String(month).padStart(2, "0")}`;
}

function current(code: string, model: string, [csc = "", type = "", bl = "", major = "", yearLetter = "", monthLetter = "", build = ""]: string[]): ParsedBuild {
  const year = yearOf(yearLetter);
  const month = monthOf(monthLetter) ?? 0;
  return {
    build: code,
    suffix: null,
    key: [counter(bl), counter(major), year, month, counter(build)],
    family: `samsung:${model}`,
    date: dateText(year, month),
    details: { model, csc, type: type === "S" ? "S (security update)" : "U (update)", bootloader: bl, major, built: dateText(year, month), build },
  };
}

function of2013(code: string, model: string, [region = "", major = "", yearLetter = "", monthLetter = "", build = ""]: string[]): ParsedBuild {
  const year = yearOf(yearLetter);
  const month = monthOf(monthLetter) ?? 0;
  return {
    build: code,
    suffix: null,
    key: [counter(major), year, month, counter(build)],
    // Not comparable with current-layout builds: that layout adds a bootloader field.
    family: `samsung:${model}:2013`,
    date: dateText(year, month),
    details: { model, region, major, built: dateText(year, month), build },
  };
}

function of2012(code: string, model: string, [region = "", yearLetter = "", monthLetter = "", build = ""]: string[]): ParsedBuild {
  const year = yearOf(yearLetter);
  const month = monthOf(monthLetter);
  return {
    build: code,
    suffix: null,
    key: [year, month ?? 0, counter(build)],
    family: `samsung:${model}:2012`,
    date: dateText(year, month),
    details: { model, region, built: month === null ? `${String(year)} (month not given: P marks an Ice Cream Sandwich build)` : dateText(year, month), build },
  };
}

/** Reading the code without a known model: every split whose parts look right, kept only if they agree on the date. */
function guess(code: string): ParsedBuild | null {
  const readings: ParsedBuild[] = [];
  for (const restLength of [8, 7, 5]) {
    const model = code.slice(0, code.length - restLength);
    if (!MODEL_CODE.test(model)) continue;
    const parsed = readAs(code, model);
    if (parsed === null) continue;
    if (readings.some((reading) => reading.date !== parsed.date)) return null;
    readings.push(parsed);
  }
  return readings[0] ?? null;
}

export const samsungFirmware: FirmwareScheme = {
  id: "samsung",
  makes: ["samsung"],
  parse(software: string, models: readonly string[] = []): ParsedBuild | null {
    const code = software.trim();
    if (!CODE.test(code)) return null;
    const candidates = [...new Set(models.map(buildModelCode).filter((m): m is string => m !== null && code.startsWith(m)))];
    // Longest first: J327T1 before J327T, G975U1 before G975U.
    candidates.sort((a, b) => b.length - a.length);
    for (const model of candidates) {
      const parsed = readAs(code, model);
      if (parsed !== null) return parsed;
    }
    return guess(code);
  },
};
