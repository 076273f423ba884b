/**
 * The settings a code upload cannot change (execution role, dead-letter queue, architecture) are
 * `$LATEST`'s in the version a deploy publishes: UpdateFunctionCode changes only the code. So
 * they are checked against the stable version before the upload — a ROLE_MISMATCH (exit 2,
 * "nothing changed") once came after `$LATEST`'s code was replaced and a version published —
 * and the dry run, which runs the same checks, refuses the same way.
 */
import { describe, expect, it } from 'vitest';
import { planRelease } from '../../src/domain/release-program.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { dryRunDeploy } from '../../src/engine/dry-run.js';
import {
  checkBeforePublish,
  type PendingDeploy,
  publishAfterChecks,
} from '../../src/engine/preflight-publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import { ALIAS, canary, createWorld, deadRecord, FN, leaveDeployment, request, type World } from './world.js';

const ZIP: CodeSource = {
  kind: 'zip',
  zipFile: new Uint8Array([80, 75, 5, 6]),
  fileName: 'code.zip',
  codeSha256: 'bmV3',
};
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/other';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:dlq';

function pending(overrides: Partial<PendingDeploy> = {}): PendingDeploy {
  const { targetVersion: _, ...rest } = request(overrides);
  return rest;
}

function expectNothingWritten(w: World): void {
  for (const op of ['updateCode', 'publishVersion', 'updateAlias', 'tagResource'] as const) {
    expect(w.lambda.callsOf(op), op).toEqual([]);
  }
  expect(w.store.writes).toEqual([]);
}

const mismatches = [
  {
    name: 'another role on $LATEST',
    change: { role: OTHER_ROLE },
    code: 'ROLE_MISMATCH',
    check: 'same-role',
    message:
      /stable version 1 and \$LATEST, which the new version would be published from, have different execution roles \(arn:aws:iam::123456789012:role\/demo-role vs arn:aws:iam::123456789012:role\/other\).*nothing was uploaded or published/,
  },
  {
    name: 'another DLQ on $LATEST',
    change: { deadLetterTargetArn: DLQ },
    code: 'DLQ_MISMATCH',
    check: 'same-dlq',
    message:
      /stable version 1 and \$LATEST, .* have different dead-letter queues \(none vs arn:aws:sqs:.*:dlq\).*nothing was uploaded or published/,
  },
];

describe('the settings an upload cannot change are checked before it', () => {
  it.each(mismatches)('$name: $code, exit 2, before any upload or publish', async (row) => {
    const w = createWorld();
    w.lambda.configureLatest(FN, row.change);
    await expect(publishAfterChecks(w.deps, pending(), ZIP)).rejects.toMatchObject({
      code: row.code,
      exitCode: 2,
      message: expect.stringMatching(row.message),
    });
    expectNothingWritten(w);
    // Said once, as the refused check it is.
    expect(w.sink.ofType('preflight.check').filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ check: row.check, ok: false }),
    ]);
  });

  it.each(mismatches)(
    '$name, no code given (the current code published as it is): refused before the publish',
    async (row) => {
      const w = createWorld();
      w.lambda.configureLatest(FN, row.change);
      await expect(publishAfterChecks(w.deps, pending(), undefined)).rejects.toMatchObject({
        code: row.code,
        exitCode: 2,
      });
      expectNothingWritten(w);
    },
  );

  it.each(mismatches)('$name: the dry run refuses with the same code and exit code', async (row) => {
    const w = createWorld();
    w.lambda.configureLatest(FN, row.change);
    const program = planRelease(canary(10, 300).strategy, {}, [{ functionName: FN, alias: ALIAS }]);
    const dry = dryRunDeploy(w.deps, {
      req: pending(),
      source: ZIP,
      publish: { kind: 'zip', fileName: 'code.zip', bytes: 4, codeSha256: 'bmV3' },
      program,
    });
    await expect(dry).rejects.toMatchObject({ code: row.code, exitCode: 2 });
    expectNothingWritten(w);
  });

  it('--supersede: compared with the version its rollback will leave all traffic on', async () => {
    const w = createWorld();
    // Deployment 1 → 2 left at 20%: its rollback leaves version 1, whose role $LATEST no longer has.
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 1000 }), 20);
    w.lambda.configureLatest(FN, { role: OTHER_ROLE });
    await expect(checkBeforePublish(w.deps, pending({ supersede: true }), ZIP, {})).rejects.toMatchObject({
      code: 'ROLE_MISMATCH',
      message: expect.stringContaining('stable version 1 and $LATEST'),
    });
    expectNothingWritten(w);
  });

  it('the same role and DLQ: the stable version is read before the upload, which goes ahead', async () => {
    const w = createWorld();
    w.lambda.configureLatest(FN, { description: 'same role, same DLQ' });
    await expect(publishAfterChecks(w.deps, pending(), ZIP)).resolves.toBe('3');
    const calls = w.lambda.calls;
    const stableRead = calls.findIndex((c) => c.op === 'getFunction' && c.args[1] === '1');
    expect(stableRead).toBeGreaterThanOrEqual(0);
    expect(stableRead).toBeLessThan(calls.findIndex((c) => c.op === 'updateCode'));
  });

  it("a dry run says the new version's architecture differs, as the deploy's preflight will", async () => {
    const w = createWorld();
    w.lambda.configureLatest(FN, { architectures: ['arm64'] });
    const program = planRelease(canary(10, 300).strategy, {}, [{ functionName: FN, alias: ALIAS }]);
    await dryRunDeploy(w.deps, { req: pending(), source: ZIP, program });
    const warnings = w.sink.ofType('log').filter((e) => e.level === 'warn');
    expect(warnings.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        /architecture differs: stable version 1 runs x86_64, the new version \(\$LATEST\) runs arm64/,
      ),
    );
    expect(w.sink.ofType('preflight.check').map((c) => c.check)).toContain('run-settings');
  });

  it('a deploy says that warning once, from its full preflight after the publish', async () => {
    const w = createWorld();
    w.lambda.configureLatest(FN, { architectures: ['arm64'] });
    const req = pending();
    const targetVersion = await publishAfterChecks(w.deps, req, ZIP);
    expect((await runDeploy(w.deps, { ...req, targetVersion })).status).toBe('promoted');
    const said = w.sink.ofType('log').filter((e) => e.message.startsWith('architecture differs'));
    expect(said.map((e) => e.message)).toEqual([
      'architecture differs: stable version 1 runs x86_64, version 3 runs arm64; both take traffic during the shift',
    ]);
  });
});
