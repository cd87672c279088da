/**
 * Rebuilds registry/*.json from pinned snapshots of public sources (scripts/registry/sources.json)
 * and the hand-kept overrides (scripts/registry/overrides/*.json). Deterministic: rerunning it gives
 * the same bytes (`--check` rebuilds and compares with the committed files instead of writing).
 *
 *   node --import tsx scripts/registry/build.ts [--check] [--source owner/name=PATH ...]
 *
 * PATH is a git directory (read at the pinned commit with `git show`) or a plain checkout (read as
 * it is, its HEAD recorded). Without --source, each repository is looked for where the project's
 * `fetch` tool puts snapshots: /work/.mirror/<owner>+<name>/repo.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkoutFiles, checkoutRef } from "../../src/commands/registry-import.js";
import { validateRegistry } from "../../src/registry/validate.js";
import {
  assembleVendor,
  decodeText,
  formatRegistry,
  sourceInputs,
  VENDORS,
  type OverridesFile,
  type SourceFile,
  type SourceRef,
  type VendorId,
  type VendorInputs,
} from "../../src/registry/import/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
type SourceName = "play" | "endoflife" | "lineage";
const IMPORTER = { play: "google-play", endoflife: "endoflife", lineage: "lineage" } as const;

interface Pinned {
  repository: string;
  commit: string;
  licence: string;
  files: string[];
}

const pinned = JSON.parse(readFileSync(join(ROOT, "scripts/registry/sources.json"), "utf8")) as Record<SourceName, Pinned>;

function argValues(flag: string): string[] {
  const values: string[] = [];
  process.argv.forEach((arg, index) => {
    if (arg === flag && process.argv[index + 1] !== undefined) values.push(process.argv[index + 1] ?? "");
  });
  return values;
}

const locations = new Map(argValues("--source").map((pair) => {
  const [repo = "", path = ""] = pair.split("=");
  return [repo, path] as const;
}));

function git(gitDir: string, ...args: string[]): Buffer {
  return execFileSync("git", [`--git-dir=${gitDir}`, ...args], { maxBuffer: 256 * 1024 * 1024 });
}

/** The files a pinned source needs, as text, and the ref actually read. */
async function readSource(source: Pinned): Promise<{ files: SourceFile[]; ref: SourceRef }> {
  const location = locations.get(source.repository) ?? `/work/.mirror/${source.repository.replace("/", "+")}/repo`;
  if (!existsSync(location)) throw new Error(`${source.repository}: no snapshot at ${location} (pass --source ${source.repository}=PATH)`);
  const isGitDir = existsSync(join(location, "HEAD")) && existsSync(join(location, "objects"));
  const wanted = (path: string): boolean => source.files.some((pattern) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, "[^/]*")}$`).test(path));
  if (isGitDir) {
    const paths = git(location, "ls-tree", "-r", "--name-only", source.commit).toString("utf8").split("\n").filter(wanted).sort();
    const files = paths.map((path) => ({ path, text: decodeText(git(location, "show", `${source.commit}:${path}`)) }));
    return { files, ref: { repository: source.repository, commit: source.commit, licence: source.licence, files: source.files } };
  }
  // A plain checkout: read as it is, as `registry import` reads one; its HEAD is what gets recorded.
  const [files, { commit }] = await Promise.all([checkoutFiles(location, wanted), checkoutRef(location)]);
  return { files, ref: { repository: source.repository, commit, licence: source.licence, files: source.files } };
}

const names = Object.keys(pinned) as SourceName[];
const sources = await Promise.all(names.map((name) => readSource(pinned[name])));
const read = Object.fromEntries(names.map((name, index) => [name, sources[index]])) as Record<SourceName, Awaited<ReturnType<typeof readSource>>>;

function inputsFor(vendor: VendorId): VendorInputs {
  const inputs: VendorInputs = {};
  for (const name of Object.keys(read) as SourceName[]) {
    const { files, ref } = read[name];
    Object.assign(inputs, sourceInputs(IMPORTER[name], files, ref, vendor));
  }
  return inputs;
}

const check = process.argv.includes("--check");
let failed = false;
for (const vendor of Object.keys(VENDORS) as VendorId[]) {
  const spec = VENDORS[vendor];
  const overridesPath = join(ROOT, "scripts/registry/overrides", spec.file);
  const overrides = existsSync(overridesPath) ? (JSON.parse(readFileSync(overridesPath, "utf8")) as OverridesFile) : null;
  const file = assembleVendor(spec, inputsFor(vendor), overrides);
  const problems = validateRegistry(spec.file, file);
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${problem.file}: ${problem.path}: ${problem.message}`);
    failed = true;
    continue;
  }
  const text = formatRegistry(file);
  const target = join(ROOT, "registry", spec.file);
  const models = file.devices.reduce((sum, device) => sum + device.models.length, 0);
  if (check) {
    const same = existsSync(target) && readFileSync(target, "utf8") === text;
    console.error(`${spec.file}: ${same ? "identical" : "DIFFERS"} (${String(file.devices.length)} devices, ${String(models)} model numbers)`);
    if (!same) failed = true;
  } else {
    writeFileSync(target, text);
    console.error(`${spec.file}: ${String(file.devices.length)} devices, ${String(models)} model numbers`);
  }
}
if (failed) process.exitCode = 1;
