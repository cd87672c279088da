/**
 * Readers for the public sources the registry is built from. Pure: each takes a source file's text
 * and returns the facts exifhunt uses from it (names, model numbers, dates, links), nothing else.
 */

/** One row of Google Play's supported-devices list: Build.MODEL is what a phone writes as EXIF Model. */
export interface PlayDevice {
  brand: string;
  /** Marketing name ("Xperia 1 II"); may be empty. */
  name: string;
  /** Build.DEVICE (a codename such as "r0q"). */
  device: string;
  /** Build.MODEL ("XQ-AT52", "Pixel 9 Pro"). */
  model: string;
}

/** Splits CSV text (RFC 4180 quoting) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? "";
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Google Play's supported_devices.csv (header "Retail Branding,Marketing Name,Device,Model"), as
 * text: the file itself is UTF-16, which the caller decodes (decodeText).
 */
export function parsePlayDevices(text: string): PlayDevice[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  const columns = (header ?? []).map((cell) => cell.trim().toLowerCase());
  const at = (name: string): number => columns.indexOf(name);
  const [brand, name, device, model] = [at("retail branding"), at("marketing name"), at("device"), at("model")];
  // Device (the codename) is not used for matching, so a list without it is read too.
  if (brand < 0 || name < 0 || model < 0) {
    throw new SourceFormatError("supported_devices.csv: expected the columns Retail Branding, Marketing Name, Model (and Device)");
  }
  return rows
    .filter((cells) => cells.length >= columns.length)
    .map((cells) => ({
      brand: (cells[brand] ?? "").trim(),
      name: (cells[name] ?? "").trim(),
      device: device < 0 ? "" : (cells[device] ?? "").trim(),
      model: (cells[model] ?? "").trim(),
    }))
    .filter((row) => row.model !== "");
}

/** Text from bytes: UTF-16 with a byte-order mark (as Google Play publishes its list), else UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  return new TextDecoder("utf-8").decode(bytes);
}

export class SourceFormatError extends Error {
  override name = "SourceFormatError";
}

/** One release of an endoflife.date product page (products/*.md front matter). */
export interface EolRelease {
  cycle: string;
  label: string;
  /** YYYY-MM-DD, or null when the page gives none. */
  releaseDate: string | null;
  link: string | null;
  /** The URL a `# https://…` comment after the release date cites, if any. */
  dateSource: string | null;
}

function unquote(value: string): string {
  const trimmed = value.replace(/\s+#.*$/, "").trim();
  const match = /^(["'])(.*)\1$/.exec(trimmed);
  return match?.[2] ?? trimmed;
}

/**
 * The `releases:` list of an endoflife.date product page. Reads only the keys used here, line by
 * line (the front matter is YAML, but these keys are always `key: value` on one line).
 */
export function parseEndoflife(text: string): EolRelease[] {
  const frontMatter = text.split(/^---\s*$/m)[1] ?? "";
  const releases: EolRelease[] = [];
  let current: EolRelease | null = null;
  let inReleases = false;
  for (const line of frontMatter.split("\n")) {
    if (/^releases:\s*$/.test(line)) {
      inReleases = true;
      continue;
    }
    if (!inReleases) continue;
    if (/^\S/.test(line)) break;
    const start = /^\s*-\s+releaseCycle:\s*(.+)$/.exec(line);
    if (start !== null) {
      current = { cycle: unquote(start[1] ?? ""), label: "", releaseDate: null, link: null, dateSource: null };
      releases.push(current);
      continue;
    }
    const field = /^\s+(releaseLabel|releaseDate|link):\s*(.*)$/.exec(line);
    if (current === null || field === null) continue;
    const [, key, raw = ""] = field;
    const value = unquote(raw);
    if (key === "releaseLabel") current.label = value.replace(/__RELEASE_CYCLE__/g, current.cycle);
    else if (key === "releaseDate") {
      current.releaseDate = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
      current.dateSource = /#\s*(https?:\/\/\S+)/.exec(raw)?.[1] ?? null;
    } else if (key === "link") current.link = value === "null" || value === "" ? null : value;
  }
  for (const release of releases) if (release.label === "") release.label = release.cycle;
  return releases;
}

/** What the LineageOS wiki says of one device (_data/devices/<codename>.yml). */
export interface LineageDevice {
  codename: string;
  vendor: string;
  name: string;
  /** The wiki's `release` (YYYY, YYYY-MM or YYYY-MM-DD; sometimes the announcement). */
  release: string | null;
  models: string[];
  type: string | null;
}

function yamlList(value: string): string[] {
  const inner = /^\[(.*)\]$/.exec(value.trim())?.[1];
  if (inner === undefined) return [];
  return inner.split(",").map(unquote).filter((item) => item !== "");
}

/** The top-level keys of a LineageOS wiki device file that are used here. */
export function parseLineageDevice(text: string): LineageDevice | null {
  const top = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+):\s*(.*)$/.exec(line);
    if (match?.[1] !== undefined) top.set(match[1], match[2] ?? "");
  }
  const codename = unquote(top.get("codename") ?? "");
  const vendor = unquote(top.get("vendor") ?? "");
  const name = unquote(top.get("name") ?? "");
  if (codename === "" || vendor === "" || name === "") return null;
  const release = unquote(top.get("release") ?? "");
  return {
    codename,
    vendor,
    name,
    release: /^\d{4}(-\d{2}(-\d{2})?)?$/.test(release) ? release : null,
    models: yamlList(top.get("models") ?? ""),
    type: top.has("type") ? unquote(top.get("type") ?? "") : null,
  };
}
