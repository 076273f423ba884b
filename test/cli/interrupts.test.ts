import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AliasWatch, watchAlias, watchCodeDeploy } from '../../src/cli/alias-watch.js';
import { watchCheck, watchMoveAlias, watchRollback } from '../../src/cli/command-watches.js';
import { keepEarlySignals, takeEarlySignal } from '../../src/cli/early-signals.js';
import {
  deployStoppingNotice,
  deploySuspendHint,
  releaseStoppingNotice,
  releaseSuspendHint,
  resumeAwareNotice,
} from '../../src/cli/interrupt-notices.js';
import { abortUntilWrite, guardInterrupts, type InterruptGuard } from '../../src/cli/interrupts.js';
import { stderr, stdout } from '../../src/cli/output.js';
import { watchReleaseAliases } from '../../src/cli/release-interrupts.js';
import { crashAfterTraffic, exitOnSecondSignal } from '../../src/cli/second-signal.js';
import { type LshiftError, UnsafeError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { demoShiftStarted } from '../helpers/demo-events.js';

/** The first signal aborts the shift (which rolls back); a real second one exits at once. */
describe('guardInterrupts', () => {
  let guard: InterruptGuard | undefined;
  afterEach(() => guard?.dispose());

  function setup() {
    let now = 1_000;
    const seconds: string[] = [];
    const said: string[] = [];
    guard = guardInterrupts({
      onSecond: (name) => seconds.push(name),
      say: (text) => said.push(text),
      now: () => now,
    });
    return { seconds, said, advance: (ms: number) => (now += ms), signal: guard.signal };
  }

  it('aborts on the first SIGTERM with a reason naming the signal', () => {
    const { signal, seconds, said } = setup();
    process.emit('SIGTERM', 'SIGTERM');
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain('interrupted by SIGTERM');
    expect(seconds).toEqual([]);
    expect(said.join('')).toContain('SIGTERM received: stopping the deployment safely');
  });

  it('says what the command stops when it is not a deployment (a rollback)', () => {
    const said: string[] = [];
    guard = guardInterrupts({
      onSecond: () => {},
      say: (text) => said.push(text),
      stopping: 'stopping before the alias write',
    });
    process.emit('SIGINT', 'SIGINT');
    expect(said.join('')).toBe(
      '\nSIGINT received: stopping before the alias write (send it again after a second to exit at once).\n',
    );
  });

  // Ctrl-Z would stop lshift with the alias possibly split and nobody watching it.
  it('refuses Ctrl-Z (SIGTSTP) when asked to, saying how to stop or hold, without aborting', () => {
    const said: string[] = [];
    const before = process.listenerCount('SIGTSTP');
    guard = guardInterrupts({ onSecond: () => {}, say: (t) => said.push(t), refuseSuspend: 'Press Ctrl-C.' });
    expect(process.listenerCount('SIGTSTP')).toBe(before + 1);
    process.emit('SIGTSTP', 'SIGTSTP');
    expect(said.join('')).toBe(
      '\nCtrl-Z (SIGTSTP) ignored: a suspended lshift would leave the traffic with nobody watching it. Press Ctrl-C.\n',
    );
    expect(guard.signal.aborted).toBe(false);
    guard.dispose();
    guard = undefined;
    expect(process.listenerCount('SIGTSTP')).toBe(before);
  });

  it.each([
    [
      { functionName: 'demo', alias: 'live' },
      false,
      'Press Ctrl-C to stop it safely, or run `lshift pause demo --alias live` from another shell to hold the traffic where it is.',
    ],
    [
      undefined,
      false,
      'Press Ctrl-C to stop it safely, or run `lshift pause <function>` from another shell to hold the traffic where it is.',
    ],
    // CodeDeploy takes no operator verbs: pause is not offered.
    [{ functionName: 'demo', alias: 'live' }, true, 'Press Ctrl-C to stop it safely.'],
  ] as const)('deploySuspendHint(%o, codeDeploy %s)', (target, codeDeploy, hint) => {
    expect(deploySuspendHint(target, codeDeploy)).toBe(hint);
  });

  // Found by a hostile pass: a release's Ctrl-Z advised `lshift pause <function>`, refused for a
  // function of a release (RELEASE_MEMBER).
  it('releaseSuspendHint: the release form of pause, with its functions', () => {
    expect(releaseSuspendHint(['fa', 'fb', 'fc'])).toBe(
      'Press Ctrl-C to stop it safely, or run `lshift pause --release <id> fa fb fc` from another shell (`lshift status fa` shows the release id) to hold the traffic where it is.',
    );
  });

  it('leaves Ctrl-Z alone for a command that moves no traffic (no refuseSuspend)', () => {
    const before = process.listenerCount('SIGTSTP');
    guard = guardInterrupts({ onSecond: () => {}, say: () => {} });
    expect(process.listenerCount('SIGTSTP')).toBe(before);
  });

  it('treats SIGHUP (terminal closed) like SIGTERM', () => {
    const { signal } = setup();
    process.emit('SIGHUP', 'SIGHUP');
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain('interrupted by SIGHUP');
  });

  it('treats SIGQUIT (Ctrl-\\ at a terminal) like Ctrl-C', () => {
    const { signal } = setup();
    process.emit('SIGQUIT', 'SIGQUIT');
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain('interrupted by SIGQUIT');
  });

  // Each ends the process by default (signal(7)): before lshift listened, `timeout -s ALRM` or a
  // CPU-time limit's SIGXCPU killed a deploy mid-shift with the alias split and nobody watching.
  it.each(['SIGALRM', 'SIGUSR2', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR'] as const)(
    'treats %s (a default that ends the process) like SIGTERM, and a second one as a second signal',
    (name) => {
      const { signal, seconds, said, advance } = setup();
      expect(process.listenerCount(name)).toBeGreaterThan(0);
      process.emit(name, name);
      expect(signal.aborted).toBe(true);
      expect(String(signal.reason)).toContain(`interrupted by ${name}`);
      expect(said.join('')).toContain(`${name} received: stopping the deployment safely`);
      advance(2_000);
      process.emit(name, name);
      expect(seconds).toEqual([name]);
    },
  );

  it('says what the first signal does as it is then: a resume before its takeover changes nothing', () => {
    const watch = watchAlias('demo', 'live', { resumed: true });
    const said: string[] = [];
    guard = guardInterrupts({
      onSecond: () => {},
      say: (text) => said.push(text),
      stopping: resumeAwareNotice(true, watch, releaseStoppingNotice('rollback')),
    });
    process.emit('SIGINT', 'SIGINT');
    expect(said.join('')).toContain(
      'SIGINT received: stopping before taking the deployment over: lshift changes nothing, and the alias stays as the stopped run left it',
    );
    expect(said.join('')).not.toContain('goes back');
  });

  it.each([
    ['a resume once its shift started', true, true, 'stopping the release safely: every function goes back'],
    ['a deploy that is not a resume', false, false, 'stopping the release safely: every function goes back'],
  ])('%s: the usual notice', (_name, resume, started, expected) => {
    const watch = watchAlias('demo', 'live', { resumed: resume });
    if (started) watch.sink.emit(demoShiftStarted());
    expect(resumeAwareNotice(resume, watch, releaseStoppingNotice('rollback'))()).toContain(expected);
  });

  // Found by a hostile pass: `lshift wait` hit by Ctrl-C in its first ~0.35 s exited 130 (Node's
  // default action) and the deployment it follows ran on; bin/run.js now keeps such a signal.
  it('a signal kept while the command started is its first: aborts at once and says so; later ones count from it', () => {
    const before = process.listenerCount('SIGINT');
    keepEarlySignals();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    const { seconds, said, signal, advance } = setup();
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain('interrupted by SIGINT');
    expect(said.join('')).toContain('SIGINT received: stopping the deployment safely');
    // The keeping listener is gone: the guard's own handles what comes next.
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(takeEarlySignal()).toBeUndefined();
    advance(1500);
    process.emit('SIGTERM', 'SIGTERM');
    expect(seconds).toEqual(['SIGTERM']);
  });

  it('no signal kept: the guard starts unaborted', () => {
    keepEarlySignals();
    const { signal, said } = setup();
    expect(signal.aborted).toBe(false);
    expect(said).toEqual([]);
    expect(takeEarlySignal()).toBeUndefined();
  });

  it('treats a repeat within a second as the same Ctrl-C (npx forwards it once more)', () => {
    const { seconds, advance } = setup();
    process.emit('SIGINT', 'SIGINT');
    advance(300);
    process.emit('SIGINT', 'SIGINT');
    expect(seconds).toEqual([]);
  });

  it('a hang-up after Ctrl-C is not a second signal: the rollback under way goes on', () => {
    const { seconds, advance, signal } = setup();
    process.emit('SIGINT', 'SIGINT');
    advance(1500);
    process.emit('SIGHUP', 'SIGHUP');
    expect(seconds).toEqual([]);
    expect(String(signal.reason)).toContain('interrupted by SIGINT');
  });

  it('exits at once on a second signal after that', () => {
    const { seconds, advance } = setup();
    process.emit('SIGINT', 'SIGINT');
    advance(1500);
    process.emit('SIGTERM', 'SIGTERM');
    expect(seconds).toEqual(['SIGTERM']);
  });

  it('stops listening once disposed', () => {
    const { signal } = setup();
    guard?.dispose();
    guard = undefined;
    process.emit('SIGTERM', 'SIGTERM'); // emit only calls listeners; it sends no real signal
    expect(signal.aborted).toBe(false);
  });
});

describe('watchAlias (what the second-signal message says)', () => {
  const at = 0;
  it('before the shift started: nothing moved', () => {
    const watch = watchAlias('demo', 'live');
    expect(watch.touched()).toBe(false);
    expect(watch.describe()).toEqual(['No traffic had moved on demo:live.']);
  });

  it('mid-shift: the weights lshift last set and both fixes', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 60 });
    watch.sink.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: 'x',
      fromPercent: 10,
      toVersion: '1',
    });
    expect(watch.touched()).toBe(true);
    const [state, fix, aws] = watch.describe();
    expect(state).toContain(
      'rolling it back to version 1: version 1 (90%) + version 2 (10%), or all on version 1',
    );
    expect(fix).toBe('Fix: lshift rollback demo --alias live');
    expect(aws).toContain('aws lambda update-alias --function-name demo --name live --function-version 1');
  });
});

describe('the second signal while following an AWS CodeDeploy deployment', () => {
  afterEach(() => vi.restoreAllMocks());

  function exitLines(run: () => never): { code: string; stderr: string } {
    const err: string[] = [];
    // The guarded stream keeps the stream's first write function: spy on it, not on the stream.
    vi.spyOn(stderr, 'writeNow').mockImplementation((text) => {
      err.push(text);
    });
    vi.spyOn(stdout, 'writeNow').mockImplementation(() => {});
    vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    try {
      run();
    } catch (error) {
      return { code: (error as Error).message, stderr: err.join('') };
    }
    throw new Error('expected an exit');
  }

  it('deploy --engine codedeploy: names the deployment and the stop-deployment fix, exit 4 (no update-alias)', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted({ deploymentId: 'x-1' }));
    watch.codeDeploy?.('d-ABCDEF123');
    const { code, stderr } = exitLines(() => exitOnSecondSignal('SIGINT', watch));
    expect(code).toBe('exit 4');
    expect(stderr).toContain('AWS CodeDeploy deployment d-ABCDEF123 may still be running');
    expect(stderr).toContain(
      'Fix: aws deploy stop-deployment --deployment-id d-ABCDEF123 --auto-rollback-enabled',
    );
    expect(stderr).toContain('lshift rollback demo --alias live');
    expect(stderr).not.toContain('update-alias');
  });

  // Found by a hostile pass (session 60): after the first Ctrl-C started lshift's rollback (its
  // StopDeployment held), the second offered "follow it: lshift wait d-…", which promoted it.
  it('deploy --engine codedeploy rolling back: says lshift was rolling it back, no "follow it"', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted({ deploymentId: 'x-1' }));
    watch.codeDeploy?.('d-ABCDEF123');
    watch.sink.emit({ type: 'rollback.started', at: 0, fromPercent: 20, toVersion: '1' } as never);
    const { code, stderr } = exitLines(() => exitOnSecondSignal('SIGINT', watch));
    expect(code).toBe('exit 4');
    expect(stderr).toContain(
      'lshift was rolling back AWS CodeDeploy deployment d-ABCDEF123, but its stop may not have reached CodeDeploy',
    );
    expect(stderr).toContain('or: lshift rollback demo --alias live');
    expect(stderr).not.toContain('lshift wait');
  });

  it('lshift wait <id> whose first signal asked for the stop: no "follow it" either', () => {
    const moves = { functionName: 'demo', alias: 'live' };
    const { stderr } = exitLines(() =>
      exitOnSecondSignal('SIGINT', watchCodeDeploy('d-ABCDEF123', moves, undefined, true)),
    );
    expect(stderr).toContain('lshift was rolling back AWS CodeDeploy deployment d-ABCDEF123');
    expect(stderr).not.toContain('lshift wait');
  });

  // Found by a hostile pass: a second signal during the wait's stop WITHOUT rollback (a person's
  // move kept) offered a stop with auto-rollback and `lshift rollback`, which undo that move.
  it('lshift wait <id> stopping CodeDeploy without rollback for a move by hand: the stop that keeps it, exit 4', () => {
    const moves = { functionName: 'demo', alias: 'live' };
    const { code, stderr } = exitLines(() =>
      exitOnSecondSignal('SIGINT', watchCodeDeploy('d-ABCDEF123', moves, undefined, true, true)),
    );
    expect(code).toBe('exit 4');
    expect(stderr).toContain(
      'Someone moved alias demo:live by hand, and lshift was stopping AWS CodeDeploy deployment d-ABCDEF123 without its rollback to keep that move',
    );
    expect(stderr).toContain(
      'Fix: aws deploy stop-deployment --deployment-id d-ABCDEF123 --no-auto-rollback-enabled',
    );
    // Named as undoing the move (session 66, F7: the stop alone fails once CodeDeploy ended).
    expect(stderr).toContain(
      "lshift rollback demo --alias live   (all traffic back on the stable version, undoing the person's move)",
    );
    expect(stderr).not.toContain('--auto-rollback-enabled ');
  });

  it('lshift wait <id>: the same fix for the deployment it follows, exit 4', () => {
    const { code, stderr } = exitLines(() => exitOnSecondSignal('SIGINT', watchCodeDeploy('d-ABCDEF123')));
    expect(code).toBe('exit 4');
    expect(stderr).toContain(
      'Fix: aws deploy stop-deployment --deployment-id d-ABCDEF123 --auto-rollback-enabled',
    );
  });

  // Found by a hostile pass: it named neither the function, the alias nor lshift's own fix.
  it('lshift wait <id> once its first read named the target: the alias and `lshift rollback` too', () => {
    const moves = { functionName: 'demo', alias: 'live' };
    const { stderr } = exitLines(() => exitOnSecondSignal('SIGINT', watchCodeDeploy('d-ABCDEF123', moves)));
    expect(stderr).toContain('it keeps moving alias demo:live on its own schedule');
    expect(stderr).toContain('or: lshift rollback demo --alias live');
  });

  // Found by a hostile pass: "may still be running" and a stop-deployment fix for a deployment
  // that had Succeeded; only the alias read and the record's close were left.
  it('says it had ended and names the wait that finishes the close, not a stop; exit 4 (the record may be open)', () => {
    const moves = { functionName: 'demo', alias: 'live' };
    const { code, stderr } = exitLines(() =>
      exitOnSecondSignal('SIGINT', watchCodeDeploy('d-ABCDEF123', moves, 'Succeeded')),
    );
    expect(code).toBe('exit 4');
    expect(stderr).toContain(
      'AWS CodeDeploy had ended deployment d-ABCDEF123 (Succeeded): nothing moves alias demo:live any more.',
    );
    expect(stderr).toContain('after AWS CodeDeploy ended the deployment, before its record was closed');
    expect(stderr).toContain('See: lshift status demo --alias live');
    expect(stderr).toContain('Fix: lshift wait d-ABCDEF123');
    expect(stderr).not.toContain('may still be running');
    expect(stderr).not.toContain('stop-deployment');
  });
});

describe('exitOnSecondSignal under --json', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The one JSON object a second SIGTERM prints on stdout (exit 4, process.exit stubbed). */
  function secondSignalJson(watch: ReturnType<typeof watchAlias>) {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
      out.push(String(text));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    expect(() => exitOnSecondSignal('SIGTERM', watch, true)).toThrow('exit 4');
    return JSON.parse(out.join(''));
  }

  it('still prints one JSON object on stdout: the alias state, the fix and exit 4', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 60 });
    const report = secondSignalJson(watch);
    expect(report).toMatchObject({ schemaVersion: 4, status: 'error', code: 'INTERRUPTED', exitCode: 4 });
    expect(report.message).toContain('version 1 (90%) + version 2 (10%)');
    expect(report.hint).toContain('lshift rollback demo --alias live');
    expect(report.rollbackCommand).toBe('lshift rollback demo --alias live');
  });

  // Found by a hostile pass: a release's one command was only inside the hint, and the message
  // named the first function's state alone.
  it('a release: every function’s state in the message, and rollbackCommand the release’s rollback', () => {
    const watch = watchReleaseAliases([
      { functionName: 'fd', options: { alias: 'live' } },
      { functionName: 'fe', options: { alias: 'live' } },
    ]);
    watch.sink.emit({ type: 'release.started', at: 0, releaseId: 'r-ikcos3' } as never);
    for (const fn of ['fd', 'fe']) {
      watch.sink.emit({ ...demoShiftStarted(), functionName: fn });
      watch.sink.emit({
        type: 'step.started',
        at: 0,
        index: 0,
        total: 2,
        percent: 50,
        holdSeconds: 60,
        target: { functionName: fn, alias: 'live' },
      });
    }
    const report = secondSignalJson(watch);
    expect(report.message).toContain('Alias fd:live as lshift last set it');
    expect(report.message).toContain('Alias fe:live as lshift last set it');
    expect(report.rollbackCommand).toBe('lshift rollback --release r-ikcos3 fd fe');
  });
});

// Found by a hostile pass: in text the state and the fix went to stderr alone, so with
// `2>/dev/null` or a closed stderr an exit 4 said nothing (a normal exit 4 says them on stdout).
/** A deploy's rollback whose last weight seen was 0% or 100%: one version, never called split. */
describe('watchAlias rolling back from 0% or 100%', () => {
  const at = 0;
  const rollingBack = (percent: number, fromPercent: number) => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at, index: 0, total: 2, percent, holdSeconds: 60 });
    watch.sink.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: 'x',
      fromPercent,
      toVersion: '1',
    });
    return watch.describe()[0];
  };

  it('100% (at the bake): all on the new version, or all on the stable one', () => {
    expect(rollingBack(100, 100)).toBe(
      'Alias demo:live as lshift last saw it, rolling it back to version 1: all on version 2, or all on version 1 if a rollback write landed.',
    );
  });

  it('0% (its first weight refused): all on the stable version, the routing the rollback writes', () => {
    expect(rollingBack(10, 0)).toBe(
      'Alias demo:live as lshift last saw it, rolling it back to version 1: all on version 1, the routing its rollback writes.',
    );
  });
});

describe('exitOnSecondSignal in text', () => {
  afterEach(() => vi.restoreAllMocks());

  /** What a second SIGINT writes to each stream (the guarded streams' writeNow; exit stubbed). */
  function secondSignalText(watch: AliasWatch, sharesStream: boolean) {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(stdout, 'writeNow').mockImplementation((text) => {
      out.push(text);
    });
    vi.spyOn(stdout, 'write').mockImplementation((text) => {
      out.push(text);
    });
    vi.spyOn(stderr, 'writeNow').mockImplementation((text) => {
      err.push(text);
    });
    vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    let code = '';
    try {
      exitOnSecondSignal('SIGINT', watch, false, () => sharesStream);
    } catch (error) {
      code = (error as Error).message;
    }
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  function splitAtTenPercent() {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 60 });
    watch.sink.emit({ type: 'rollback.started', at: 0, fromPercent: 10, toVersion: '1' } as never);
    return watch;
  }

  it('deploy: stdout gets the alias state and the fix too, under an UNSAFE headline (exit 4)', () => {
    const { code, stdout, stderr } = secondSignalText(splitAtTenPercent(), false);
    expect(code).toBe('exit 4');
    expect(stderr).toContain('SIGINT again: exiting now (exit 4) without finishing the rollback.');
    expect(stdout).toBe(
      [
        '✖ UNSAFE: SIGINT again: lshift exited without finishing the rollback (exit 4); a human must look.',
        '  Alias demo:live as lshift last saw it, rolling it back to version 1: version 1 (90%) + version 2 (10%), or all on version 1 if a rollback write landed.',
        '  Fix: lshift rollback demo --alias live',
        `    or: aws lambda update-alias --function-name demo --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`,
        '',
      ].join('\n'),
    );
  });

  it('rollback, alias and check: their state and fix on stdout too', () => {
    const moving = watchMoveAlias({ functionName: 'demo', alias: 'live', version: '2' });
    moving.writing();
    const rolling = watchRollback({
      targets: [{ functionName: 'demo', alias: 'live' }],
      command: 'lshift rollback demo',
    });
    rolling.sink.emit({ type: 'rollback.started', at: 0, fromPercent: 10, toVersion: '1' } as never);
    const watches: AliasWatch[] = [rolling, moving, watchCheck([{ functionName: 'demo', alias: 'live' }])];
    for (const watch of watches) {
      const { code, stdout } = secondSignalText(watch, false);
      expect(code).toBe('exit 4');
      expect(stdout).toMatch(/^✖ UNSAFE: SIGINT again: lshift exited /);
      for (const line of watch.describe()) expect(stdout).toContain(`  ${line}\n`);
      vi.restoreAllMocks();
    }
  });

  it('not twice to one stream: stdout that is stderr (a terminal, 2>&1) gets it once, on stderr', () => {
    const { code, stdout, stderr } = secondSignalText(splitAtTenPercent(), true);
    expect(code).toBe('exit 4');
    expect(stdout).toBe('');
    expect(stderr).toContain('Fix: lshift rollback demo --alias live');
  });

  // A person's rollback stopped twice in its claim wait: nothing written (found by a hostile pass).
  it('lshift rollback before its alias write: exit 1, nothing rolled back, not "may still be split"', () => {
    const one = watchRollback({
      targets: [{ functionName: 'f6', alias: 'live' }],
      command: 'lshift rollback f6',
    });
    const { code, stdout, stderr } = secondSignalText(one, false);
    expect(code).toBe('exit 1');
    expect(stdout).toBe('');
    expect(stderr).toContain('SIGINT again: exiting now (exit 1) before any traffic moved.');
    expect(stderr).toContain(
      'Nothing was rolled back: no alias write was sent, so alias f6:live is as it was',
    );
    expect(stderr).not.toContain('may still be split');
  });

  it('nothing moved (exit 1): an error, on stderr alone as every exit-1 error', () => {
    const { code, stdout, stderr } = secondSignalText(watchAlias('demo', 'live'), false);
    expect(code).toBe('exit 1');
    expect(stdout).toBe('');
    expect(stderr).toContain('before any traffic moved');
  });
});

/** `lshift rollback --release`: a second signal names every alias of the release and the command to run again. */
describe('watchRollback', () => {
  // A second Ctrl-C during the claim wait, nothing written: it said exit 4 "it may still be
  // split" (found by a hostile pass). Untouched: exit 1, as an interrupt that changed nothing.
  it('before any rollback.started: nothing written, said so; untouched (exit 1)', () => {
    const watch = watchRollback({
      targets: [
        { functionName: 'orders', alias: 'live' },
        { functionName: 'billing', alias: 'prod' },
      ],
      command: 'lshift rollback --release r-k3j9x2 orders billing',
    });
    expect(watch.touched()).toBe(false);
    expect(watch.describe()).toEqual([
      'Nothing was rolled back: no alias write was sent, so aliases orders:live, billing:prod are as they were (see `lshift status orders --alias live; lshift status billing --alias prod`); running the same command again takes over any claim this run left on its deployment record.',
      'Fix: lshift rollback --release r-k3j9x2 orders billing',
    ]);
  });

  it('touched once a rollback.started is seen (its write may be in flight)', () => {
    const watch = watchRollback({
      targets: [{ functionName: 'f6', alias: 'live' }],
      command: 'lshift rollback f6',
    });
    watch.sink.emit({ type: 'rollback.started', at: 0, fromPercent: 25, toVersion: '3' } as never);
    expect(watch.touched()).toBe(true);
  });

  // A person's rollback of an alias all on version 6 (one all-at-once write), its write held, Ctrl-C
  // twice: "it may still be split" — it cannot be (found by a hostile pass).
  describe('one alias, its write in flight', () => {
    const started = (fromPercent: number, extra: Partial<EngineEvent> = {}) =>
      ({
        type: 'rollback.started',
        at: 1,
        functionName: 'f6',
        alias: 'live',
        reason: 'manual rollback',
        fromPercent,
        toVersion: '3',
        ...extra,
      }) as EngineEvent;
    const watchOf = (...events: EngineEvent[]) => {
      const watch = watchRollback({
        targets: [{ functionName: 'f6', alias: 'live' }],
        command: 'lshift rollback f6 --alias live',
      });
      for (const e of events) watch.sink.emit(e);
      return watch;
    };

    it('all on one version: as it was or all on the destination, not split; the fix', () => {
      const watch = watchOf(started(100, { fromVersion: '6' } as never));
      expect(watch.describe()).toEqual([
        'The rollback of alias f6:live stopped with its write in flight (all traffic to version 3 at once): the alias is either still all on version 6, or all on version 3 if that write landed — not split (see `lshift status f6 --alias live`).',
        'Fix: lshift rollback f6 --alias live',
      ]);
      expect(watch.describe().join(' ')).not.toContain('may still be split');
    });

    it('already all on the destination (its routing written again): all on it either way', () => {
      expect(watchOf(started(0, { alreadyThere: {} } as never)).describe()[0]).toBe(
        'The rollback of alias f6:live stopped with its write in flight: the alias was already all on version 3, and that write only wrote it again, so all traffic is on version 3 either way; its deployment record may still say otherwise (see `lshift status f6 --alias live`).',
      );
    });

    it('split: it may still be split, as before', () => {
      expect(watchOf(started(25)).describe()[0]).toContain('it may still be split');
    });

    it('its write answered (the record close left): rolled back', () => {
      const watch = watchOf(started(100), {
        type: 'rollback.completed',
        at: 2,
        toVersion: '3',
      } as EngineEvent);
      expect(watch.describe()[0]).toBe(
        'Alias f6:live is rolled back, all traffic on version 3; lshift stopped while closing its deployment record, which may still show the deployment (see `lshift status f6 --alias live`).',
      );
    });

    it('a release: an alias all on one version is said not split', () => {
      const watch = watchRollback({
        targets: [
          { functionName: 'f5', alias: 'live' },
          { functionName: 'f6', alias: 'live' },
        ],
        command: 'lshift rollback --release r-k3j9x2 f5 f6',
      });
      watch.sink.emit(started(100, { fromVersion: '6' } as never));
      expect(watch.describe()[1]).toBe(
        'f6:live: its alias write to version 3 may be in flight; it is still all on version 6, or all on version 3 — not split (see `lshift status f6 --alias live`).',
      );
    });
  });

  // A second Ctrl-C listed every alias as "may still be split", one already restored included.
  it('a release: each alias as its rollback left it, from the events that name it', () => {
    const watch = watchRollback({
      targets: [
        { functionName: 'orders', alias: 'live' },
        { functionName: 'billing', alias: 'live' },
        { functionName: 'mailer', alias: 'live' },
      ],
      command: 'lshift rollback --release r-k3j9x2 orders billing mailer',
    });
    const target = (functionName: string) => ({ functionName, alias: 'live' });
    const started = (fn: string) =>
      ({
        type: 'rollback.started',
        at: 1,
        functionName: fn,
        alias: 'live',
        reason: 'x',
        fromPercent: 20,
        toVersion: '1',
        target: target(fn),
      }) as EngineEvent;
    watch.sink.emit(started('orders'));
    watch.sink.emit({
      type: 'rollback.completed',
      at: 2,
      toVersion: '1',
      target: target('orders'),
    } as EngineEvent);
    watch.sink.emit(started('billing'));
    expect(watch.describe()).toEqual([
      'orders:live: rolled back, all traffic on version 1.',
      'billing:live: its alias write to version 1 may be in flight; it may still be split (see `lshift status billing --alias live`).',
      'mailer:live: not rolled back yet; as it was (see `lshift status mailer --alias live`).',
      'Fix: lshift rollback --release r-k3j9x2 orders billing mailer',
    ]);
  });
});

// `deploy --on-interrupt leave` announced "stopping the deployment safely" and then left it split.
describe('deployStoppingNotice', () => {
  it.each([
    ['rollback', false, undefined],
    ['rollback', true, undefined],
    ['leave', false, 'stopping without rolling back: the alias is left where it is (--on-interrupt leave)'],
    [
      'leave',
      true,
      'no longer following the deployment; AWS CodeDeploy keeps running it (--on-interrupt leave)',
    ],
  ] as const)('%s, CodeDeploy %s → %s', (onInterrupt, codeDeploy, notice) => {
    expect(deployStoppingNotice(onInterrupt, codeDeploy)).toBe(notice);
  });
});

// A release's Ctrl-C said "stopping the deployment safely": it stops every function of the release.
describe('releaseStoppingNotice', () => {
  it.each([
    ['rollback', 'stopping the release safely: every function goes back to its stable version'],
    ['leave', 'stopping without rolling back: every alias is left where it is (--on-interrupt leave)'],
  ] as const)('%s → %s', (onInterrupt, notice) => {
    expect(releaseStoppingNotice(onInterrupt)).toBe(notice);
  });
});

// The engine returns every outcome it knows; an error it throws is a bug. Once traffic may have
// moved, exit 1 ("alias unchanged") would be a lie: exit 4, with the alias and the fix.
describe('crashAfterTraffic (an error the engine threw instead of a result)', () => {
  const boom = new Error('boom');

  it('before any traffic moved: the error as it is', () => {
    expect(crashAfterTraffic(boom, watchAlias('demo', 'live'))).toBe(boom);
  });

  // Found by a hostile pass: the shift's start comes before its record's first write, and a
  // Ctrl-C that abandoned that write read as "after traffic moved", exit 4.
  it('a shift started, no weight written yet: the error as it is (a resume: traffic may have moved before)', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    expect(watch.touched()).toBe(false);
    expect(crashAfterTraffic(boom, watch)).toBe(boom);
    const resumed = watchAlias('demo', 'live', { resumed: true });
    expect(resumed.touched()).toBe(false);
    resumed.sink.emit(demoShiftStarted());
    expect(resumed.touched()).toBe(true);
  });

  it('after traffic moved: INTERNAL, exit 4, the alias as lshift last set it and the fix', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 60 });
    const error = crashAfterTraffic(boom, watch) as LshiftError;

    expect(error).toBeInstanceOf(UnsafeError);
    expect(error).toMatchObject({ code: 'INTERNAL', exitCode: 4, cause: boom });
    expect(error.message).toBe(
      'lshift stopped on an error after traffic moved: boom. Alias demo:live as lshift last set it, or was setting it (shifting): version 1 (90%) + version 2 (10%); that write may not have landed.',
    );
    expect(error.hint).toMatch(/^Fix: lshift rollback demo --alias live or: aws lambda update-alias /);
    expect(error.hint).toMatch(/Re-run with --debug for the stack trace, and report it\.$/);
  });

  it('a CodeDeploy deployment that may still run: every way out in the hint, the state in the message', () => {
    const watch = watchAlias('demo', 'live');
    watch.codeDeploy?.('d-ABC');
    const error = crashAfterTraffic(boom, watch) as LshiftError;
    expect(error.message).toContain('AWS CodeDeploy deployment d-ABC may still be running');
    expect(error.message).not.toContain('lshift wait');
    expect(error.hint).toContain('Fix: aws deploy stop-deployment');
    expect(error.hint).toContain('or: lshift rollback demo --alias live');
    expect(error.hint).toContain('or follow it: lshift wait d-ABC');
  });

  it('an error that already says the alias is unsafe (exit 4) is kept', () => {
    const watch = watchAlias('demo', 'live');
    watch.sink.emit(demoShiftStarted());
    const unsafe = new UnsafeError('PROMOTED_BUT_SPLIT', 'split');
    expect(crashAfterTraffic(unsafe, watch)).toBe(unsafe);
  });
});

describe('abortUntilWrite (lshift rollback’s AWS calls)', () => {
  it('aborts the calls in flight on the signal before the alias write, never after it started', () => {
    const before = new AbortController();
    const calls = abortUntilWrite(before.signal);
    before.abort(new Error('interrupted by SIGTERM'));
    expect(calls.signal.aborted).toBe(true);

    const after = new AbortController();
    const writing = abortUntilWrite(after.signal);
    writing.writing();
    after.abort(new Error('interrupted by SIGTERM'));
    expect(writing.signal.aborted).toBe(false);
  });

  it('a signal that fired before it was made aborts at once', () => {
    const fired = new AbortController();
    fired.abort(new Error('interrupted by SIGINT'));
    expect(abortUntilWrite(fired.signal).signal.aborted).toBe(true);
  });
});
