/**
 * What exifhunt takes from each source for each bundled vendor, and the vendor's numbering rules
 * (coverage, variants, generations). The rules are policy and live here, in code; the facts come
 * from the sources and the overrides (assemble.ts).
 */
import type { GenerationScheme, RegistryFile } from "../types.js";
import type { VendorId } from "./ids.js";
import { cleanName } from "./names.js";
import type { PlayDevice } from "./sources.js";

export interface VendorSpec {
  vendor: string;
  /** The bundled file's name under registry/ (and its overrides' under scripts/registry/overrides/). */
  file: string;
  makes: string[];
  firmwareScheme?: string;
  coverage?: NonNullable<RegistryFile["coverage"]>;
  modelVariants?: NonNullable<RegistryFile["modelVariants"]>;
  generations?: GenerationScheme[];
  notes: string;
  play?: {
    /** Google Play's Retail Branding values of the vendor's phones. */
    brands: string[];
    /** Whether a row is a phone (the list also has TVs, tablets, watches, Chromebooks). */
    phone: (row: PlayDevice) => boolean;
    /** The device name a row belongs to (default: its marketing name, cleaned). */
    name?: (row: PlayDevice) => string;
  };
  endoflife?: {
    product: string;
    /** The registry's device name for a release label; null to skip the release. */
    name: (label: string) => string | null;
    /** For vendors whose EXIF Model is the name: the Model a release's phones write. */
    model?: (label: string) => string | null;
    /** A model number in a release's link (Samsung's doc.samsungmobile.com/SM-S948B/…): first capture group. */
    linkModel?: RegExp;
  };
  lineageVendor?: string;
  lineageName?: (name: string) => string;
}

/** Rows of Google Play's list that are not phones, by marketing name. */
const NOT_PHONES = /\b(TV|Stick|Box|Pad|Tab|Tablet|Watch|Band|Buds|Projector|Chromebook|Moto 360|Display|Speaker|Router|Car)\b/i;

const SAMSUNG_NOT_PHONES = /\b(Tab|Watch|Gear|Book|View|Fit|Buds|Chromebook|Player|Camera|Note ?(8\.0|10\.1|12\.2|Pro)|Home|Fold ?Tab)\b/i;

/** Apple's names as the phones write them in EXIF Model (support.apple.com/en-us/108044). */
function iphoneModel(label: string): string | null {
  const fixed: Record<string, string> = {
    "1": "iPhone",
    "5C": "iPhone 5c",
    "5S": "iPhone 5s",
    "6S": "iPhone 6s",
    "6S Plus": "iPhone 6s Plus",
    "SE (1st generation)": "iPhone SE",
    "12 Mini": "iPhone 12 mini",
    "13 Mini": "iPhone 13 mini",
    "17 Air": "iPhone Air",
  };
  return fixed[label] ?? `iPhone ${label}`;
}

export const VENDORS = {
  sony: {
    vendor: "Sony",
    file: "sony.json",
    makes: ["Sony"],
    firmwareScheme: "sony",
    coverage: {
      modelPattern: "^(?:[C-H]\\d{4}|XQ-[A-E][A-Z]\\d{2})$",
      note: "Complete where Google Play's list of certified devices is: Sony's C (2013) to H (2018) four-digit numbers, and XQ- numbers whose second letter is A (2020) to E (2024). An unlisted model there whose base (all but the last digit; for XQ-, the two letters) a listed phone shares is that phone's variant; any other is unknown-model. XQ-F (2025) and XQ-G (2026) are not claimed: their phones came after the list was taken, so the registry knows them from hand-kept overrides only. The I (2019) and J (2019) numbers are listed but not claimed either.",
    },
    modelVariants: {
      pattern: "^(?:([C-J]\\d{3})\\d|(XQ-[A-Z]{2})\\d{2})$",
      note: "The last digit of a C…J number, and the two digits of an XQ- number, name the network or region variant (D6603 and D6643 are both the Xperia Z3; XQ-AT51 and XQ-AT52 both the Xperia 1 II).",
    },
    generations: [
      // G (2026): Sony's 2026 phones came after every source was taken, so the year's letter is declared.
      { pattern: "^XQ-([A-Z])[A-Z]\\d{2}$", name: "Sony XQ numbering (second letter: A 2020, B 2021 … G 2026)", latest: "G" },
    ],
    notes: "Built by scripts/registry/build.ts from the sources in provenance and scripts/registry/overrides/sony.json; do not edit by hand.",
    play: {
      brands: ["Sony"],
      phone: (row) => /^Xperia/i.test(cleanName(row.name)) && !/Tablet/i.test(row.name) && !/^SGP/i.test(row.model),
    },
    endoflife: { product: "sony-xperia", name: (label) => label },
    lineageName: (name) => (name.startsWith("Xperia") ? name : `Xperia ${name}`),
  },
  samsung: {
    vendor: "Samsung",
    file: "samsung.json",
    makes: ["samsung", "SAMSUNG"],
    firmwareScheme: "samsung",
    coverage: {
      modelPattern: "^SM-S9[0-4]\\d(?:[A-KM-Z]\\d?|\\d)?$",
      note: "Complete for the Galaxy S flagships that use SM-S9xx numbers (S22 SM-S90x … S26 SM-S94x): an unlisted SM-S90x…S94x whose base no listed phone shares is unknown-model. TracFone's SM-S9xxL numbers (older budget phones) are not claimed.",
    },
    modelVariants: {
      pattern: "^(SM-[A-Z]\\d{3})[A-Z0-9]{0,3}$",
      note: "From SM- (2013) on, the letter and three digits name the device and what follows names the region or carrier (F global, U US carrier, U1 US unlocked, W Canada, N Korea, 0 China …), so SM-G965W is the Galaxy S9+ that SM-G965F is. GT- and carrier-prefixed models (GT-I9300I is the S III Neo, another phone) are matched only as listed.",
    },
    generations: [
      { pattern: "^SM-S9(\\d)\\d(?:[A-KM-Z]\\d?|\\d)?$", name: "Samsung Galaxy S numbering (SM-S9, then the generation: 0 S22 … 4 S26)" },
      { pattern: "^SM-F9(\\d)\\d(?:[A-KM-Z]\\d?|\\d)?$", name: "Samsung Galaxy Z Fold numbering (SM-F9, then the generation: 6 Fold7, 7 Fold8)" },
      { pattern: "^SM-F7(\\d)\\d(?:[A-KM-Z]\\d?|\\d)?$", name: "Samsung Galaxy Z Flip numbering (SM-F7, then the generation: 6 Flip7, 7 Flip8)" },
    ],
    notes: "Built by scripts/registry/build.ts from the sources in provenance and scripts/registry/overrides/samsung.json; do not edit by hand.",
    play: {
      brands: ["Samsung"],
      phone: (row) => /^Galaxy/i.test(cleanName(row.name)) && !SAMSUNG_NOT_PHONES.test(row.name) && !/^(SM-[TPXR]|GT-P|GT-N[58]\d|SM-W20)/i.test(row.model),
    },
    endoflife: {
      product: "samsung-mobile",
      name: (label) => (label.startsWith("Galaxy") ? label : null),
      linkModel: /^https:\/\/doc\.samsungmobile\.com\/(SM-[A-Z]\d{3,4}[A-Z0-9]{0,3})\//,
    },
  },
  google: {
    vendor: "Google",
    file: "google.json",
    makes: ["Google"],
    coverage: {
      modelPattern: "^Pixel \\d{1,2}(?:a| XL| Pro| Pro XL| Pro Fold|a XL|a \\(5G\\))?$",
      note: "Every numbered Pixel phone, as EXIF writes its Model (\"Pixel 9 Pro\"). An unlisted name of that form is unknown-model; one with a number past every known Pixel's is a next generation.",
    },
    generations: [
      { pattern: "^Pixel (\\d{1,2})(?:a| XL| Pro| Pro XL| Pro Fold|a XL|a \\(5G\\))?$", name: "Pixel numbering" },
    ],
    notes: "Built by scripts/registry/build.ts from the sources in provenance and scripts/registry/overrides/google.json; do not edit by hand. Pixel phones write their name as EXIF Model.",
    play: {
      brands: ["Google"],
      phone: (row) => /^Pixel( \d|$| XL| Fold)/.test(row.model) && !/Watch|Tablet|Slate|book/i.test(row.name),
      name: (row) => row.model,
    },
    endoflife: {
      product: "pixel",
      name: (label) => (/^Pixel( |$)/.test(label) && label !== "Pixel Tablet" ? label : null),
      model: (label) => (/^Pixel( |$)/.test(label) && label !== "Pixel Tablet" ? label : null),
    },
  },
  apple: {
    vendor: "Apple",
    file: "apple.json",
    makes: ["Apple"],
    coverage: {
      modelPattern: "^iPhone (?:\\d|1[0-7])(?:e| mini| Plus| Pro| Pro Max)?$",
      note: "Every numbered iPhone up to the 17 family, as EXIF writes its Model (\"iPhone 16 Pro\"): an unlisted name of that form is unknown-model. The 18 family (2026-09) came after the sources and is not claimed; a number past 18 is a next generation.",
    },
    generations: [
      // 18: the September 2026 iPhones came after the endoflife.date snapshot (2026-08); declared so
      // that a genuine photo of one is never taken for an unannounced phone.
      { pattern: "^iPhone (\\d{1,2})(?:e| mini| Plus| Pro| Pro Max)?$", name: "iPhone numbering", latest: "18" },
    ],
    notes: "Built by scripts/registry/build.ts from the sources in provenance and scripts/registry/overrides/apple.json; do not edit by hand. iPhones write their name as EXIF Model (support.apple.com/en-us/108044).",
    endoflife: { product: "iphone", name: iphoneModel, model: iphoneModel },
  },
  // The next four claim no coverage and no generations: their lists come from Google Play's list of
  // January 2025 and the wiki, too incomplete for an unknown model to be news. What they add is the
  // device a photo was shot on, and its release date where endoflife.date or the wiki has one.
  xiaomi: {
    vendor: "Xiaomi",
    file: "xiaomi.json",
    makes: ["Xiaomi", "Redmi", "POCO"],
    notes: "Built by scripts/registry/build.ts from the sources in provenance; do not edit by hand. Xiaomi, Redmi and POCO phones (Google Play brands Xiaomi, Redmi, POCO); no coverage claimed.",
    play: { brands: ["Xiaomi", "Redmi", "POCO"], phone: (row) => cleanName(row.name) !== "" && !NOT_PHONES.test(row.name) && !/^(MiTV|MiBOX|Mi ?Box|MIBOX)/i.test(row.model) },
  },
  oneplus: {
    vendor: "OnePlus",
    file: "oneplus.json",
    makes: ["OnePlus"],
    notes: "Built by scripts/registry/build.ts from the sources in provenance; do not edit by hand. No coverage claimed.",
    play: { brands: ["OnePlus"], phone: (row) => /^OnePlus/i.test(cleanName(row.name)) && !NOT_PHONES.test(row.name) },
    endoflife: { product: "oneplus", name: (label) => (/^(Pad|Watch|Buds)/i.test(label) ? null : /^OnePlus/i.test(label) ? label : `OnePlus ${label}`) },
    lineageName: (name) => (/^OnePlus/i.test(name) ? name : `OnePlus ${name}`),
  },
  motorola: {
    vendor: "Motorola",
    file: "motorola.json",
    makes: ["motorola", "Motorola"],
    notes: "Built by scripts/registry/build.ts from the sources in provenance; do not edit by hand. No coverage claimed.",
    play: { brands: ["Motorola"], phone: (row) => cleanName(row.name) !== "" && !NOT_PHONES.test(row.name) },
    endoflife: { product: "motorola-mobility", name: (label) => label },
  },
  nothing: {
    vendor: "Nothing",
    file: "nothing.json",
    makes: ["Nothing"],
    notes: "Built by scripts/registry/build.ts from the sources in provenance; do not edit by hand. No coverage claimed.",
    play: { brands: ["Nothing"], phone: (row) => /^Nothing Phone/i.test(cleanName(row.name)) },
  },
} satisfies Record<VendorId, VendorSpec>;
