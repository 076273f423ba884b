/**
 * Whether a recorder's heartbeats are on (deployment-recorder.ts). A release's failed verdict turns
 * them off (release-settle.ts) and its stored rollback mark turns them back on; while they are off,
 * a poll waiting for a heartbeat stops waiting (`unlessStopped`), so the restores start at once.
 */
export class HeartbeatSwitch {
  private off = false;
  private stopped: Promise<void>;
  private signalStopped: () => void = () => undefined;

  constructor() {
    this.stopped = this.nextStop();
  }

  /** True while heartbeats are off. */
  get isOff(): boolean {
    return this.off;
  }

  stop(): void {
    this.off = true;
    this.signalStopped();
  }

  resume(): void {
    if (!this.off) return;
    this.off = false;
    this.stopped = this.nextStop();
  }

  /** `work`, or nothing once heartbeats are off (it carries on unawaited). */
  unlessStopped(work: Promise<void>): Promise<void> {
    if (this.off) return Promise.resolve();
    work.catch(() => undefined);
    return Promise.race([work, this.stopped]);
  }

  private nextStop(): Promise<void> {
    return new Promise((resolve) => {
      this.signalStopped = resolve;
    });
  }
}
