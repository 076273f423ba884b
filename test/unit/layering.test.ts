/**
 * Dependencies point inward (DESIGN.md §4, docs/architecture.md), for every folder:
 * domain imports only domain; ports import domain; engine imports domain and ports; hooks and
 * aws implement ports (domain, ports, themselves); the sandbox stands alone (domain only); cli
 * wires everything. Domain, ports and engine import no package; only src/aws imports the AWS SDK;
 * only the clock adapter (src/cli/clocks.ts) and the sandbox read the time; only src/cli (and
 * the error classes) choose an exit code; no import cycles.
 * Each rule is also planted in a temporary tree to see the checker catch it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFile, checkTree, readSources } from '../helpers/layering-check.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('layering', () => {
  it('holds for every file under src/ and commands/', () => {
    const { files, problems } = checkTree(ROOT);
    expect(files).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });

  it.each([
    ['src/domain/plan.ts', `import { x } from '../engine/shift.js';`, 1],
    ['src/domain/plan.ts', `import { x } from '../ports/clock.js';`, 1],
    ['src/domain/plan.ts', `import type { Clock } from '../ports/clock.js';`, 1],
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
    ['src/engine/deploy.ts', `// Date.now() is only read by the clock adapter\nconst t = clock.now();`, 0],
    ['src/ports/lambda.ts', `import type { X } from '../engine/deploy.js';`, 1],
    ['src/ports/lambda.ts', `import type { HookSpec } from '../domain/hook-spec.js';`, 0],
    ['src/hooks/lambda-hook.ts', `import { LambdaClient } from '@aws-sdk/client-lambda';`, 1],
    ['src/hooks/lambda-hook.ts', `import { runDeploy } from '../engine/deploy.js';`, 1],
    ['src/hooks/http-hook.ts', `const started = performance.now();`, 1],
    ['src/aws/lambda-adapter.ts', `import { LambdaClient } from '@aws-sdk/client-lambda';`, 0],
    ['src/aws/lambda-adapter.ts', `import { createHookRunner } from '../hooks/create-hook-runner.js';`, 1],
    ['src/sandbox/server.ts', `import { createRuntime } from '../cli/runtime.js';`, 1],
    ['src/sandbox/server.ts', `const now = Date.now();`, 0],
    ['src/cli/runtime.ts', `const { LambdaClient } = await import('@aws-sdk/client-lambda');`, 1],
    ['src/cli/runtime.ts', `import { startSandbox } from '../sandbox/index.js';`, 0],
    ['src/cli/clocks.ts', `const t = Date.now();`, 0],
    ['src/cli/run-deploy.ts', `const t = new Date();`, 1],
    ['src/cli/run-deploy.ts', `const t = new Date(record.startedAt);`, 0],
    ['commands/deploy.ts', `import '@aws-sdk/client-lambda';`, 1],
    ['src/engine/check.ts', `return ExitCode.Unsafe;`, 1],
    ['src/cli/exit-codes.ts', `return ExitCode.Unsafe;`, 0],
  ])('%s: %j → %i problem(s)', (file, source, count) => {
    expect(checkFile(file, source)).toHaveLength(count);
  });
});

describe('layering: a planted violation of each rule is caught in a fixture tree', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });

  function plant(files: Record<string, string>): string[] {
    root = mkdtempSync(join(tmpdir(), 'lshift-layering-'));
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
    return checkTree(root).problems;
  }

  const clean = {
    'src/domain/plan.ts': `export const plan = 1;\n`,
    'src/ports/clock.ts': `import type { X } from '../domain/plan.js';\nexport interface Clock { now(): number }\n`,
    'src/engine/deploy.ts': `import { plan } from '../domain/plan.js';\nimport type { Clock } from '../ports/clock.js';\n`,
    'src/cli/clocks.ts': `export const now = () => Date.now();\n`,
    'commands/deploy.ts': `import { plan } from '../src/domain/plan.js';\nimport '@oclif/core';\n`,
  };

  it('a clean tree has no problems', () => {
    expect(plant(clean)).toEqual([]);
  });

  it.each([
    [
      'domain imports ports',
      'src/domain/events.ts',
      `import type { Clock } from '../ports/clock.js';`,
      /may not depend on src\/ports/,
    ],
    [
      'engine imports aws',
      'src/engine/run.ts',
      `import { x } from '../aws/clients.js';`,
      /may not depend on src\/aws/,
    ],
    [
      'engine imports a package',
      'src/engine/run.ts',
      `import { Listr } from 'listr2';`,
      /imports no packages/,
    ],
    [
      'hooks import the engine',
      'src/hooks/cmd.ts',
      `import { x } from '../engine/deploy.js';`,
      /may not depend on src\/engine/,
    ],
    [
      'sandbox imports cli',
      'src/sandbox/server.ts',
      `import { x } from '../cli/clocks.js';`,
      /may not depend on src\/cli/,
    ],
    [
      'aws imports hooks',
      'src/aws/adapter.ts',
      `import { x } from '../hooks/cmd.js';`,
      /may not depend on src\/hooks/,
    ],
    [
      'ports import the engine',
      'src/ports/hooks.ts',
      `import type { X } from '../engine/deploy.js';`,
      /may not depend on src\/engine/,
    ],
    [
      'cli imports the AWS SDK',
      'src/cli/runtime.ts',
      `import '@aws-sdk/client-lambda';`,
      /only src\/aws may import the AWS SDK/,
    ],
    ['a hook reads the time', 'src/hooks/cmd.ts', `export const t = () => Date.now();`, /reads the time/],
    [
      'the engine reads the time',
      'src/engine/wait.ts',
      `export const t = performance.now();`,
      /reads the time/,
    ],
  ])('%s', (_rule, path, source, expected) => {
    const problems = plant({ ...clean, [path]: `${source}\n` });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('an import cycle (type-only imports count) is reported with its files', () => {
    const problems = plant({
      ...clean,
      'src/domain/plan.ts': `import type { Strategy } from './strategy.js';\nexport const plan = 1;\n`,
      'src/domain/strategy.ts': `import { plan } from './plan.js';\nexport type Strategy = string;\n`,
    });
    expect(problems).toEqual(['import cycle: src/domain/plan.ts ↔ src/domain/strategy.ts']);
  });
});

describe('one path writes an alias', () => {
  it('only alias-step.ts calls UpdateAlias: the native traffic driver and `lshift alias` both write through it', () => {
    const writers = readSources(ROOT)
      .filter(([file, source]) => /\.updateAlias\(/.test(source) && !/^src\/(aws|sandbox)\//.test(file))
      .map(([file]) => file);
    expect(writers).toEqual(['src/engine/alias-step.ts']);
  });
});
