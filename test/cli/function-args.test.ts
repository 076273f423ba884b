import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkFunctionName,
  checkParsedFunctionArgs,
  functionArg,
  isFunctionArg,
  refuseDuplicateFunctions,
  uniqueFunctions,
} from '../../src/cli/function-args.js';
import { releaseFunctions } from '../../src/cli/release-options.js';
import { UsageError } from '../../src/domain/errors.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:beta';
const PARTIAL = '123456789012:function:beta';

function usageErrorOf(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('one function named twice in a release, in any two spellings', () => {
  it.each([
    [['beta', 'beta']],
    [['beta', ARN]],
    [[ARN, 'beta']],
    [['beta', PARTIAL]],
    [[PARTIAL, ARN]],
    [['alpha', 'beta', 'gamma', `${PARTIAL}`]],
  ])('%j is refused, naming both spellings', (spellings) => {
    const error = usageErrorOf(() => refuseDuplicateFunctions(spellings));
    expect(error.code).toBe('FUNCTION_NAMED_TWICE');
    expect(error.exitCode).toBe(2);
    const [first, second] = spellings.filter((s) => s.endsWith('beta'));
    expect(error.message).toContain('Function beta is named twice');
    if (first !== second) expect(error.message).toContain(`as \`${first}\` and as \`${second}\``);
    expect(error.hint).toMatch(/name each function once/i);
  });

  it.each([
    [['beta', 'gamma']],
    [['beta', 'arn:aws:lambda:us-east-1:123456789012:function:beta2']],
    [[ARN, 'arn:aws:lambda:us-east-1:123456789012:function:gamma']],
  ])('%j passes', (spellings) => {
    expect(() => refuseDuplicateFunctions(spellings)).not.toThrow();
  });

  it('the command line and the config file’s functions: are checked the same way', () => {
    expect(() => releaseFunctions(['beta', PARTIAL], {})).toThrow(/named twice.*`beta`.*`123456789012/);
    const config = { functions: ['beta', { name: ARN, alias: 'prod' }] };
    expect(() => releaseFunctions([], config)).toThrow(/Function beta is named twice/);
    expect(releaseFunctions(['beta', 'gamma'], config)).toEqual(['beta', 'gamma']);
  });

  it('a qualified or unreadable name in the config file’s functions: is a usage error', () => {
    const qualified = usageErrorOf(() => releaseFunctions([], { functions: ['alpha', 'beta:live'] }));
    expect(qualified.code).toBe('FUNCTION_INVALID');
    expect(qualified.message).toContain('The config file’s `functions:` entry `beta:live` names alias live');
    expect(qualified.hint).toMatch(/alias: …, version: …/);
    expect(() => releaseFunctions([], { functions: [{ name: 'be.ta' }, 'gamma'] })).toThrow(
      /`be\.ta` is not a Lambda function name or ARN/,
    );
  });

  it('a name with control characters is echoed without them: a config file cannot drive the terminal', () => {
    const error = usageErrorOf(() => releaseFunctions([], { functions: ['al\u001b[2Jpha'] }));
    expect(error.code).toBe('FUNCTION_INVALID');
    expect(error.message).toContain('`al\uFFFD[2Jpha`');
  });
});

describe('uniqueFunctions: check and status act on each function once', () => {
  it('keeps the first spelling of each function, in order', () => {
    expect(
      uniqueFunctions([
        'beta',
        'alpha',
        'arn:aws:lambda:us-east-1:123456789012:function:beta',
        '123456789012:function:alpha',
        'gamma',
      ]),
    ).toEqual(['beta', 'alpha', 'gamma']);
  });
});

describe('checkFunctionName: a function argument', () => {
  const source = { where: 'argument' as const, qualifierHint: 'Give the alias with -a/--alias.' };

  it.each(['beta', ARN, PARTIAL])('%s is accepted', (text) => {
    expect(checkFunctionName(text, source).name).toBe('beta');
  });

  it.each([
    ['beta:live', 'alias live', 'beta'],
    ['beta:2', 'version 2', 'beta'],
    ['beta:$LATEST', 'version $LATEST', 'beta'],
    [`${ARN}:live`, 'alias live', ARN],
    [`${PARTIAL}:3`, 'version 3', PARTIAL],
  ])('%s names %s: refused with the unqualified spelling and where the qualifier goes', (text, what, fix) => {
    const error = usageErrorOf(() => checkFunctionName(text, source));
    expect(error.code).toBe('FUNCTION_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`\`${text}\` names ${what} of function beta`);
    expect(error.hint).toBe(`Write \`${fix}\`. Give the alias with -a/--alias.`);
  });

  it('a spelling Lambda would refuse lists the accepted forms', () => {
    const error = usageErrorOf(() => checkFunctionName('beta!', source));
    expect(error.message).toContain('`beta!` is not a Lambda function name or ARN');
    expect(error.hint).toContain('123456789012:function:orders');
  });
});

describe('checkParsedFunctionArgs: every command’s function arguments, right after parsing', () => {
  const variadic = {
    args: { function: functionArg({ description: 'f' }) },
    flags: { alias: {}, version: {} },
    strict: false,
  };

  it('checks every word of a command that takes several, with a hint from its flags', () => {
    expect(() =>
      checkParsedFunctionArgs(variadic, { args: {}, argv: ['alpha', ARN, PARTIAL] }),
    ).not.toThrow();
    const error = usageErrorOf(() =>
      checkParsedFunctionArgs(variadic, { args: { function: 'alpha' }, argv: ['alpha', 'beta:live'] }),
    );
    expect(error.message).toContain('`beta:live`');
    expect(error.hint).toBe('Write `beta`. Give the alias with -a/--alias and a version with --version.');
  });

  it('checks only the function of a command whose other arguments follow it', () => {
    const alias = {
      args: {
        function: functionArg({ description: 'f', required: true, qualifierHint: 'Next arguments.' }),
        alias: {},
        version: {},
      },
      flags: {},
    };
    const parsed = { args: { function: 'beta', alias: 'live', version: '3' }, argv: ['beta', 'live', '3'] };
    expect(() => checkParsedFunctionArgs(alias, parsed)).not.toThrow();
    const error = usageErrorOf(() =>
      checkParsedFunctionArgs(alias, { ...parsed, args: { ...parsed.args, function: 'beta:live' } }),
    );
    expect(error.hint).toBe('Write `beta`. Next arguments.');
  });

  it('every command that takes a function declares it with functionArg', async () => {
    const root = join(import.meta.dirname, '../../commands');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const declared: string[] = [];
    for (const file of files) {
      const command = (await import(join(root, file))).default as { args?: Record<string, unknown> };
      for (const [name, arg] of Object.entries(command.args ?? {})) {
        if (!/^functions?$/.test(name)) continue;
        expect(isFunctionArg(arg), `${relative(root, join(root, file))}: ${name}`).toBe(true);
        declared.push(file);
      }
    }
    expect(declared.length).toBeGreaterThanOrEqual(12);
  });
});

// Found by a hostile pass: "(with --release: the release’s functions; none: the config file’s)"
// read as if `lshift pause` with no function read the config file too; only --release does.
describe('the FUNCTION help of the verbs with a --release form', () => {
  it.each(['abort', 'pause', 'promote', 'resume', 'rollback'])(
    '%s: one function; the config file only with --release',
    async (name) => {
      const command = (await import(join(import.meta.dirname, `../../commands/${name}.ts`))).default as {
        args: { function: { description: string } };
      };
      expect(command.args.function.description).toBe(
        'function name, ARN or partial ARN, without :alias or :version: exactly one; with --release, the release’s functions (none: the config file’s `functions:`)',
      );
    },
  );

  it('as it is: pause without a function and without --release is refused before any config file is read', async () => {
    const { runVerbOrRelease } = await import('../../src/cli/release-abort.js');
    await expect(
      runVerbOrRelease('pause', [], { config: '/no/such/lshift.config.json' }),
    ).rejects.toMatchObject({
      code: 'USAGE',
      message: 'lshift pause takes one function (got 0).',
    });
  });
});
