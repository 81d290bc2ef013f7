/** The time source the core reads, so tests can set the clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Moves the bot's clock forward, for the local chat's `/clock +3d`, so a
 * newcomer can watch a week of prompts in a minute. `advance` steps through
 * everything that falls due on the way, in order, and resolves once it has
 * been delivered.
 */
export interface TimeTravel {
  now(): Date;
  advance(ms: number): Promise<void>;
}
