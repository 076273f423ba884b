/**
 * Issue 15: the code cache of `lshift status`'s bundle (src/cli/bundle-launcher.ts). Runs real
 * child processes (the cache is written at exit), each with its own TMPDIR. They import the
 * launcher's source compiled once by esbuild (it imports only Node's built-in modules), not
 * through tsx: tsx made each of the ~20 children ~0.45 CPU-s dearer, compiling it again.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_HEAD, BUNDLE_TAIL, compileCachePath, ownPrivateDir } from '../../src/cli/bundle-launcher.js';

/** file: URL of src/cli/bundle-launcher.ts compiled to an ES module, for the children to import. */
let LAUNCHER: string;
let compiled: string;
beforeAll(() => {
  compiled = mkdtempSync(join(tmpdir(), 'lshift-launcher-src-'));
  const source = readFileSync(join(import.meta.dirname, '../../src/cli/bundle-launcher.ts'), 'utf8');
  const file = join(compiled, 'bundle-launcher.mjs');
  writeFileSync(file, transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' }).code);
  LAUNCHER = pathToFileURL(file).href;
});
afterAll(() => rmSync(compiled, { recursive: true, force: true }));
let temp: string;
afterEach(() => rmSync(temp, { recursive: true, force: true }));

function setup(): { bundle: string; cacheDir: string; run: () => string } {
  temp = mkdtempSync(join(tmpdir(), 'lshift-launcher-'));
  const bundle = join(temp, 'lshift.bundle.cjs');
  writeFileSync(
    bundle,
    "exports.main = async (id, argv) => { process.stdout.write('ran ' + id + ' ' + argv.join(' ')); };\n",
  );
  const run = () => {
    const script = `const { loadBundle } = await import(${JSON.stringify(LAUNCHER)}); await loadBundle(${JSON.stringify(bundle)}).main('x', ['a', 'b']);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, TMPDIR: temp },
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    return child.stdout;
  };
  return { bundle, cacheDir: join(temp, `lshift-compile-cache-${process.getuid?.()}`), run };
}

describe('bundle launcher: V8 code cache', () => {
  it('writes the cache on the first run, uses it after, and replaces a damaged one', () => {
    const { cacheDir, run } = setup();
    expect(run()).toBe('ran x a b');
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^lshift-[0-9a-f]{8}-[0-9a-f]{16}\.bin$/);
    const made = readFileSync(join(cacheDir, file!));
    expect(made.length).toBeGreaterThan(0);
    expect(run()).toBe('ran x a b');
    expect(readFileSync(join(cacheDir, file!))).toEqual(made);
    writeFileSync(join(cacheDir, file!), 'not a code cache');
    expect(run()).toBe('ran x a b');
    const remade = readFileSync(join(cacheDir, file!));
    expect(remade.toString()).not.toBe('not a code cache');
    // V8's code cache header (magic number) again.
    expect(remade.subarray(0, 4)).toEqual(made.subarray(0, 4));
  });

  it('keys the file on the build: a rebuilt bundle gets a new file and the old one goes', () => {
    const { bundle, cacheDir, run } = setup();
    run();
    const [before] = readdirSync(cacheDir);
    writeFileSync(bundle, "exports.main = async () => { process.stdout.write('new build'); };\n");
    expect(run()).toBe('new build');
    const after = readdirSync(cacheDir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
  });

  it('a temp file a killed write left behind goes once it is an hour old; a fresh one (a write in progress) stays', () => {
    const { bundle, cacheDir, run } = setup();
    run();
    const [file] = readdirSync(cacheDir);
    const old = join(cacheDir, `${file}.111.tmp`);
    const fresh = join(cacheDir, `${file}.222.tmp`);
    writeFileSync(old, 'cut short');
    writeFileSync(fresh, 'being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    writeFileSync(bundle, "exports.main = async () => { process.stdout.write('new build'); };\n");
    expect(run()).toBe('new build'); // a new build writes its cache, and tidies up
    const left = readdirSync(cacheDir);
    expect(left).toContain(`${file}.222.tmp`);
    expect(left).not.toContain(`${file}.111.tmp`);
  });

  it('another install’s cache (or temp file) not written for 30 days goes when a cache is written; a newer one stays', () => {
    const { bundle, cacheDir, run } = setup();
    run();
    const gone = join(cacheDir, 'lshift-deploy-0badc0de-0123456789abcdef.bin');
    const goneTemp = join(cacheDir, 'lshift-deploy-0badc0de-0123456789abcdef.bin.333.tmp');
    const kept = join(cacheDir, 'lshift-status-0badc0de-0123456789abcdef.bin');
    const notOurs = join(cacheDir, 'notes.txt');
    for (const file of [gone, goneTemp, kept, notOurs]) writeFileSync(file, 'x');
    const days = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000);
    for (const file of [gone, goneTemp, notOurs]) utimesSync(file, days(31), days(31));
    utimesSync(kept, days(29), days(29));
    writeFileSync(bundle, "exports.main = async () => { process.stdout.write('new build'); };\n");
    expect(run()).toBe('new build');
    const left = readdirSync(cacheDir);
    expect(left).toContain('lshift-status-0badc0de-0123456789abcdef.bin');
    expect(left).toContain('notes.txt');
    expect(left).not.toContain('lshift-deploy-0badc0de-0123456789abcdef.bin');
    expect(left).not.toContain('lshift-deploy-0badc0de-0123456789abcdef.bin.333.tmp');
  });

  it('one file per command (variant): running one keeps the other one', () => {
    const { bundle } = setup();
    const deploy = compileCachePath(bundle, {}, 'deploy')!;
    const init = compileCachePath(bundle, {}, 'codedeploy:init')!;
    expect(deploy).toMatch(/\/lshift-deploy-[0-9a-f]{8}-[0-9a-f]{16}\.bin$/);
    expect(init).toMatch(/\/lshift-codedeploy-init-[0-9a-f]{8}-[0-9a-f]{16}\.bin$/);
    const runAs = (id: string) => {
      const script = `const l = await import(${JSON.stringify(LAUNCHER)}); const b = ${JSON.stringify(bundle)}; await l.loadBundle(b, l.compileCachePath(b, process.env, ${JSON.stringify(id)})).main(${JSON.stringify(id)}, []);`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TMPDIR: temp },
        encoding: 'utf8',
      });
      expect(child.status, child.stderr).toBe(0);
      return child.stdout;
    };
    expect(runAs('deploy')).toBe('ran deploy ');
    expect(runAs('codedeploy:init')).toBe('ran codedeploy:init ');
    const cacheDir = join(temp, `lshift-compile-cache-${process.getuid?.()}`);
    expect(readdirSync(cacheDir).sort()).toEqual(
      [init, deploy].map((p) => p.slice(p.lastIndexOf('/') + 1)).sort(),
    );
  });

  it('a cache made by a run that did not end with 0 (a refused flag) is made again by the first run that did, then kept', () => {
    const { bundle, cacheDir } = setup();
    // The "full" run calls a function the refused one never reaches, as a deploy's engine.
    writeFileSync(
      bundle,
      [
        'function engine(n) { let t = 0; for (let i = 0; i < n; i++) t += i; return t; }',
        "exports.main = async (id, argv) => { if (argv[0] === 'refused') { process.exitCode = 2; return; } process.stdout.write('ran ' + engine(3)); };",
        '',
      ].join('\n'),
    );
    const runWith = (arg: string, status: number) => {
      const script = `const { loadBundle } = await import(${JSON.stringify(LAUNCHER)}); await loadBundle(${JSON.stringify(bundle)}).main('x', [${JSON.stringify(arg)}]);`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TMPDIR: temp },
        encoding: 'utf8',
      });
      expect(child.status, child.stderr).toBe(status);
      const [file] = readdirSync(cacheDir);
      return readFileSync(join(cacheDir, file!));
    };
    const madeBy = (cache: Buffer) => cache.subarray(0, 16).toString('latin1');
    const refused = runWith('refused', 2);
    expect(madeBy(refused)).toBe('lshift-cache-2:1');
    expect(runWith('refused', 2)).toEqual(refused); // another refused run keeps it
    const full = runWith('full', 0);
    expect(madeBy(full)).toBe('lshift-cache-2:0');
    expect(full).not.toEqual(refused);
    expect(runWith('refused', 2)).toEqual(full); // a refused run never replaces a successful run's
    expect(runWith('full', 0)).toEqual(full); // nor does the next successful one
  });

  it('a cache file without lshift’s header (an older build’s, or damaged) is made again', () => {
    const { cacheDir, run } = setup();
    run();
    const [file] = readdirSync(cacheDir);
    const made = readFileSync(join(cacheDir, file!));
    writeFileSync(join(cacheDir, file!), made.subarray(20)); // V8's data alone, as before the header
    expect(run()).toBe('ran x a b');
    const remade = readFileSync(join(cacheDir, file!));
    expect(remade.subarray(0, 16).toString('latin1')).toBe('lshift-cache-2:0');
    expect(remade.length).toBeGreaterThan(16);
  });

  // Found by a hostile pass: V8 checks a cache's length, not its bytes, and bytes flipped at the
  // same length crashed every later run (SIGSEGV) before the file could be made again.
  it('a cache file damaged at the same length is not given to V8: the run works and the file is made again', () => {
    const { cacheDir, run } = setup();
    // Enough code that V8's data is long enough to damage in its middle.
    const bundleCode = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`);
    writeFileSync(
      join(temp, 'lshift.bundle.cjs'),
      `${bundleCode.join('\n')}\nexports.main = async (id, argv) => { process.stdout.write('ran ' + id + ' ' + argv.join(' ') + ' ' + f199(1)); };\n`,
    );
    expect(run()).toBe('ran x a b 398');
    const [file] = readdirSync(cacheDir);
    const path = join(cacheDir, file!);
    const made = readFileSync(path);
    const damaged = Buffer.from(made);
    for (let i = 100; i < damaged.length; i += 7) damaged[i] = damaged[i]! ^ 0xff;
    writeFileSync(path, damaged);
    expect(run()).toBe('ran x a b 398');
    const remade = readFileSync(path);
    expect(remade.equals(damaged)).toBe(false);
    expect(remade.subarray(0, 16).toString('latin1')).toBe('lshift-cache-2:0');
    expect(run()).toBe('ran x a b 398');
  });

  it('a bundle that is not pure ASCII is read as UTF-8 (ASCII ones are read as Latin-1), with and without its cache', () => {
    const { bundle, run } = setup();
    const text = 'caf\u00e9 \u2713 \u{1F600}'; // é (Latin-1 as one byte, UTF-8 as two), ✓, an astral emoji
    writeFileSync(bundle, `exports.main = async () => { process.stdout.write(${JSON.stringify(text)}); };\n`);
    expect(readFileSync(bundle).some((byte) => byte > 0x7f)).toBe(true);
    expect(run()).toBe(text);
    expect(run()).toBe(text); // through the cache made by the first run
  });

  it('the built bundles are pure ASCII, so they take the Latin-1 read (scripts/build.mjs, start-up CPU)', () => {
    // `npm test` builds first, as for every test of the built CLI.
    for (const name of ['lshift.bundle.cjs', 'lshift-sdk.bundle.cjs']) {
      const built = join(import.meta.dirname, '../../dist', name);
      expect(
        readFileSync(built).findIndex((byte) => byte > 0x7f),
        name,
      ).toBe(-1);
    }
  });

  it('the main bundle holds none of the SDK: a start that makes no client never reads it (scripts/build.mjs)', () => {
    const main = readFileSync(join(import.meta.dirname, '../../dist/lshift.bundle.cjs'), 'latin1');
    const sdk = readFileSync(join(import.meta.dirname, '../../dist/lshift-sdk.bundle.cjs'), 'latin1');
    // esbuild names each CommonJS module it wraps by its path under node_modules.
    const sdkModules = /node_modules\/@(aws-sdk|smithy)\//;
    expect(main).not.toMatch(sdkModules);
    expect(sdk).toMatch(/node_modules\/@aws-sdk\/client-lambda\//);
  });

  it('a cache smaller than its bundle is read into the bundle’s bytes (a real bundle’s case), and V8 takes it', () => {
    const { bundle, cacheDir, run } = setup();
    // A long comment makes the bundle larger than its code cache, as lshift's 3.8 MB bundle is
    // against its ~3 MB cache; the other tests' small bundles have caches larger than themselves.
    const padding = `/*${'x'.repeat(200_000)}*/`;
    writeFileSync(
      bundle,
      `${padding}\nexports.main = async (id, argv) => { process.stdout.write('ran ' + id + ' ' + argv.join(' ')); };\n`,
    );
    expect(run()).toBe('ran x a b');
    const [file] = readdirSync(cacheDir);
    const made = readFileSync(join(cacheDir, file!));
    expect(made.length).toBeLessThan(200_000);
    expect(run()).toBe('ran x a b');
    // Accepted: a rejected cache is written again at exit.
    expect(readFileSync(join(cacheDir, file!))).toEqual(made);
    // Damaged, it is still refused by its CRC (read into the bundle's bytes too) and made again.
    const damaged = Buffer.from(made);
    for (let i = 40; i < damaged.length; i += 5) damaged[i] = damaged[i]! ^ 0xff;
    writeFileSync(join(cacheDir, file!), damaged);
    expect(run()).toBe('ran x a b');
    expect(readFileSync(join(cacheDir, file!)).equals(damaged)).toBe(false);
  });

  it('a bundle written inside its function wrapper runs as it is, with and without its cache; a plain one is still wrapped', () => {
    const { bundle, run } = setup();
    const body =
      "exports.main = async (id) => { process.stdout.write('pre-wrapped ' + id + ' ' + typeof module); };";
    // As scripts/build.mjs writes it: esbuild puts a newline after the banner and after the footer.
    writeFileSync(bundle, `${BUNDLE_HEAD}\n${body}${BUNDLE_TAIL}\n`);
    expect(run()).toBe('pre-wrapped x object');
    expect(run()).toBe('pre-wrapped x object'); // through the cache made by the first run
    writeFileSync(bundle, `${BUNDLE_HEAD}\n${body}${BUNDLE_TAIL}`);
    expect(run()).toBe('pre-wrapped x object');
    // A plain file that ends as the wrapper does (`})`), or names it in a comment, is wrapped as before.
    writeFileSync(bundle, `${body}\nvoid (() => {${BUNDLE_TAIL}\n`);
    expect(run()).toBe('pre-wrapped x object');
    writeFileSync(bundle, `// ${BUNDLE_HEAD}\n${body}\n`);
    expect(run()).toBe('pre-wrapped x object');
  });

  it('the built bundle is written inside the wrapper, so no start copies its 3.8 MB again (scripts/build.mjs, start-up CPU)', () => {
    const built = readFileSync(join(import.meta.dirname, '../../dist/lshift.bundle.cjs'), 'latin1');
    expect(built.startsWith(BUNDLE_HEAD)).toBe(true);
    expect(built.endsWith(`${BUNDLE_TAIL}\n`)).toBe(true);
  });

  it('LSHIFT_COMPILE_CACHE=off: no cache at all', () => {
    const { bundle } = setup();
    expect(compileCachePath(bundle, { LSHIFT_COMPILE_CACHE: 'off' })).toBeUndefined();
  });

  it('uses only a directory of its own that others cannot write', () => {
    temp = mkdtempSync(join(tmpdir(), 'lshift-launcher-'));
    const fresh = join(temp, 'fresh');
    expect(ownPrivateDir(fresh)).toBe(fresh);
    const open = join(temp, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(ownPrivateDir(open)).toBeUndefined();
    const link = join(temp, 'link');
    symlinkSync(fresh, link);
    expect(ownPrivateDir(link)).toBeUndefined();
  });
});
