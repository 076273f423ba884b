/**
 * Runs a CommonJS bundle made by scripts/build.mjs (`lshift status`'s fast path, issue 15) with a
 * V8 code cache. Node 20 has no `module.enableCompileCache` (it came in 22.1), and the require-hook
 * packages (v8-compile-cache, v8-compile-cache-lib) compile with `vm.Script` without a dynamic
 * import callback, which breaks @oclif/core's `import()` on Node 20. One bundle is one script, so
 * `vm.Script`'s own `cachedData` does it: the cache is made at exit (after the run, so it holds
 * the functions that ran, not only the top level) and used by the next run; once more by the first
 * run that ends with exit 0 when the one that made it did not (see CACHE_HEADER).
 *
 * The cache lives in `<os.tmpdir()>/lshift-compile-cache-<uid>/` (never in the home directory),
 * one file per bundle build and Node version; `LSHIFT_COMPILE_CACHE=off` turns it off. V8 code
 * cache is not safe against crafted input, so the directory must be the user's own and closed to
 * others (0700, not a symlink) or it is not used. A stale or damaged file is rejected by V8
 * (`cachedDataRejected`) and rewritten; writes are temp file + rename, so a reader never sees half.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

export interface BundleExports {
  /** Runs command `id` (`deploy`, `codedeploy:init`) with the arguments after its name. */
  main(id: string, argv: string[], root: string): Promise<void>;
}

/**
 * Where the code cache of `bundlePath` goes, or undefined when there must be none. `variant`
 * (the command id) keeps one file per command: a cache holds the functions that ran when it was
 * made, so `plan`'s would leave `deploy` compiling its own on every run.
 */
export function compileCachePath(
  bundlePath: string,
  env: NodeJS.ProcessEnv = process.env,
  variant?: string,
): string | undefined {
  if (/^(0|off|false|no)$/i.test(env.LSHIFT_COMPILE_CACHE ?? '')) return undefined;
  const dir = ownPrivateDir(join(tmpdir(), `lshift-compile-cache-${process.getuid?.() ?? 'user'}`));
  if (!dir) return undefined;
  // V8 checks its version and flags, and only the length of the source: the name must change with
  // every build of the bundle, or a same-length rebuild could run stale code. The bundle's path
  // goes in too, so two installs (or work trees) keep separate files.
  const { size, mtimeMs } = statSync(bundlePath);
  const build = `${size}\0${mtimeMs}\0${process.version}\0${process.arch}`;
  return join(dir, `${prefixOf(bundlePath, variant)}${hash(build).slice(0, 16)}.bin`);
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `…/dist/lshift.bundle.cjs` and `codedeploy:init` → `lshift-codedeploy-init-<hash of the path>-`:
 * the files of that bundle's builds (for that command).
 */
function prefixOf(bundlePath: string, variant?: string): string {
  const name = bundlePath.slice(bundlePath.lastIndexOf('/') + 1).split('.')[0];
  const of = variant === undefined ? '' : `${variant.replace(/[^a-z0-9-]/gi, '-')}-`;
  return `${name}-${of}${hash(bundlePath).slice(0, 8)}-`;
}

/** Loads `bundlePath` (through its code cache when there is a usable one) and returns its exports. */
export function loadBundle(bundlePath: string, cachePath = compileCachePath(bundlePath)): BundleExports {
  const bytes = readFileSync(bundlePath);
  const source = decode(bytes);
  // The bundle's bytes are decoded (copied into `source`): the cache is read into them.
  const cache = cachePath === undefined ? undefined : unwrapCache(readIfPresent(cachePath, bytes));
  const script = new Script(asFunctionSource(source), { filename: bundlePath, cachedData: cache?.data });
  const module = { exports: {} as BundleExports };
  script.runInThisContext()(
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  );
  if (cachePath !== undefined)
    process.once('exit', (code) => {
      if (cache === undefined || script.cachedDataRejected || (!cache.madeBySuccess && code === 0))
        saveCache(script, cachePath, code === 0);
    });
  return module.exports;
}

/**
 * Node's CommonJS wrapper, which the bundle runs in. scripts/build.mjs writes the bundle already
 * inside it (esbuild's banner and footer), so the source read is the script as it is: wrapping
 * it here makes a cons string that V8 copies into one flat string to compile, 3.8 MB of fresh
 * memory on every start (~930 page faults, ~10 ms of CPU on the project's machines; measured in
 * docs/architecture.md, Decisions). Any other file is wrapped here, as before.
 */
export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname) {';
export const BUNDLE_TAIL = '\n})';

function asFunctionSource(source: string): string {
  // esbuild ends its output, the footer included, with a newline.
  const wrapped = source.endsWith(BUNDLE_TAIL) || source.endsWith(`${BUNDLE_TAIL}\n`);
  return source.startsWith(BUNDLE_HEAD) && wrapped ? source : `${BUNDLE_HEAD}${source}${BUNDLE_TAIL}`;
}

/**
 * A cache file is this header, then V8's data. The header says whether the run that made it ended
 * with exit 0, and holds the data's CRC-32. A cache holds the functions that ran: one made by a
 * refused flag (exit 2) holds little more than the argument parser, and every later `deploy`
 * compiled the rest again (measured: 0.99 against 0.84 CPU-s for a 2-step deploy against the
 * sandbox). So the first successful run after such a one makes it again: at most one more write
 * per command and build.
 *
 * The checksum: V8 checks a cache's version, flags and source length, not its bytes (Node 20 has
 * no `--verify-snapshot-checksum` by default), and data damaged at the same length crashed every
 * later run of that command in V8 (SIGSEGV, exit 139) before it could be rewritten (found by a
 * hostile pass). A file whose CRC does not match is not given to V8; it is made again. ~1 ms
 * for 3 MB (zlib.crc32, Node ≥ 20.15).
 */
const CACHE_HEADER = 'lshift-cache-2:';
const MADE_BY = { success: '0', other: '1' } as const;
const CRC_BYTES = 4;

function unwrapCache(file: Buffer | undefined): { data: Buffer; madeBySuccess: boolean } | undefined {
  const header = Buffer.from(CACHE_HEADER, 'latin1');
  const dataAt = header.length + 1 + CRC_BYTES;
  if (file === undefined || file.length <= dataAt) return undefined;
  if (!file.subarray(0, header.length).equals(header)) return undefined;
  const madeBy = String.fromCharCode(file[header.length]!);
  if (madeBy !== MADE_BY.success && madeBy !== MADE_BY.other) return undefined;
  const data = file.subarray(dataAt);
  if (file.readUInt32BE(header.length + 1) !== crc32(data)) return undefined;
  return { data, madeBySuccess: madeBy === MADE_BY.success };
}

function wrapCache(data: Buffer, success: boolean): Buffer {
  const header = Buffer.from(CACHE_HEADER + (success ? MADE_BY.success : MADE_BY.other), 'latin1');
  const crc = Buffer.alloc(CRC_BYTES);
  crc.writeUInt32BE(crc32(data));
  return Buffer.concat([header, crc, data]);
}

/**
 * The bundle's text. scripts/build.mjs makes it pure ASCII, and ASCII is Latin-1: decoded as such
 * it is a plain copy, where UTF-8 decoding takes V8's slow path for the rest of a file once it
 * meets one non-ASCII byte (measured in docs/architecture.md). Any other file is read as UTF-8.
 */
function decode(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/**
 * The file, read into `spare` when it fits (the bundle's bytes once decoded: the cache, ~3 MB, is
 * smaller than the bundle). That memory is this process's already, where a new buffer was ~750
 * first-touch page faults, ~10 ms of CPU on the project's machines, on every start (measured in
 * docs/architecture.md, Decisions). A file cut short or grown while read fails its CRC check.
 */
function readIfPresent(path: string, spare?: Buffer): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const into = spare !== undefined && size <= spare.length ? spare : Buffer.allocUnsafe(size);
    let read = 0;
    for (let n = -1; read < size && n !== 0; read += n) n = readSync(fd, into, read, size - read, read);
    return into.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing was written: a failed close loses nothing.
  }
}

/** At exit: the functions that ran are compiled now, so the cache covers them. Never fails the run. */
function saveCache(script: Script, cachePath: string, success: boolean): void {
  try {
    const temp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temp, wrapCache(script.createCachedData(), success), { mode: 0o600 });
    renameSync(temp, cachePath);
    removeOtherBuilds(cachePath);
  } catch {
    // A full or read-only temp directory only costs the next run its compile time.
  }
}

/**
 * Caches of earlier builds of the same bundle are dead weight: one file per bundle is kept. So are
 * those of installs that are gone (another work tree, an uninstalled version), which no path
 * leads back to: any file not written for 30 days goes (one still in use is made again by its
 * next run; found by a hostile pass: old installs' caches, 1.5–3 MB each, stayed for good).
 */
function removeOtherBuilds(cachePath: string): void {
  const dir = dirname(cachePath);
  const name = cachePath.slice(dir.length + 1);
  const prefix = name.slice(0, name.lastIndexOf('-') + 1);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === cachePath || !/\.(bin|tmp)$/.test(name)) continue;
    const ours = name.startsWith(prefix);
    const gone = ours
      ? name.endsWith('.bin') || isOlderBy(path, cachePath, ABANDONED_WRITE_MS)
      : isOlderBy(path, cachePath, UNUSED_CACHE_MS);
    if (gone) unlinkSync(path);
  }
}

/**
 * A temp file of a write that a kill cut short stays forever otherwise (found by a hostile pass:
 * 2 MiB each). One an hour older than the cache just written is no write in progress: a write
 * takes well under a second.
 */
const ABANDONED_WRITE_MS = 60 * 60 * 1000;
const UNUSED_CACHE_MS = 30 * 24 * 60 * 60 * 1000;

/** Whether `path` was last written `ms` before `justWritten` (the time now: no clock read here). */
function isOlderBy(path: string, justWritten: string, ms: number): boolean {
  return statSync(justWritten).mtimeMs - statSync(path).mtimeMs > ms;
}

/** The directory, created 0700 if missing; undefined unless it is ours, a real directory, closed to others. */
export function ownPrivateDir(dir: string): string | undefined {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = lstatSync(dir);
    const mine = process.getuid === undefined || st.uid === process.getuid();
    return st.isDirectory() && mine && (st.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}
