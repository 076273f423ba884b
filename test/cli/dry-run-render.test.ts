import { describe, expect, it } from 'vitest';
import { renderDryRun } from '../../src/cli/renderers/dry-run-text.js';
import { planRelease } from '../../src/domain/release-program.js';
import { canary } from '../engine/world.js';

const program = planRelease(canary(10, 300).strategy, {}, [{ functionName: 'orders', alias: 'live' }]);
const report = { functionName: 'orders', alias: 'live', stableVersion: '1', targetVersion: '2', program };

/** The summary of `deploy --dry-run` says what a deploy would do, and never contradicts itself. */
describe('dry run summary', () => {
  it('shows the release program of a deploy that would shift traffic', () => {
    const text = renderDryRun({ ...report, nothingToDeploy: false });
    expect(text).toContain('every read-only check passed for orders:live');
    expect(text).toContain('Release program:');
    expect(text).toContain('set orders:live to 10% on the new version');
  });

  it('shows no weights when the alias already points at the target: the deploy would do nothing', () => {
    const text = renderDryRun({ ...report, stableVersion: '2', nothingToDeploy: true });
    expect(text).toContain('orders:live already points at version 2; a deploy would do nothing.');
    expect(text).not.toContain('Release program:');
    expect(text).not.toContain('10% on the new version');
  });

  it('under "most likely nothing to deploy", says the program runs only if a new version is made', () => {
    const publish = {
      kind: 'latest' as const,
      latestCodeSha256: 'abc=',
      forecast: { outcome: 'likely-same' as const, newestVersion: '2' },
    };
    const onIt = renderDryRun({ ...report, stableVersion: '2', nothingToDeploy: false, publish });
    expect(onIt).toContain('most likely nothing to deploy');
    expect(onIt).toContain('Only if the publish makes a new version after all:\nRelease program:');
    // Its warnings are about that program's shift: said under the "only if", not under "nothing to deploy".
    const warned = renderDryRun({
      ...report,
      stableVersion: '2',
      nothingToDeploy: false,
      publish,
      warnings: ['w'],
    });
    expect(warned).toContain(
      'Only if the publish makes a new version after all:\n  Warning: w\nRelease program:',
    );
    expect(warned.indexOf('Warning: w')).toBeGreaterThan(warned.indexOf('Only if'));
    const elsewhere = renderDryRun({ ...report, stableVersion: '1', nothingToDeploy: false, publish });
    expect(elsewhere).toContain('most likely as the existing version 2');
    expect(elsewhere).not.toContain('Only if the publish');
  });
});
