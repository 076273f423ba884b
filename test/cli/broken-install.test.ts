/**
 * An install that lost oclif.manifest.json (and whose package.json is no longer the build's, so
 * the bundle's config snapshot steps aside): oclif then finds the commands by importing each file,
 * which the bundle's vm.Script cannot do. bin/run.js must take oclif's path there, so a command
 * says what it says in a whole install, without one Node warning a command (found by a hostile
 * pass: 16 ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING warnings and a hint that knew no other command).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';

const ROOT = join(RUN_JS, '..', '..');
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'lshift-broken-install-'));
  for (const part of ['bin', 'dist']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  writeFileSync(join(copy, 'package.json'), JSON.stringify({ ...pkg, description: 'edited' }, null, 2));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(process.execPath, [join(copy, 'bin', 'run.js'), ...args], {
    // NODE_ENV as a user has it: under vitest's `test` oclif warns of every command that refuses
    // its flags before parsing them (UnparsedCommand), on both paths.
    env: { ...process.env, CI: 'true', NO_COLOR: '1', TMPDIR: copy, NODE_ENV: '', ...env },
    encoding: 'utf8',
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('an install without oclif.manifest.json', () => {
  it('a command says what it says on oclif’s path, with no Node warning', () => {
    const args = ['plan', 'demo', '--strategy', 'Linear10PercentEvery1Minute'];
    const bundled = run(args);
    const oclif = run(args, { LSHIFT_FAST_START: '0' });
    expect(bundled.stderr).not.toContain('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING');
    expect(bundled.stderr).not.toContain('Warning');
    expect(bundled.stderr).toContain('a flag of `lshift deploy`, not of `lshift plan`');
    expect(bundled).toEqual(oclif);
    expect(bundled.code).toBe(2);
  });
});

/**
 * An install that lost dist/lshift-sdk.bundle.cjs (the SDK clients, scripts/build.mjs): the main
 * bundle would fail at the first client (an INTERNAL error); bin/run.js takes oclif's path, which
 * loads the SDK from node_modules.
 */
describe('an install without the SDK bundle', () => {
  let lost: string;
  beforeAll(() => {
    lost = mkdtempSync(join(tmpdir(), 'lshift-no-sdk-bundle-'));
    for (const part of ['bin', 'dist', 'package.json', 'oclif.manifest.json'])
      cpSync(join(ROOT, part), join(lost, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(lost, 'node_modules'));
    rmSync(join(lost, 'dist', 'lshift-sdk.bundle.cjs'));
  });
  afterAll(() => rmSync(lost, { recursive: true, force: true }));

  it('a command that makes a client says what it says on oclif’s path', () => {
    const { LSHIFT_SANDBOX: _sandbox, ...inherited } = process.env;
    const env = {
      ...inherited,
      CI: 'true',
      NO_COLOR: '1',
      TMPDIR: lost,
      NODE_ENV: '',
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_REGION: 'us-east-1',
      // Nothing listens there: the first call is refused at once.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    };
    const start = (extra: NodeJS.ProcessEnv) => {
      const child = spawnSync(process.execPath, [join(lost, 'bin', 'run.js'), 'status', 'demo'], {
        env: { ...env, ...extra },
        encoding: 'utf8',
      });
      return { code: child.status, stdout: child.stdout, stderr: child.stderr };
    };
    const bundled = start({});
    expect(bundled.stderr).toContain('NETWORK_ERROR');
    expect(bundled.stderr).not.toContain('INTERNAL');
    expect(bundled).toEqual(start({ LSHIFT_FAST_START: '0' }));
  });
});
