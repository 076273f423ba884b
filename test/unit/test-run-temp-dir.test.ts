import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { expect, it } from 'vitest';

// test/temp-dir-setup.ts: every temporary file of the run goes under one directory, removed at
// its end, so the ~200 directories tests leave do not pile up in the machine's /tmp.
it('the run has a temporary directory of its own, for the tests and the CLIs they start', () => {
  expect(basename(tmpdir())).toMatch(/^lshift-test-run-/);
  expect(process.env.TEST_RUN_TMPDIR).toBe(tmpdir());
  expect(basename(dirname(tmpdir()))).not.toMatch(/^lshift-test-run-/);
});
