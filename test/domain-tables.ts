/**
 * The device tables of ../shared/domain/*.md, parsed independently of the bundled registry files,
 * so tests can hold the registry to what the domain notes say.
 */
import { readFile } from "node:fs/promises";
import { SHARED } from "./helpers.js";

export interface DomainRow {
  /** The device names the row gives (`Galaxy S6 / S6 edge` -> two). */
  names: string[];
  /**
   * Model numbers by device, when the row's model groups line up with its names; otherwise one
   * group holding every model of the row (`Galaxy S10e / S10 / S10+` lists three models in one
   * group): each must then belong to one of the row's devices.
   */
  groups: string[][];
}

function tableRows(markdown: string, firstHeader: string): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} |`));
  if (start < 0) throw new Error(`no table starting with ${firstHeader}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(line.split("|").slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

/**
 * Samsung's shorthand: `SM-G900F/FD/H, G900K/L/S` is SM-G900F, SM-G900FD, SM-G900H, SM-G900K …
 * (the prefix carries over; after `/` comes another suffix for the same base); `(+U/U1)` adds
 * those suffixes to every model of the group; `(u)` marks an unverified value.
 */
export function expandSamsungModels(group: string): string[] {
  let text = group.replace(/\(u\)/g, "").trim();
  const extra = /\(\+([^)]*)\)/.exec(text);
  text = text.replace(/\(\+[^)]*\)/, "").trim();
  const models: string[] = [];
  let prefix = "";
  for (const item of text.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const prefixed = /^([A-Z]{2,3}-)(.*)$/.exec(item);
    if (prefixed !== null) prefix = prefixed[1] ?? "";
    const body = prefixed === null ? item : (prefixed[2] ?? "");
    const [first = "", ...suffixes] = body.split("/");
    const base = first.replace(/[A-Z]+$/, "");
    models.push(prefix + first, ...suffixes.map((suffix) => prefix + base + suffix));
  }
  if (extra === null) return models;
  const suffixes = (extra[1] ?? "").split("/");
  return models.flatMap((model) => [model, ...suffixes.map((suffix) => model.replace(/[A-Z]+$/, "") + suffix)]);
}

export async function samsungRows(): Promise<DomainRow[]> {
  const markdown = await readFile(`${SHARED}domain/samsung-galaxy.md`, "utf8");
  return tableRows(markdown, "Device").map(([device = "", models = ""]) => {
    const names = device.split(" / ").map((name) => (name.startsWith("Galaxy ") ? name : `Galaxy ${name}`));
    const groups = models.split(" / ").map(expandSamsungModels);
    return { names, groups: groups.length === names.length ? groups : [groups.flat()] };
  });
}

export async function sonyRows(): Promise<DomainRow[]> {
  const markdown = await readFile(`${SHARED}domain/sony-xperia.md`, "utf8");
  return tableRows(markdown, "Phone").map(([phone = "", , models = ""]) => ({
    names: [phone],
    // `C6916 (Z1s, T-Mobile US)`, `M51w (China)`: the note is not part of the model.
    groups: [models.replace(/\([^)]*\)/g, "").split(",").map((model) => model.trim()).filter((model) => model !== "")],
  }));
}
