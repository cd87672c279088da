/**
 * Issue 12, item 5: a registry cannot hang a scan. Every pattern a registry holds is checked
 * against a safe subset before it is compiled (src/registry/pattern.ts): only bounded repetition, no
 * backreferences or lookarounds, and a bounded number of paths per start position, so a backtracking
 * match over a Model of length L takes at most cost·(L+1) steps. Patterns outside it are refused by
 * `validate`, by loading (exit 2 before any photo is read) and by DeviceRegistry.build.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { RegistryError } from "../src/errors.js";
import { DeviceRegistry, MAX_PATTERN_INPUT } from "../src/registry/build.js";
import { BUNDLED_REGISTRIES } from "../src/registry/load.js";
import { checkPattern, MAX_PATTERN_COST } from "../src/registry/pattern.js";
import type { RegistryFile } from "../src/registry/types.js";
import { FIXTURES, ROOT, runCli, tempDir } from "./helpers.js";
import { editExif } from "./support/exif-editor.js";

const EVIL = "^(a|a)+$";
/** 33 a's and a b: 2^33 paths for a backtracking engine running EVIL. */
const HOSTILE_MODEL = `${"a".repeat(33)}b`;

describe("registry patterns: the safe subset", () => {
  it("refuses the classic catastrophic patterns, bounded or not", () => {
    for (const pattern of [EVIL, "^(a+)+$", "(a*)*b", "^(\\d|\\d)*$", "(.*a){20}", "^(a|aa){1,40}$", "(a)\\1", "^(?=a)a$", "^(?!b)a$", "(?<=a)b", "a{2,}"]) {
      const verdict = checkPattern(pattern);
      assert.equal(verdict.ok, false, pattern);
    }
    // Bounded but exponential: (a|a){1,40} has 2^40 paths from one position; refused by its cost.
    const bounded = checkPattern("^(a|a){1,40}$");
    assert.ok(!bounded.ok && /steps per character/.test(bounded.reason), JSON.stringify(bounded));
  });

  it("accepts every pattern of the bundled registries, each with a small cost per position", async () => {
    const costs: string[] = [];
    for (const name of BUNDLED_REGISTRIES) {
      const file = JSON.parse(await readFile(join(ROOT, "registry", name), "utf8")) as RegistryFile;
      const patterns = [file.coverage?.modelPattern, file.modelVariants?.pattern, ...(file.generations ?? []).map((g) => g.pattern)];
      for (const pattern of patterns) {
        if (pattern === undefined) continue;
        const verdict = checkPattern(pattern);
        assert.ok(verdict.ok, `${name}: ${pattern}: ${verdict.ok ? "" : verdict.reason}`);
        assert.ok(verdict.cost <= 1_000, `${pattern}: ${String(verdict.cost)}`);
        costs.push(`${name} ${String(verdict.cost)}`);
      }
    }
    console.log(`# bundled pattern costs (paths per start position, limit ${String(MAX_PATTERN_COST)}): ${costs.join(", ")}`);
  });

  it("the cost counts paths: it adds over alternatives, multiplies over a sequence, and grows with each bound", () => {
    const cost = (pattern: string): number => {
      const verdict = checkPattern(pattern);
      assert.ok(verdict.ok, pattern);
      return verdict.cost;
    };
    assert.equal(cost("^abc$"), 1);
    assert.equal(cost("^(a|b|c)$"), 3);
    assert.equal(cost("^(a|b)(c|d)$"), 4);
    assert.equal(cost("^a?$"), 2);
    assert.equal(cost("^\\d{2,4}$"), 5);
    assert.equal(cost("^(a|b){2}$"), 3 * 2 * 2);
    // Escapes and classes are one atom each, whatever they contain.
    assert.equal(cost("^[(|)+*]\\(\\+$"), 1);
  });

  it("refuses a registry with ^(a|a)+$ everywhere it could come in: validate, a scan (exit 2 before reading), the library", async () => {
    const dir = await tempDir();
    const evil = join(dir, "evil.json");
    await writeFile(evil, JSON.stringify({ vendor: "Sony", coverage: { modelPattern: EVIL }, devices: [] }));
    const validate = await runCli(["registry", "validate", evil]);
    assert.equal(validate.code, 2);
    assert.match(validate.stdout, /coverage\.modelPattern: pattern outside the safe subset/);
    // A photo whose Model is the hostile string: the scan refuses the registry instead of matching it.
    const photo = join(dir, "hostile.jpg");
    await writeFile(photo, editExif(await readFile(join(FIXTURES, "sony-d6503-released.jpg")), (tiff) => {
      tiff.setText("model", HOSTILE_MODEL);
    }));
    const scan = await runCli(["scan", photo, "--registry", evil]);
    assert.equal(scan.code, 2);
    assert.match(scan.stderr, /pattern outside the safe subset/);
    assert.equal(scan.stdout, "");
    const data: RegistryFile = { vendor: "Acme", generations: [{ name: "evil", pattern: "^(a|a)+(\\d)$" }], devices: [] };
    assert.throws(() => DeviceRegistry.build([{ file: "inline", data }]), (error: unknown) => error instanceof RegistryError && /generations\.0\.pattern/.test(error.message));
  });

  it("runs no pattern over a Model longer than a model number: the hostile Model is outside coverage", () => {
    const data: RegistryFile = { vendor: "Acme", coverage: { modelPattern: "^a{1,40}b$" }, devices: [{ name: "A", models: ["A1"] }] };
    const registry = DeviceRegistry.build([{ file: "inline", data }]);
    const short = registry.lookup("Acme", HOSTILE_MODEL);
    assert.ok(short.kind === "unknown-model" && short.inCoverage, "a 34-character model is still matched");
    const long = registry.lookup("Acme", `${"a".repeat(MAX_PATTERN_INPUT)}b`);
    assert.ok(long.kind === "unknown-model" && !long.inCoverage);
  });
});
