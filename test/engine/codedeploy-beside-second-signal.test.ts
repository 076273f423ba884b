/**
 * A second Ctrl-C while a CodeDeploy deploy rolls back after its first: the run exits at once, and
 * its close — which names a person's split the alias read beside the stop found
 * (`y=INTERRUPTED.hand`, codedeploy-stop-move.ts) — never comes. Found in session 65's note: the
 * rollback itself is right, but the split went unsaid. The driver tells what that read came to
 * (CodeDeploySetup.onBesideStop) and the second signal's lines (alias-watch.ts) say the move it
 * found, or that it had not answered.
 */
import { describe, expect, it } from 'vitest';
import { watchAlias } from '../../src/cli/alias-watch.js';
import type { EngineEvent } from '../../src/domain/events.js';
import type { BesideStopNews } from '../../src/engine/codedeploy-driver-deps.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasInfo } from '../../src/ports/lambda.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALIAS, canary, FN, request } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.5 } };

/**
 * Interrupted at the 10% hold, the person's split landing just before the stop; `hang`: the read
 * beside the stop never answers. The second signal's lines are taken when CodeDeploy is first asked
 * about its rollback (after the stop and the read beside it went out), as a second Ctrl-C then would.
 */
async function secondSignalDuringRollback(hang: boolean) {
  const controller = new AbortController();
  const news: BesideStopNews[] = [];
  const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal, undefined, undefined, (n) => {
    news.push(n);
    watch.besideStop?.(n);
  });
  const watch = watchAlias(FN, ALIAS);
  w.codedeploy.slowRollbacks(30_000);
  let lines: string[] | undefined;
  let stopped = false;
  const stop = w.codedeploy.stopDeployment.bind(w.codedeploy);
  w.codedeploy.stopDeployment = (id, auto) => {
    w.lambda.moveAlias(FN, ALIAS, SPLIT);
    stopped = true;
    return stop(id, auto);
  };
  const status = w.codedeploy.getDeployment.bind(w.codedeploy);
  w.codedeploy.getDeployment = async (id) => {
    const info = await status(id);
    if (stopped && lines === undefined) {
      // Let an answered read's callback run first, as time passing would.
      await new Promise((r) => setImmediate(r));
      lines = watch.describe();
    }
    return info;
  };
  // Only the read beside the stop (the first after it) hangs; the rollback's own reads answer.
  const read = w.lambda.getAlias.bind(w.lambda);
  let hung = false;
  w.lambda.getAlias = (fn, alias) => {
    if (!hang || !stopped || hung) return read(fn, alias);
    hung = true;
    return new Promise<AliasInfo | undefined>(() => {});
  };
  const sink = w.deps.events;
  const events = {
    emit: (e: EngineEvent) => {
      sink.emit(e);
      watch.sink.emit(e);
    },
  };
  w.clock.at(w.start + 120_000, () => controller.abort(new Error('SIGINT')));
  watch.codeDeploy?.('d-FAKE1');
  await runDeploy({ ...w.deps, events }, request({ ...canary(10, 300), signal: controller.signal }));
  return { news, lines: lines ?? [] };
}

describe('a second signal while a CodeDeploy rollback runs over a person’s split', () => {
  it('the read beside the stop had found the split: the second signal names it', async () => {
    const { news, lines } = await secondSignalDuringRollback(false);
    expect(news[0]).toEqual({ answered: false });
    expect(news[1]).toMatchObject({
      answered: true,
      moved: expect.stringContaining('someone had moved it by hand'),
    });
    const text = lines.join('\n');
    // Before: only "lshift was rolling back AWS CodeDeploy deployment d-FAKE1, but its stop may not have reached …".
    expect(text).toContain(
      "lshift's read of the alias beside that stop found the alias routed 50% on 2 when lshift stopped CodeDeploy, not CodeDeploy's 10%: someone had moved it by hand; once the stop reaches CodeDeploy, its rollback puts all traffic back on version 1 over that move (`lshift status demo --alias live` shows where it is now).",
    );
    expect(text).toContain('lshift was rolling back AWS CodeDeploy deployment d-FAKE1');
    expect(lines.findIndex((l) => l.startsWith('Fix:'))).toBeGreaterThan(1);
  });

  it('the read had not answered: the second signal says the split is not known', async () => {
    const { news, lines } = await secondSignalDuringRollback(true);
    expect(news).toEqual([{ answered: false }]);
    expect(lines.join('\n')).toContain(
      "lshift's read of the alias sent beside that stop had not answered: whether someone had moved it by hand just before is not known (`lshift status demo --alias live` shows where it is now).",
    );
  });
});
