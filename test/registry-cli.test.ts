import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { describe, it } from "node:test";
import { resolveRegistryFiles } from "../src/config.js";
import type { ScanRecord } from "../src/record.js";
import { FIXTURES, parseNdjson, runCli, tempDir } from "./helpers.js";

/** A photo of a Samsung no registry lists (SM-S957U1, firmware S957U1UEU1AZA1), shot 2026-05-01. */
const RUMOURED_PHOTO = `${FIXTURES}samsung-sm-s957u1-rumoured.jpg`;

/** An environment with no user config or registry of the machine's leaking into a test. */
async function cleanEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  return { XDG_CONFIG_HOME: await tempDir(), EXIFHUNT_REGISTRY: "", ...extra };
}

async function writeJson(path: string, data: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(data));
  return path;
}

function rumour(name: string): unknown {
  return { vendor: "Samsung", devices: [{ name, models: ["SM-S957U1"] }] };
}

async function scanRumoured(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ScanRecord> {
  const result = await runCli(["scan", RUMOURED_PHOTO, "-f", "ndjson", ...args], { ...options, env: options.env ?? (await cleanEnv()) });
  assert.equal(result.code, 0, result.stderr);
  const [record] = parseNdjson<ScanRecord>(result.stdout);
  assert.ok(record);
  return record;
}

describe("user registries (--registry, EXIFHUNT_REGISTRY, config files)", () => {
  it("a user registry adds a rumoured device that a scan then flags; without it the photo is a next-generation unknown model", async () => {
    const before = await scanRumoured([]);
    // SM-S957U1 is one generation past the S26's SM-S94x: news even before anyone names the phone.
    assert.equal(before.verdict, "leak");
    assert.deepEqual(before.findings.map((f) => f.code), ["unknown-model"]);
    assert.match(before.findings[0]?.message ?? "", /next-generation device/);
    assert.equal(before.camera?.firmware?.date, "2026-01");
    const file = await writeJson(join(await tempDir(), "rumours.json"), rumour("Galaxy S27+"));
    const after = await scanRumoured(["--registry", file]);
    assert.equal(after.verdict, "leak");
    assert.equal(after.device?.name, "Galaxy S27+");
    assert.equal(after.device.registry, file);
    assert.deepEqual(after.findings.map((f) => f.code), ["captured-before-announcement"]);
    assert.match(after.findings[0]?.message ?? "", /rumours\.json lists with no dates, so it counts as rumoured: not announced yet/);
  });

  it("reads registries from EXIFHUNT_REGISTRY and $XDG_CONFIG_HOME/exifhunt/config.json, and ignores .exifhuntrc.json in the working directory, saying so", async () => {
    const dir = await tempDir();
    const fromEnv = await writeJson(join(dir, "env.json"), rumour("From env"));
    const other = await writeJson(join(dir, "other.json"), { vendor: "Sony", devices: [{ name: "Xperia Other", models: ["G8999"] }] });
    const env = await scanRumoured([], { env: await cleanEnv({ EXIFHUNT_REGISTRY: [other, fromEnv].join(delimiter) }) });
    assert.equal(env.device?.name, "From env");

    const project = await tempDir();
    await writeJson(join(project, "mine.json"), rumour("From project config"));
    await writeJson(join(project, ".exifhuntrc.json"), { registries: ["mine.json"] });
    // `cd dump && exifhunt scan .`: a config shipped in the folder must not choose the registry.
    const inProject = await runCli(["scan", RUMOURED_PHOTO, "-f", "ndjson"], { cwd: project, env: await cleanEnv() });
    assert.equal(inProject.code, 0, inProject.stderr);
    // Judged by the bundled registry alone: no device (the folder's registry was not read), and the
    // SM-S957U1's next-generation finding.
    const judged = parseNdjson<ScanRecord>(inProject.stdout)[0];
    assert.equal(judged?.device, null);
    assert.deepEqual(judged.findings.map((f) => f.code), ["unknown-model"]);
    assert.match(inProject.stderr, /ignoring .*\.exifhuntrc\.json: configuration is read only from your config folder .*, EXIFHUNT_REGISTRY and --registry, never from the folder you are in; to use a registry it names, pass it with --registry/);
    const quiet = await runCli(["scan", RUMOURED_PHOTO, "-f", "ndjson", "--quiet"], { cwd: project, env: await cleanEnv() });
    assert.equal(quiet.stderr, "", "--quiet silences the notice");
    const listed = await runCli(["registry", "list"], { cwd: project, env: await cleanEnv() });
    assert.doesNotMatch(listed.stdout, /From project config/);
    assert.match(listed.stderr, /ignoring .*\.exifhuntrc\.json/);

    const xdg = await tempDir();
    await mkdir(join(xdg, "exifhunt"));
    await writeJson(join(xdg, "exifhunt", "user.json"), rumour("From user config"));
    await writeJson(join(xdg, "exifhunt", "config.json"), { registries: ["user.json"] });
    const fromUser = await scanRumoured([], { env: await cleanEnv({ XDG_CONFIG_HOME: xdg }) });
    assert.equal(fromUser.device?.name, "From user config");
    // Relative paths in a config file are relative to the file.
    assert.equal(fromUser.device.registry, join(xdg, "exifhunt", "user.json"));
  });

  it("layers user config, then EXIFHUNT_REGISTRY, then --registry: later files win; a working-directory config never counts", async () => {
    const xdg = await tempDir();
    await mkdir(join(xdg, "exifhunt"));
    await writeJson(join(xdg, "exifhunt", "config.json"), { registries: [await writeJson(join(xdg, "u.json"), rumour("user config"))] });
    const project = await tempDir();
    await writeJson(join(project, ".exifhuntrc.json"), { registries: [await writeJson(join(project, "p.json"), rumour("project config"))] });
    const envFile = await writeJson(join(project, "e.json"), rumour("environment"));
    const flagFile = await writeJson(join(project, "f.json"), rumour("command line"));
    const run = async (env: NodeJS.ProcessEnv, args: string[]) => (await scanRumoured(args, { cwd: project, env: await cleanEnv(env) })).device?.name;
    assert.equal(await run({ XDG_CONFIG_HOME: xdg, EXIFHUNT_REGISTRY: envFile }, ["-r", flagFile]), "command line");
    assert.equal(await run({ XDG_CONFIG_HOME: xdg, EXIFHUNT_REGISTRY: envFile }, []), "environment");
    assert.equal(await run({ XDG_CONFIG_HOME: xdg }, []), "user config");
    assert.deepEqual(
      await resolveRegistryFiles({ flags: [flagFile, envFile], env: { XDG_CONFIG_HOME: xdg, EXIFHUNT_REGISTRY: envFile }, cwd: project }),
      [join(xdg, "u.json"), flagFile, envFile],
      "a file named twice is layered once, at its last place",
    );
  });

  it("refuses an invalid user registry with exit 2, naming the file and the field", async () => {
    const file = await writeJson(join(await tempDir(), "bad.json"), {
      vendor: "Samsung",
      devices: [{ name: "Galaxy S27", models: ["SM-S951B"], announced: "next year" }, { name: "Galaxy S27+", models: [], colour: "red" }],
    });
    for (const [args, env] of [
      [["-r", file], {}],
      [[], { EXIFHUNT_REGISTRY: file }],
    ] as const) {
      const result = await runCli(["scan", RUMOURED_PHOTO, "-f", "ndjson", ...args], { env: await cleanEnv(env) });
      assert.equal(result.code, 2);
      assert.equal(result.stdout, "");
      assert.ok(result.stderr.includes(`${file}: devices.0.announced: must be a date: YYYY, YYYY-MM or YYYY-MM-DD`), result.stderr);
      assert.ok(result.stderr.includes(`${file}: devices.1: unknown field "colour"`), result.stderr);
      assert.ok(result.stderr.includes(`${file}: devices.1.models: must NOT have fewer than 1 items`), result.stderr);
    }
    const xdg = await tempDir();
    await mkdir(join(xdg, "exifhunt"));
    const config = join(xdg, "exifhunt", "config.json");
    await writeFile(config, '{"registries": "mine.json"}');
    const badConfig = await runCli(["registry", "list"], { env: await cleanEnv({ XDG_CONFIG_HOME: xdg }) });
    assert.equal(badConfig.code, 2);
    assert.ok(badConfig.stderr.includes(`${config}: registries: must be a list of registry file paths`), badConfig.stderr);
    // A misspelt key is not ignored: it names the key and the file.
    await writeFile(config, '{"registires": ["mine.json"]}');
    const misspelt = await runCli(["scan", RUMOURED_PHOTO, "-f", "ndjson"], { env: await cleanEnv({ XDG_CONFIG_HOME: xdg }) });
    assert.equal(misspelt.code, 2);
    assert.equal(misspelt.stdout, "");
    assert.equal(misspelt.stderr, `exifhunt: ${config}: unknown key "registires"; a config file may hold "registries", "$schema"\n`);
  });
});

describe("exifhunt registry validate", () => {
  it("exits 0 for valid files, saying so", async () => {
    const result = await runCli(["registry", "validate", "registry/samsung.json", "registry/sony.json"]);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^registry\/samsung\.json: valid \(\d+ devices\)$/m);
    assert.match(result.stdout, /^registry\/sony\.json: valid \(\d+ devices\)$/m);
  });

  it("exits 2 listing every problem of every file as FILE: path.to.field: what is wrong", async () => {
    const dir = await tempDir();
    const bad = await writeJson(join(dir, "bad.json"), {
      vendor: "Samsung",
      firmwareScheme: "nokia",
      devices: [
        { name: "A", models: ["SM-A1", "sm-a1"], released: "2014-02-31", unverified: ["camera.megapixels"] },
        { name: "B", models: ["SM-B1"], aliases: ["SM A1"], status: "leaked" },
      ],
    });
    const notJson = join(dir, "broken.json");
    await writeFile(notJson, "{ not json");
    const result = await runCli(["registry", "validate", bad, "registry/sony.json", notJson]);
    assert.equal(result.code, 2);
    const lines = result.stdout.trimEnd().split("\n");
    assert.deepEqual(lines.filter((line) => line.startsWith(`${bad}:`)).sort(), [
      `${bad}: devices.1.status: must be one of: rumoured, announced, released`,
    ]);
    assert.ok(lines.some((line) => /^registry\/sony\.json: valid \(\d+ devices\)$/.test(line)), result.stdout);
    assert.ok(lines.some((line) => line.startsWith(`${notJson}: not valid JSON`)), result.stdout);
    // Once the shape is right, the rules a schema cannot state are checked, every problem listed.
    await writeJson(bad, {
      vendor: "Samsung",
      firmwareScheme: "nokia",
      modelVariants: { pattern: "^SM-\\d{1,5}$" },
      coverage: { modelPattern: "^(a|a)+$" },
      devices: [
        { name: "A", models: ["SM-A1", "sm-a1"], released: "2014-02-31", unverified: ["camera.megapixels"] },
        { name: "B", models: ["SM-B1"], aliases: ["SM A1"] },
      ],
    });
    const second = await runCli(["registry", "validate", bad]);
    assert.equal(second.code, 2);
    assert.deepEqual(second.stdout.trimEnd().split("\n").sort(), [
      `${bad}: coverage.modelPattern: pattern outside the safe subset, so a crafted Model could make matching backtrack for hours: unbounded quantifier "+" at 6: use {n,m} with a bound`,
      `${bad}: devices.0.models.1: model "sm-a1" is already listed by this device`,
      `${bad}: devices.0.released: no such day: 2014-02-31`,
      `${bad}: devices.0.unverified.0: "camera.megapixels" is neither a field this entry sets nor one of its models`,
      `${bad}: devices.1.aliases.0: alias "SM A1" is already a model or alias of devices.0`,
      `${bad}: firmwareScheme: unknown firmware scheme "nokia"`,
      `${bad}: modelVariants.pattern: needs a capture group: the base model number that variants share`,
    ]);
  });
});

describe("exifhunt registry list, show and lookup", () => {
  it("lists devices as a table, one vendor with --vendor, or as JSON", async () => {
    const table = await runCli(["registry", "list", "--vendor", "samsung"], { env: await cleanEnv() });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^VENDOR\s+NAME\s+CODENAME\s+ANNOUNCED\s+RELEASED\s+MODELS$/);
    assert.ok(lines.length > 500, String(lines.length));
    assert.match(table.stdout, /^Samsung\s+Galaxy S24 FE\s+r12s\s+2024-09-26\s+2024-10-03\s+SM-S721B,SM-S721U,/m);
    assert.ok(lines.slice(1).every((line) => line.startsWith("Samsung ")));
    const json = await runCli(["registry", "list", "-f", "json"], { env: await cleanEnv() });
    const devices = JSON.parse(json.stdout) as { vendor: string; name: string; registry: string }[];
    assert.deepEqual([...new Set(devices.map((d) => d.vendor))], ["Sony", "Samsung", "Google", "Apple", "Xiaomi", "OnePlus", "Motorola", "Nothing"]);
    assert.equal(devices.find((d) => d.name === "Galaxy S10+")?.registry, "bundled:samsung.json");
    const unknown = await runCli(["registry", "list", "--vendor", "Nokia"], { env: await cleanEnv() });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no vendor "Nokia" in the registry; known: Sony, Samsung, Google, Apple, Xiaomi, OnePlus, Motorola, Nothing/);
  });

  it("shows a device found by a model as cameras write it, a codename or a name", async () => {
    const env = await cleanEnv();
    const byModel = await runCli(["registry", "show", "SM-G965W"], { env });
    assert.equal(byModel.code, 0, byModel.stderr);
    assert.match(byModel.stdout, /^Galaxy S9\+ \(Samsung\)$/m);
    assert.match(byModel.stdout, /announced\s+2018-02-25 \(unverified\)/);
    assert.match(byModel.stdout, /registry\s+bundled:samsung\.json/);
    const byCodename = await runCli(["registry", "show", "amami"], { env });
    assert.match(byCodename.stdout, /^Xperia Z1 Compact \(Sony\)$/m);
    assert.match(byCodename.stdout, /firmware\s+scheme sony; public builds:\n\s+14\.2\.A\.1\.114\s+Android 4\.3/);
    const byName = await runCli(["registry", "show", "galaxy s24 fe", "-f", "json"], { env });
    const device = JSON.parse(byName.stdout) as { name: string; codename: string; models: string[]; status: string };
    assert.equal(device.name, "Galaxy S24 FE");
    assert.equal(device.status, "released");
    assert.ok(device.models.includes("SM-S7210"));
    const ambiguous = await runCli(["registry", "show", "Compact"], { env });
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /matches \d+ devices; name one:[\s\S]*Xperia Z3 Compact/);
    const none = await runCli(["registry", "show", "Galaxy S99"], { env });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no device matches "Galaxy S99"/);
  });

  it("looks up a model and firmware as a scan would see them, with the sentences", async () => {
    const env = await cleanEnv();
    const result = await runCli(["registry", "lookup", "SAMSUNG-SM-N900A", "N900AUCUCNC2", "--date", "2014-07-12"], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /device\s+Samsung Galaxy Note 3 \(hlte\), announced 2013-09-04, released 2013-09/);
    assert.match(result.stdout, /firmware\s+N900AUCUCNC2: model N900A, region UC, major C, built 2014-03, build 2/);
    assert.match(result.stdout, /verdict\s+known/);
    const early = await runCli(["registry", "lookup", "SM-G975F", "G975FXXU7CTF1", "--date", "2019-01-10"], { env });
    assert.match(early.stdout, /verdict\s+suspicious/);
    assert.match(early.stdout, /! captured-before-announcement \(high\): shot 2019-01-10, 41 days before Galaxy S10\+ was announced/);
    assert.match(early.stdout, /! date-inconsistent \(medium\): firmware G975FXXU7CTF1 was built in 2020-06, after the photo's capture time/);
    const badDate = await runCli(["registry", "lookup", "SM-G975F", "--date", "2019-02-30"], { env });
    assert.equal(badDate.code, 2);
  });

  it("concludes what the scan concludes: the same analysis, the same sentences", async () => {
    const env = await cleanEnv();
    const scan = await runCli(["scan", `${FIXTURES}sony-d5503-prelaunch.jpg`, "-f", "ndjson"], { env });
    const [record] = parseNdjson<ScanRecord>(scan.stdout);
    assert.ok(record?.camera?.software && record.camera.model && record.camera.captured);
    const lookup = await runCli(
      ["registry", "lookup", record.camera.model, record.camera.software, "--date", record.camera.captured.slice(0, 10), "-f", "json"],
      { env },
    );
    const [answer] = parseNdjson<Pick<ScanRecord, "device" | "verdict" | "findings">>(lookup.stdout);
    assert.deepEqual(answer?.device, record.device);
    assert.equal(answer.verdict, record.verdict);
    assert.deepEqual(answer.findings, record.findings);
  });

  it("looks up with the user's registries too", async () => {
    const file = await writeJson(join(await tempDir(), "rumours.json"), rumour("Galaxy S27+"));
    const result = await runCli(["registry", "lookup", "SM-S957U1", "S957U1UEU1AZA1", "--date", "2026-05-01", "-r", file], { env: await cleanEnv() });
    assert.match(result.stdout, /device\s+Samsung Galaxy S27\+\n\s+matched\s+by model number, from .*rumours\.json/);
    assert.match(result.stdout, /verdict\s+leak/);
    assert.match(result.stdout, /on Galaxy S27\+, which .*rumours\.json lists with no dates, so it counts as rumoured/);
  });
});
