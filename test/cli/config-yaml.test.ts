import { describe, expect, it, vi } from 'vitest';
import { parseConfigYaml } from '../../src/cli/config-yaml.js';

/**
 * yaml's own duplicate-key check compares each key with every key before it: a config file of
 * 60,000 `kN: 1` lines (590 KB, under the 1 MiB limit) took over a minute before lshift could say
 * "unknown key", and a 1 MiB one several. lshift parses without that check and finds duplicates
 * itself in one pass, with the message and place yaml gave.
 */
const parseDocumentOptions: unknown[] = [];
vi.mock('yaml', async (importOriginal) => {
  const yaml = await importOriginal<typeof import('yaml')>();
  return {
    ...yaml,
    parseDocument: (...args: Parameters<typeof yaml.parseDocument>) => {
      parseDocumentOptions.push(args[1]);
      return yaml.parseDocument(...args);
    },
  };
});

async function errorOf(body: string): Promise<Error> {
  try {
    await parseConfigYaml(body);
  } catch (error) {
    return error as Error;
  }
  throw new Error('no error');
}

describe('parseConfigYaml', () => {
  it('leaves yaml’s quadratic duplicate-key check off', async () => {
    await parseConfigYaml('alias: live\n');
    expect(parseDocumentOptions.at(-1)).toMatchObject({ uniqueKeys: false });
  });

  it.each([
    ['at the top', 'alias: live\nalias: prod\n', 'Map keys must be unique at line 2, column 1'],
    [
      'in a functions entry',
      'functions:\n  - name: a\n    alias: x\n    alias: y\n',
      'Map keys must be unique at line 4, column 5',
    ],
    ['in a flow mapping', 'hooks: {pre: [], pre: []}\n', 'Map keys must be unique at line 1, column 18'],
    [
      'after many other keys',
      `${Array.from({ length: 5000 }, (_, i) => `k${i}: 1\n`).join('')}k7: 2\n`,
      'at line 5001, column 1',
    ],
  ])('refuses a key given twice %s, naming its place', async (_where, body, message) => {
    expect((await errorOf(body)).message).toContain(message);
  });

  it('reads what yaml reads: 1 and "1" are two keys, a document, an empty file', async () => {
    expect(await parseConfigYaml('1: a\n"1": b\n')).toEqual({ 1: 'b' });
    expect(await parseConfigYaml('alias: live\nalarms: [a, b]\n')).toEqual({
      alias: 'live',
      alarms: ['a', 'b'],
    });
    expect(await parseConfigYaml('# nothing\n')).toBeNull();
  });

  // Found by a hostile pass: `!!binary` made a Buffer ("unknown key readBigUInt64LE"), `!!timestamp`
  // a Date ("must be text, not a mapping").
  it.each([
    ['functions: [ !!binary ZmE= ]\n', '!!binary', 'at line 1, column 14'],
    ['bake: !!timestamp 2024-01-01\n', '!!timestamp', 'at line 1, column 7'],
    ['!!binary ZmE=\n', '!!binary', 'at line 1, column 1'],
    ['alarms: !!set {a, b}\n', '!!set', 'at line 1, column 9'],
    ['strategy: !foo x\n', '!foo', 'at line 1, column 11'],
    ['x: !!python/object:os.system y\n', '!!python/object', 'at line 1, column 4'],
  ])(
    'refuses YAML 1.1’s typed values (%s), naming the tag and its place, not the file’s text',
    async (body, tag, place) => {
      const { message } = await errorOf(body);
      expect(message).toContain(`The YAML tag ${tag} is one lshift does not read`);
      expect(message).toContain(place);
      expect(message).not.toContain('ZmE=');
    },
  );

  it('reads the core schema’s own tags as before (`!!str 1` is text)', async () => {
    expect(await parseConfigYaml('alias: !!str 1\n')).toEqual({ alias: '1' });
  });

  it('still refuses a syntax error and an alias bomb', async () => {
    expect((await errorOf('alias: [\n')).message).toMatch(/at line \d+, column \d+/);
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    ].join('\n');
    expect((await errorOf(bomb)).message).toBe(
      'Its YAML aliases (`*name`) expand into far too many values (over the alias count lshift reads, a "billion laughs")',
    );
  });

  // Found by a hostile pass: yaml's words named its own API ("please use YAML.parseAllDocuments()").
  it('a second document: said in lshift’s words, at its place', async () => {
    const { message } = await errorOf('alias: live\n---\nalias: prod\n');
    expect(message).toBe(
      'A second YAML document starts (a `---` line after the first one; lshift reads one document per file, so remove the second or merge the two) at line 2, column 1',
    );
  });
});

// Found by a hostile pass: `%YAML 1.1` made `yes` true, `1:30` 90 and `010` 8 in a config file,
// a scenario file or an AppSpec (all read by parseYamlLinear). lshift reads YAML 1.2 only.
describe('a %YAML directive', () => {
  const values = 'a: yes\nb: 1:30\nc: 010\n';

  it('none, or %YAML 1.2: YAML 1.2 values', async () => {
    const expected = { a: 'yes', b: '1:30', c: 10 };
    expect(await parseConfigYaml(values)).toEqual(expected);
    expect(await parseConfigYaml(`%YAML 1.2\n---\n${values}`)).toEqual(expected);
  });

  it.each([
    ['%YAML 1.1', 'The %YAML 1.1 directive asks', 'at line 1, column 1'],
    ['%YAML 1.3', 'The %YAML 1.3 directive asks', 'at line 1, column 1'],
    ['# a comment\n%YAML 2.0', 'The %YAML 2.0 directive asks', 'at line 2, column 1'],
  ])('%j: refused, naming its place, whatever values follow', async (directive, start, place) => {
    const { message } = await errorOf(`${directive}\n---\n${values}`);
    expect(message).toMatch(new RegExp(`^${start}.* ${place}$`));
    expect(message).toContain('lshift reads YAML 1.2 only');
  });
});
