import type { ConversationRef, MemberId, MessageRef } from "../../platform/chat-platform.js";

export type CircleMode = "stable" | "rotating";

/** A member's wish to be in a circle. */
export interface CircleWish {
  readonly size?: 3 | 4 | 5;
  readonly mode: CircleMode;
  readonly since: string;
}

/** One circle: its members and, per platform, the conversation that is its space there. */
export interface Circle {
  readonly id: string;
  readonly members: readonly MemberId[];
  readonly mode: CircleMode;
  readonly createdAt: string;
  /** One space per platform its members are on: a group, or a member's DM when they are alone there. */
  readonly spaces: readonly ConversationRef[];
}

/** When rounds run on their own: every N weeks, on a weekday, at a time in a zone. */
export interface RoundSchedule {
  readonly everyWeeks: number;
  readonly day: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
  readonly time: string;
  readonly timeZone: string;
}

/**
 * Everything the circles feature keeps. Every member id in it can be found and
 * removed by `forget`: wishes, circles, history, conflicts, "not with" lists,
 * last contact. Relayed words are never kept (the outbox holds them, sealed,
 * until sent); the relay map holds only message and outbox ids.
 */
export interface CircleStore {
  wish(member: MemberId): Promise<CircleWish | null>;
  setWish(member: MemberId, wish: CircleWish | null): Promise<void>;
  wishes(): Promise<Map<MemberId, CircleWish>>;

  circle(id: string): Promise<Circle | null>;
  circleOf(member: MemberId): Promise<Circle | null>;
  circleAt(conversation: ConversationRef): Promise<Circle | null>;
  circles(): Promise<Circle[]>;
  /** Creates or replaces a circle, and its member and space indexes. */
  saveCircle(circle: Circle, previous?: Circle | null): Promise<void>;
  endCircle(circle: Circle): Promise<void>;

  /** Past rounds, newest first: each round's circles as member lists. */
  history(rounds: number): Promise<string[][][]>;
  addRound(circles: readonly (readonly MemberId[])[]): Promise<void>;

  lastContact(members: readonly MemberId[]): Promise<number[]>;
  touch(members: readonly MemberId[], at: number): Promise<void>;

  /** Pairs coordinators recorded: never in one circle. */
  conflicts(): Promise<Array<[MemberId, MemberId]>>;
  setConflict(a: MemberId, b: MemberId, on: boolean): Promise<boolean>;
  /** A member's private "not with" list. */
  notWith(member: MemberId): Promise<MemberId[]>;
  setNotWith(member: MemberId, other: MemberId, on: boolean): Promise<boolean>;
  /** Every "not with" entry, as pairs (owner, other). */
  allNotWith(): Promise<Array<[MemberId, MemberId]>>;

  /** Where a member's message was relayed to: outbox ids, for edits and deletions to follow. */
  relayed(source: MessageRef): Promise<string[]>;
  setRelayed(source: MessageRef, outboxIds: readonly string[]): Promise<void>;

  roundSchedule(): Promise<RoundSchedule | null>;
  setRoundSchedule(schedule: RoundSchedule | null): Promise<void>;

  /** Removes the member from everything above. */
  forget(member: MemberId): Promise<void>;
}
