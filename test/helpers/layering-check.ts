/**
 * The dependency rules of docs/architecture.md, checked over a source tree (the repository, or
 * a temporary fixture with a planted violation): which layer may import which, which layers may
 * import packages, who may import the AWS SDK, who may read the time, who may choose an exit
 * code, and no import cycles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

const STATIC = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function listImports(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(STATIC)) refs.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(DYNAMIC)) refs.push({ specifier: m[1]!, typeOnly: false });
  return refs;
}

/** Which layers each layer may import (itself included). `commands/` may import everything. */
const ALLOWED: Record<string, readonly string[]> = {
  'src/domain': ['src/domain'],
  'src/ports': ['src/ports', 'src/domain'],
  'src/engine': ['src/engine', 'src/domain', 'src/ports'],
  'src/hooks': ['src/hooks', 'src/domain', 'src/ports'],
  'src/aws': ['src/aws', 'src/domain', 'src/ports'],
  'src/sandbox': ['src/sandbox', 'src/domain'],
  'src/cli': ['src/cli', 'src/domain', 'src/ports', 'src/engine', 'src/hooks', 'src/aws', 'src/sandbox'],
};

/** Layers that are pure TypeScript over ports: no package, no Node built-in. */
const NO_PACKAGES = new Set(['src/domain', 'src/ports', 'src/engine']);

/** Where real time may be read: the system clock adapter, and the sandbox's simulated clock base. */
const TIME_READERS = [/^src\/cli\/clocks\.ts$/, /^src\/sandbox\//];
const TIME_READ = /\b(?:Date\.now|performance\.now)\b|\bnew Date\(\s*\)/g;

/**
 * Where an exit code may be chosen: the CLI, the commands, and the error hierarchy (each error
 * class declares its category's code; docs/exit-codes.md lists them).
 */
const EXIT_CHOOSERS = [/^src\/cli\//, /^commands\//, /^src\/domain\/errors\.ts$/];
const EXIT_CHOICE = /\bExitCode\.\w+|\bprocess\.exit(?:Code)?\b/g;

export function layerOf(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'src' ? `src/${parts[1] ?? ''}` : (parts[0] ?? '');
}

/** The repo-relative file an import points at (`.js` specifiers name `.ts` sources). */
function resolveTarget(file: string, spec: string): string {
  return join(dirname(file), spec).split('\\').join('/').replace(/\.js$/, '.ts');
}

/** Violations of the layer, package, SDK and time rules in one file (path relative to the root). */
export function checkFile(file: string, source: string): string[] {
  const layer = layerOf(file);
  const problems: string[] = [];
  for (const ref of listImports(source)) {
    const spec = ref.specifier;
    if (!spec.startsWith('.')) {
      if (spec.startsWith('@aws-sdk/') && layer !== 'src/aws') {
        problems.push(`${file} imports ${spec}: only src/aws may import the AWS SDK`);
      } else if (NO_PACKAGES.has(layer)) {
        const what = /^(@oclif\/|oclif$|listr2$)/.test(spec) ? ' (UI belongs in src/cli)' : '';
        problems.push(`${file} imports package ${spec}${what}: ${layer} imports no packages`);
      }
      continue;
    }
    const targetLayer = layerOf(resolveTarget(file, spec));
    const allowed = ALLOWED[layer];
    if (allowed && !allowed.includes(targetLayer)) {
      problems.push(
        `${file} imports ${resolveTarget(file, spec)}: ${layer} may not depend on ${targetLayer}`,
      );
    }
  }
  if (!EXIT_CHOOSERS.some((re) => re.test(file))) {
    for (const m of stripComments(source).matchAll(EXIT_CHOICE)) {
      problems.push(`${file} chooses an exit code (${m[0]}): only src/cli may; return an outcome`);
    }
  }
  if (!TIME_READERS.some((re) => re.test(file))) {
    const code = stripComments(source);
    for (const m of code.matchAll(TIME_READ)) {
      problems.push(`${file} reads the time (${m[0]}): only the clock adapter may; take a Clock`);
    }
  }
  return problems;
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Import cycles among the given files (type-only imports count: they still tangle the design). */
export function findCycles(files: Map<string, string>): string[][] {
  const graph = new Map<string, string[]>();
  for (const [file, source] of files) {
    const targets = listImports(source)
      .filter((r) => r.specifier.startsWith('.'))
      .map((r) => resolveTarget(file, r.specifier))
      .filter((t) => files.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0]!)?.includes(c[0]!));
}

/** Tarjan's strongly connected components. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

function listTs(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(listTs(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Every `.ts` file under `root`'s src/ and commands/, by repo-relative path. */
export function readSources(root: string): [string, string][] {
  const sources = new Map<string, string>();
  for (const top of ['src', 'commands']) {
    const dir = resolve(root, top);
    let found: string[] = [];
    try {
      found = listTs(dir);
    } catch {
      continue;
    }
    for (const full of found) {
      sources.set(relative(root, full).split('\\').join('/'), readFileSync(full, 'utf8'));
    }
  }
  return [...sources];
}

/** Every problem under `root`'s src/ and commands/: rule violations, then cycles. */
export function checkTree(root: string): { files: number; problems: string[] } {
  const sources = new Map(readSources(root));
  const problems = [...sources].flatMap(([file, source]) => checkFile(file, source));
  for (const cycle of findCycles(sources)) problems.push(`import cycle: ${cycle.join(' ↔ ')}`);
  return { files: sources.size, problems };
}
