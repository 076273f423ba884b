/**
 * The settle wait awaits the per-version metrics the analysis reads, so a deploy with no gate of
 * it (`--no-analysis`, no absolute limit) skips it (test/engine/settle-no-analysis.test.ts). The
 * plan must say so: `deploy --dry-run --no-analysis` showed "settle: hold 2 more minutes and wait
 * for late metrics, at most 6m", and `lshift plan --no-analysis` (the deploy's flags copied) was
 * refused as a nonexistent flag (found by a docs pass, session 59).
 */
import { describe, expect, it } from 'vitest';
import type { LshiftConfig } from '../../src/cli/config-file.js';
import { resolveDeployOptions } from '../../src/cli/deploy-options.js';
import { resolveReleaseOptions } from '../../src/cli/release-options.js';
import { planReleaseProgram } from '../../src/engine/release-program-plan.js';
import { runCli } from '../helpers/run-cli.js';

const resolve = (flags: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  resolveDeployOptions(
    { version: '2', strategy: 'canary:10%:5m', ...flags } as never,
    config as LshiftConfig,
  );

describe('the settle wait of a deploy that reads no metrics', () => {
  it('--no-analysis: the plan has no settle wait (nothing it would wait for)', () => {
    expect(resolve({ analysis: false }).plan).toMatchObject({ settleSeconds: 0, settleExtraMinutes: 0 });
    expect(resolve({ analysis: false, settle: '10m' }).plan.settleSeconds).toBe(0);
    expect(resolve({}, { analysis: false }).plan.settleSeconds).toBe(0);
  });

  it('an absolute gate still reads metrics: the settle wait stays', () => {
    expect(resolve({ analysis: false, 'max-error-rate': '5%' }).plan).toMatchObject({
      settleSeconds: 360,
      settleExtraMinutes: 2,
    });
    expect(resolve({}).plan.settleSeconds).toBe(360);
  });

  it('a release settles while any of its functions reads metrics, whichever is named first', () => {
    const config = {
      analysis: false,
      functions: [{ name: 'alpha' }, { name: 'beta', 'max-error-rate': '5%' }],
    } as LshiftConfig;
    for (const order of [
      ['alpha', 'beta'],
      ['beta', 'alpha'],
    ]) {
      const entries = order.map(
        (name) => config.functions!.find((f) => typeof f !== 'string' && f.name === name)!,
      );
      const { members } = resolveReleaseOptions({ version: '2' } as never, config, entries);
      const program = planReleaseProgram(
        members.map((m) => ({ functionName: m.functionName, ...m.options })),
        {},
      );
      expect(program.steps.filter((s) => s.kind === 'settle')).toHaveLength(1);
    }
    const none = resolveReleaseOptions({ version: '2', analysis: false } as never, {}, ['alpha', 'beta']);
    const program = planReleaseProgram(
      none.members.map((m) => ({ functionName: m.functionName, ...m.options })),
      {},
    );
    expect(program.steps.some((s) => s.kind === 'settle')).toBe(false);
  });

  it('lshift plan --no-analysis (a deploy’s flags copied): no settle line; --analysis keeps it', async () => {
    const off = await runCli(['plan', 'canary:10%:5m', '--no-analysis']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).not.toContain('settle');
    const json = await runCli(['plan', 'canary:10%:5m', '--no-analysis', '--json']);
    expect(JSON.parse(json.stdout).settleSeconds).toBe(0);
    const on = await runCli(['plan', 'canary:10%:5m', '--analysis']);
    expect(on.stdout).toContain('settle: hold 2 more minutes and wait for late metrics, at most 6m');
  });
});
