/**
 * A failed hook's last lines (HOOK_FAILED's `output`, at most 20, masked) were shown under a single
 * deploy's reason on the terminal and in `--json`, but not in a release's summary nor in the
 * GitHub step summary, where a CI reader looks first: the reason quotes only the last line.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { renderReleaseResult, withReleaseReason } from '../../src/cli/describe-release.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import { renderGithubSummary } from '../../src/cli/renderers/github-summary.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { canary, createFleetWorld, createWorld, request } from '../engine/world.js';
import { cmdHook } from '../helpers/fake-hooks.js';

const FNS = ['alpha', 'beta', 'gamma'];
const FAILED = {
  ok: false,
  reason: 'exit code 1',
  outputTail: 'Step 1/2 ok\nGET /health -> 500\nsmoke failed\n',
};

function release(rel: Partial<ReleaseRequest> = {}, member: Partial<DeployRequest> = {}): ReleaseRequest {
  return {
    releaseId: 'r-abc123',
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-abc12${i}`,
        ...canary(10, 60),
        ...member,
      }),
    ),
    ...rel,
  };
}

async function functionHookFails() {
  const w = createFleetWorld(FNS);
  w.hooks.script('cmd:./smoke gamma', FAILED);
  const rel = release();
  rel.members = rel.members.map((m) => ({ ...m, hooks: { pre: [cmdHook(`./smoke ${m.functionName}`)] } }));
  return withReleaseReason(await runRelease(w.deps, rel));
}

async function releaseHookFails() {
  const w = createFleetWorld(FNS);
  w.hooks.script('cmd:./release-post', FAILED);
  return withReleaseReason(
    await runRelease(w.deps, release({ hooks: { post: [cmdHook('./release-post')] } })),
  );
}

describe("a release's summary on the terminal: the failed hook's last lines under the reason", () => {
  it("a function's own hook: named with its function", async () => {
    const lines = renderReleaseResult(await functionHookFails()).split('\n');
    const reason = lines.findIndex((l) => l.startsWith('  Reason: function gamma failed: pre-traffic hook'));
    expect(lines.slice(reason + 1, reason + 5)).toEqual([
      '  Output of cmd:./smoke gamma of gamma:live (its last 3 lines):',
      '    | Step 1/2 ok',
      '    | GET /health -> 500',
      '    | smoke failed',
    ]);
    // Once, not once a function: every function's result carries the same cause.
    expect(lines.filter((l) => l.includes('smoke failed') && l.startsWith('    |'))).toHaveLength(1);
  });

  it("the release's own hook: named alone", async () => {
    const text = renderReleaseResult(await releaseHookFails());
    expect(text).toContain(
      '\n  Output of cmd:./release-post (its last 3 lines):\n    | Step 1/2 ok\n    | GET /health -> 500\n    | smoke failed\n',
    );
  });
});

describe("the GitHub step summary: the failed hook's last lines as a code block under the result", () => {
  it('a single deploy', async () => {
    const w = createWorld();
    w.hooks.script('cmd:./smoke.sh', FAILED);
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('./smoke.sh')] } }),
    );
    const summary = renderGithubSummary(withReason(result), []);
    expect(summary).toContain(
      '\n\nOutput of cmd:./smoke.sh (its last 3 lines):\n\n```text\nStep 1/2 ok\nGET /health -> 500\nsmoke failed\n```\n',
    );
  });

  it('a release', async () => {
    const summary = renderGithubReleaseSummary(await functionHookFails());
    expect(summary).toContain(
      'Output of cmd:./smoke gamma of gamma:live (its last 3 lines):\n\n```text\nStep 1/2 ok\nGET /health -> 500\nsmoke failed\n```\n',
    );
    expect(summary.match(/smoke failed\n/g)).toHaveLength(1);
  });

  it('a line of backquotes cannot close the block: the fence is longer than any run in it', async () => {
    const w = createWorld();
    w.hooks.script('cmd:./smoke.sh', { ...FAILED, outputTail: 'before\n````\n# Heading <img src=x>\n' });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { pre: [cmdHook('./smoke.sh')] } }),
    );
    const summary = renderGithubSummary(withReason(result), []);
    expect(summary).toContain('\n`````text\nbefore\n````\n# Heading <img src=x>\n`````\n');
  });
});
