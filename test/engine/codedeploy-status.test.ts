import { describe, expect, it } from 'vitest';
import {
  describeCodeDeployEnd,
  describeEndWithEvents,
  readEndEvents,
} from '../../src/engine/codedeploy-status.js';
import type { CodeDeployPort, DeploymentInfo } from '../../src/ports/codedeploy.js';

/**
 * CodeDeploy's own words (errorInformation, rollbackInfo, a lifecycle event's diagnostics) end up
 * in the record, the result and a CI log; a proxy or a misbehaving endpoint can put anything there.
 */
const hostile = 'boom\u001b[2J\n::error::forged\r';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these.
const CONTROL = /[\u0000-\u001f\u007f]/;

describe('describeCodeDeployEnd', () => {
  it('says how it ended in CodeDeploy’s words', () => {
    const info: DeploymentInfo = {
      id: 'd-1',
      status: 'Failed',
      error: { code: 'HEALTH_CONSTRAINTS', message: 'The deployment failed.' },
      rollback: { message: 'Rolled back by d-2.' },
    };
    expect(describeCodeDeployEnd(info)).toBe(
      'CodeDeploy deployment d-1 Failed: The deployment failed. (rollback: Rolled back by d-2.)',
    );
    expect(describeCodeDeployEnd({ id: 'd-3', status: 'Stopped' })).toBe(
      'CodeDeploy deployment d-3 Stopped: no reason given',
    );
  });

  it('prints no control character CodeDeploy’s messages carry, on one line', () => {
    const text = describeCodeDeployEnd({
      id: 'd-1',
      status: 'Failed',
      error: { message: hostile },
      rollback: { message: hostile },
    });
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('boom');
  });

  it('cuts a message of kilobytes to a readable length', () => {
    const text = describeCodeDeployEnd({
      id: 'd-1',
      status: 'Failed',
      error: { message: 'x'.repeat(10_000) },
    });
    expect(text.length).toBeLessThan(700);
    expect(text).toContain('(10000 characters)');
  });
});

/** The end as lshift wait words it: the lifecycle events read, then described. */
const explainCodeDeployEnd = async (port: CodeDeployPort, info: DeploymentInfo) =>
  describeEndWithEvents(info, await readEndEvents(port, info));

describe('the end with its lifecycle events (readEndEvents, describeEndWithEvents)', () => {
  it('names the failed lifecycle events, their diagnostics printable', async () => {
    const port = {
      getLifecycleEvents: async () => [
        { name: 'BeforeAllowTraffic', status: 'Failed', message: hostile },
        { name: 'AfterAllowTraffic', status: 'Skipped' },
      ],
    } as unknown as CodeDeployPort;
    const text = await explainCodeDeployEnd(port, {
      id: 'd-1',
      status: 'Failed',
      error: { message: 'hook failed' },
    });
    expect(text).toContain('lifecycle events: BeforeAllowTraffic Failed (boom');
    expect(text).not.toMatch(CONTROL);
  });

  // Seen in a hostile pass: a deployment stopped from outside ended "…; lifecycle events:
  // AllowTraffic Failed", read as a failure of its own beside the stop.
  it('a stopped deployment: the events the stop failed are said to be cut short by it', async () => {
    const port = {
      getLifecycleEvents: async () => [{ name: 'AllowTraffic', status: 'Failed' }],
    } as unknown as CodeDeployPort;
    const stopped = await explainCodeDeployEnd(port, {
      id: 'd-1',
      status: 'Stopped',
      error: { code: 'MANUAL_STOP', message: 'The deployment was stopped by a StopDeployment request.' },
    });
    expect(stopped).toContain('; lifecycle events cut short by the stop: AllowTraffic Failed');
    const failed = await explainCodeDeployEnd(port, { id: 'd-2', status: 'Failed', error: { message: 'x' } });
    expect(failed).toContain('; lifecycle events: AllowTraffic Failed');
  });
});
