/**
 * A small pure parser of the module graph of src/: the specifiers of `import … from "x"`,
 * `export … from "x"`, `import "x"` and `import("x")`, type-only ones included (a type import
 * ties two rooms together as much as a value import does, even if the compiler erases it).
 */

const STATIC = /\b(?:import|export)\s+(?:type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s*from\s*["']([^"']+)["']/g;
const BARE = /\bimport\s*["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Comments out of the way, so that an import quoted in a doc comment is not one. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** Every module specifier the source imports or re-exports from, in order of appearance. */
export function importSpecifiers(source: string): string[] {
  const text = withoutComments(source);
  const found: { at: number; specifier: string }[] = [];
  for (const pattern of [STATIC, BARE, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) found.push({ at: match.index, specifier: match[1] ?? "" });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.specifier);
}

/**
 * The module a relative specifier names, as a path relative to src/ ("parallel/pool.ts"); null for
 * packages and node: builtins. `from` is the importing file, also relative to src/.
 */
export function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/").replace(/\.js$/, ".ts");
}

/** The cycles of a graph, each as the path of modules that leads back to its start (A, B, A). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === "open") cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (seen === undefined) visit(next);
    }
    path.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
