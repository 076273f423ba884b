/**
 * One in-process run at a time, or a named failure (run-cli-in-process.ts). The runs share the
 * worker's environment, argv, streams and exit code, so they cannot overlap; they used to queue,
 * and a second run that the first waits for (a deploy held until a person's rollback meets it,
 * twin rollbacks at once) then waited for the first, which waited for it, until the test's 180 s
 * budget ended with no word why (rollback-meets-412, rolled-back-by-operator and twin-rollback,
 * session 68). Started while another runs, a run now throws at its call, before any of it runs.
 */
export class InProcessRunGuard {
  private running: readonly string[] | undefined;

  /** Marks `args` running; throws if another run has not ended. `end` frees it. */
  begin(args: readonly string[]): () => void {
    if (this.running) throw new Error(overlapMessage(this.running, args));
    const mine = [...args];
    this.running = mine;
    return () => {
      if (this.running === mine) this.running = undefined;
    };
  }
}

export function overlapMessage(running: readonly string[], started: readonly string[]): string {
  return [
    `run-cli-in-process: \`lshift ${started.join(' ')}\` was started while \`lshift ${running.join(' ')}\``,
    'still runs in this process. In-process runs share the process and go one at a time: a run the',
    'other waits for (a rollback that meets a deploy, two rollbacks at once) would wait for it in',
    "turn until the test's budget ends. Start the long run as a process: runCli (run-cli.ts), or",
    "startSandboxEnv's cli with `onSpawn`; or await the first run before starting the next.",
  ].join('\n');
}
