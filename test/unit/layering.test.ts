/**
 * Dependencies point inward (DESIGN.md §4): domain imports only domain; engine imports only
 * domain, ports and engine; only src/aws imports the AWS SDK; domain and engine never import
 * oclif or listr2 (nor any package: they are pure TypeScript over ports).
 *
 * One allowance: a *type-only* import from src/ports into src/domain (events.ts names
 * HookPhase/AlarmState). Ports are interfaces, erased at compile time, so this adds no runtime
 * dependency; a runtime import of ports from domain still fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

const STATIC = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function listImports(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of source.matchAll(STATIC)) refs.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(DYNAMIC)) refs.push({ specifier: m[1]!, typeOnly: false });
  return refs;
}

/** The violations of one file (path relative to the repo root, `/`-separated). */
function checkFile(file: string, source: string): string[] {
  const layer = layerOf(file);
  const problems: string[] = [];
  for (const ref of listImports(source)) {
    const spec = ref.specifier;
    const relativeSpec = spec.startsWith('.');
    const target = relativeSpec
      ? relative(ROOT, resolve(ROOT, dirname(file), spec))
          .split('\\')
          .join('/')
      : spec;
    if (!relativeSpec && spec.startsWith('@aws-sdk/') && layer !== 'src/aws') {
      problems.push(`${file} imports ${spec}: only src/aws may import the AWS SDK`);
    }
    if (layer === 'src/domain' || layer === 'src/engine') {
      if (!relativeSpec) {
        const what = /^(@oclif\/|oclif$|listr2$)/.test(spec) ? ' (UI belongs in src/cli)' : '';
        problems.push(`${file} imports package ${spec}${what}: ${layer} imports no packages`);
        continue;
      }
      const targetLayer = layerOf(target);
      const allowed =
        layer === 'src/domain'
          ? targetLayer === 'src/domain' || (targetLayer === 'src/ports' && ref.typeOnly)
          : ['src/domain', 'src/ports', 'src/engine'].includes(targetLayer);
      if (!allowed) problems.push(`${file} imports ${target}: ${layer} may not depend on ${targetLayer}`);
    }
  }
  return problems;
}

function layerOf(path: string): string {
  const parts = path.split('/');
  return parts[0] === 'src' ? `src/${parts[1] ?? ''}` : (parts[0] ?? '');
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

describe('layering', () => {
  it('holds for every file under src/ and commands/', () => {
    const files = [...listTs(join(ROOT, 'src')), ...listTs(join(ROOT, 'commands'))];
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((full) =>
      checkFile(relative(ROOT, full).split('\\').join('/'), readFileSync(full, 'utf8')),
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ['src/domain/plan.ts', `import { x } from '../engine/shift.js';`, 1],
    ['src/domain/plan.ts', `import { x } from '../ports/clock.js';`, 1],
    ['src/domain/plan.ts', `import type { Clock } from '../ports/clock.js';`, 0],
    ['src/domain/plan.ts', `import { parse } from 'yaml';`, 1],
    [
      'src/domain/plan.ts',
      `import { a } from './strategy.js';\nimport type { B } from './analysis/judge.js';`,
      0,
    ],
    ['src/engine/deploy.ts', `import { createRuntime } from '../cli/runtime.js';`, 1],
    ['src/engine/deploy.ts', `import { LambdaAdapter } from '../aws/lambda-adapter.js';`, 1],
    [
      'src/engine/deploy.ts',
      `import {\n  a,\n  b,\n} from '../ports/lambda.js';\nexport { c } from './shift.js';`,
      0,
    ],
    ['src/engine/deploy.ts', `import { Listr } from 'listr2';`, 1],
    ['src/engine/deploy.ts', `import { Command } from '@oclif/core';`, 1],
    ['src/engine/deploy.ts', `const m = await import('../hooks/run.js');`, 1],
    ['src/cli/runtime.ts', `const { LambdaClient } = await import('@aws-sdk/client-lambda');`, 1],
    ['src/hooks/lambda-hook.ts', `import { LambdaClient } from '@aws-sdk/client-lambda';`, 1],
    ['src/aws/lambda-adapter.ts', `import { LambdaClient } from '@aws-sdk/client-lambda';`, 0],
    ['commands/deploy.ts', `import '@aws-sdk/client-lambda';`, 1],
  ])('%s: %j → %i problem(s)', (file, source, count) => {
    expect(checkFile(file, source)).toHaveLength(count);
  });
});
