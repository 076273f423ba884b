/**
 * Generated minutes, kept so repeated reads (alarm catch-up, polling) do not regenerate them.
 * Only complete minutes are cached: their history can no longer change. Bounded by samples.
 */
import type { TrafficCell } from './types.js';

const MAX_SAMPLES = 4_000_000;

export class TrafficCache {
  private readonly minutes = new Map<string, { cells: TrafficCell[]; samples: number }>();
  private samples = 0;

  /** `visible`: the share of the minute CloudWatch shows (1 = complete), part of the key. */
  get(functionName: string, minuteMs: number, visible: number, generate: () => TrafficCell[]): TrafficCell[] {
    const key = `${functionName}\u0000${minuteMs}\u0000${visible}`;
    const hit = this.minutes.get(key);
    if (hit) return hit.cells;
    const cells = generate();
    const samples = cells.reduce((n, c) => n + c.durations.length + 1, 0);
    this.minutes.set(key, { cells, samples });
    this.samples += samples;
    this.evict();
    return cells;
  }

  clear(): void {
    this.minutes.clear();
    this.samples = 0;
  }

  private evict(): void {
    for (const [key, entry] of this.minutes) {
      if (this.samples <= MAX_SAMPLES) return;
      this.minutes.delete(key);
      this.samples -= entry.samples;
    }
  }
}
