import type { Clock, TimeTravel } from "../time/clock.js";
import type { ScheduleStore } from "./schedule-store.js";

/** The real time, plus however far it has been moved forward. Never goes back. */
export class ShiftedClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock forward to an instant (never back). */
  moveTo(at: number): void {
    this.offsetMs = Math.max(this.offsetMs, at - Date.now());
  }
}

export interface TimeTravelDeps {
  readonly clock: ShiftedClock;
  readonly schedule: () => ScheduleStore;
  /** Tells the scheduler to look at the schedule now. */
  readonly poke: () => void;
  /** The longest to wait for what fell due at one step to be delivered (default 15 s). */
  readonly stepTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Time travel for the local demo: moves the clock to each due time on the way
 * in turn, lets the scheduler deliver what fell due there (as it would have on
 * the day), and ends at the target. Nothing is skipped as late, because each
 * item is delivered at its own due time.
 */
export function createTimeTravel(deps: TimeTravelDeps): TimeTravel {
  const { clock } = deps;
  const stepTimeout = deps.stepTimeoutMs ?? 15_000;

  /** Waits until nothing is due by now and nothing is in flight. */
  async function settled(): Promise<void> {
    const until = Date.now() + stepTimeout;
    while (Date.now() < until) {
      const { earliestDue, inFlight } = await deps.schedule().state();
      if (inFlight === 0 && (earliestDue === null || earliestDue > clock.now().getTime())) return;
      await sleep(25);
    }
  }

  return {
    now: () => clock.now(),
    async advance(ms: number): Promise<void> {
      const target = clock.now().getTime() + ms;
      for (;;) {
        await settled();
        const next = (await deps.schedule().state()).earliestDue;
        if (next === null || next > target) break;
        clock.moveTo(next);
        deps.poke();
        // Let the dispatcher see it before checking again.
        await sleep(25);
      }
      clock.moveTo(target);
      deps.poke();
    },
  };
}
