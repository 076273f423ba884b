/**
 * vitest globalSetup: the whole run's temporary files go to one directory of their own, removed
 * when the run ends. Tests make their temporary directories with mkdtemp(tmpdir()) (configs,
 * scenario files, sandbox state, the built CLI's compile cache) and most leave them: about 200 a
 * run, left in the machine's /tmp for good. Set before any worker starts, TMPDIR reaches every
 * worker and every CLI they spawn (Node's os.tmpdir() reads it). Two copies of the suite at once
 * each get their own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  // vitest runs a globalSetup once for each project that has it: the first one made the run's.
  if (process.env.TEST_RUN_TMPDIR) return () => undefined;
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'lshift-test-run-'));
  process.env.TMPDIR = dir;
  process.env.TEST_RUN_TMPDIR = dir;
  return () => {
    delete process.env.TEST_RUN_TMPDIR;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
