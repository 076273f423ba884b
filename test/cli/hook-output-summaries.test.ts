/**
 * A failed hook's last lines (HOOK_FAILED's `output`, at most 20, masked) were shown under a single
 * deploy's reason on the terminal and in `--json`, but not in a release's summary nor in the
 * GitHub step summary, where a CI reader looks first: the reason quotes only the last line.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import { renderGithubSummary } from '../../src/cli/renderers/github-summary.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
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

/**
 * A failed rollback hook's last lines (`rollbackHooks.output`) were kept in `--json` only: neither
 * a deploy's nor a release's summary showed them, on the terminal or in the GitHub step summary,
 * and a release's reason names only the failing function's rollback hook. Now they are said as a
 * failed hook's are: after it, named as a rollback hook, once per function in a release.
 */
const NOTIFY_FAILED = {
  ok: false,
  reason: 'exit code 1',
  outputTail: 'notify 1\nPOST /chat -> 500\nnotify failed\n',
};

async function deployWhoseRollbackHookFails() {
  const w = createWorld();
  w.hooks.script('cmd:./smoke.sh', FAILED);
  w.hooks.script('cmd:./notify', NOTIFY_FAILED);
  const hooks = { pre: [cmdHook('./smoke.sh')], rollback: [cmdHook('./notify')] };
  return withReason(await runDeploy(w.deps, request({ ...canary(10, 60), hooks })));
}

async function releaseWhoseRollbackHooksFail() {
  const w = createFleetWorld(FNS);
  w.hooks.script('cmd:./smoke gamma', FAILED);
  for (const fn of FNS) w.hooks.script(`cmd:./notify ${fn}`, NOTIFY_FAILED);
  const rel = release();
  rel.members = rel.members.map((m) => ({
    ...m,
    hooks: { pre: [cmdHook(`./smoke ${m.functionName}`)], rollback: [cmdHook(`./notify ${m.functionName}`)] },
  }));
  return withReleaseReason(await runRelease(w.deps, rel));
}

describe("a failed rollback hook's last lines, in the summaries", () => {
  it("a deploy on the terminal: after the failed hook's, named as a rollback hook", async () => {
    const text = renderDeployResult(await deployWhoseRollbackHookFails());
    expect(text).toContain(
      '\n  Output of cmd:./smoke.sh (its last 3 lines):\n    | Step 1/2 ok\n    | GET /health -> 500\n    | smoke failed\n' +
        '  Output of rollback hook cmd:./notify (its last 3 lines):\n    | notify 1\n    | POST /chat -> 500\n    | notify failed',
    );
  });

  it('a release on the terminal: once per function, named with it', async () => {
    const lines = renderReleaseResult(await releaseWhoseRollbackHooksFail()).split('\n');
    for (const fn of FNS) {
      const at = lines.indexOf(
        `  Output of rollback hook cmd:./notify ${fn} of ${fn}:live (its last 3 lines):`,
      );
      expect(at, lines.join('\n')).toBeGreaterThan(0);
      expect(lines.slice(at + 1, at + 4)).toEqual([
        '    | notify 1',
        '    | POST /chat -> 500',
        '    | notify failed',
      ]);
    }
    expect(lines.filter((l) => l === '    | notify failed')).toHaveLength(3);
    expect(lines.filter((l) => l === '    | smoke failed')).toHaveLength(1);
  });

  it('a deploy in the GitHub step summary: a code block of its own', async () => {
    const summary = renderGithubSummary(await deployWhoseRollbackHookFails(), []);
    expect(summary).toContain(
      '\n\nOutput of rollback hook cmd:./notify (its last 3 lines):\n\n```text\nnotify 1\nPOST /chat -> 500\nnotify failed\n```\n',
    );
    expect(summary).toContain('```text\nStep 1/2 ok\nGET /health -> 500\nsmoke failed\n```');
  });

  it('a release in the GitHub step summary: once per function, named with it', async () => {
    const summary = renderGithubReleaseSummary(await releaseWhoseRollbackHooksFail());
    for (const fn of FNS)
      expect(summary).toContain(
        `Output of rollback hook cmd:./notify ${fn} of ${fn}:live (its last 3 lines):\n\n\`\`\`text\nnotify 1\nPOST /chat -> 500\nnotify failed\n\`\`\`\n`,
      );
    expect(summary.match(/notify failed\n/g)).toHaveLength(3);
  });

  it("backquotes in a rollback hook's output cannot close its block", async () => {
    const w = createWorld();
    w.hooks.script('cmd:./smoke.sh', FAILED);
    w.hooks.script('cmd:./notify', { ...NOTIFY_FAILED, outputTail: '```\n# Heading\n' });
    const hooks = { pre: [cmdHook('./smoke.sh')], rollback: [cmdHook('./notify')] };
    const result = withReason(await runDeploy(w.deps, request({ ...canary(10, 60), hooks })));
    expect(renderGithubSummary(result, [])).toContain('\n````text\n```\n# Heading\n````\n');
  });
});
