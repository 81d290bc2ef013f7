import { randomUUID } from "node:crypto";
import type { ChatPort } from "../../commands/context.js";
import type { Outbox } from "../../delivery/outbox.js";
import type { Logger } from "../../logging/logger.js";
import type { MemberStore } from "../../members/member-store.js";
import type { Member } from "../../members/member.js";
import {
  type ConversationRef,
  type MemberId,
  type MessageRef,
  dmWith,
  platformOf,
} from "../../platform/chat-platform.js";
import type { QuestionBankSource } from "../../reflection/custom-questions.js";
import type { ScheduleStore } from "../../schedule/schedule-store.js";
import type { Clock } from "../../time/clock.js";
import { openSpaces } from "../spaces.js";
import type { Circle, CircleMode, CircleStore } from "./circle-store.js";
import {
  CIRCLE_ENDED,
  ROUND_OVER,
  circleTitle,
  introText,
  leftText,
  movedText,
  nudgeText,
  relayedText,
  unplacedText,
} from "./circle-words.js";
import { type Candidate, type MatchResult, matchCircles, weekMask } from "./matching/index.js";
import { describeShared, nextWeekStart, sharedMask } from "./shared-hours.js";

export interface CirclesDeps {
  readonly store: CircleStore;
  readonly members: MemberStore;
  readonly chat: ChatPort;
  readonly outbox: Outbox;
  readonly schedule: ScheduleStore;
  readonly questions: QuestionBankSource;
  readonly clock: Clock;
  readonly logger: Logger;
}

export const NUDGE_KIND = "circle-nudge";
export const NUDGE_AFTER_MS = 14 * 24 * 60 * 60_000;
const REPEAT_WINDOW = 6;

export interface RoundOptions {
  readonly dryRun?: boolean;
  readonly sameRegion?: boolean;
}

export interface RoundSummary {
  readonly formed: number;
  readonly placed: number;
  readonly unplaced: number;
  readonly kept: number;
  readonly soleWorkers: number;
  readonly soleWorkersPlaced: number;
  readonly meanOverlapHours: number;
  readonly minOverlapHours: number;
  readonly relaxed: readonly string[];
}

/** The circles' behaviour over their stores and the chat: rounds, spaces, the relay, leaving. */
export function createCircles(deps: CirclesDeps) {
  const { store } = deps;

  async function connectionQuestion(): Promise<string | undefined> {
    const bank = await deps.questions.bank();
    const pool = bank.questions.filter((q) => q.theme === "connection");
    return pool[Math.floor(Math.random() * pool.length)]?.text;
  }

  /** One space per platform: a group when two or more are on it, else the one member's DM. */
  const spacesFor = (members: readonly Member[]) => openSpaces(deps.chat, members, circleTitle(members));

  async function introduce(circle: Circle, members: readonly Member[], weekStart: Date): Promise<void> {
    const shared = sharedMask(members.map((m) => weekMask(m, weekStart)));
    const lines = members.map((member) => ({
      member,
      shared: describeShared(shared, weekStart, member.timeZone),
    }));
    const question = await connectionQuestion();
    for (const space of circle.spaces) {
      await deps.outbox.post(space, { text: introText(lines, question, space.kind === "dm") });
    }
  }

  async function armNudge(circle: Circle): Promise<void> {
    const home = circle.spaces[0];
    if (!home) return;
    await deps.schedule.set(nudgeSubject(circle), NUDGE_KIND, deps.clock.now().getTime() + NUDGE_AFTER_MS);
  }

  async function endCircle(circle: Circle, words: string): Promise<void> {
    for (const space of circle.spaces) await deps.outbox.post(space, { text: words });
    await deps.schedule.set(nudgeSubject(circle), NUDGE_KIND, null);
    await store.endCircle(circle);
  }

  async function runRound(options: RoundOptions = {}): Promise<RoundSummary> {
    const now = deps.clock.now();
    const wishes = await store.wishes();
    const ids = [...wishes.keys()];
    const records = await deps.members.getMany(ids);
    const active = new Map<MemberId, Member>();
    for (const member of records) {
      if (member && member.status.state === "active") active.set(member.id, member);
    }

    // Stable circles whose members are all still in (and not paused) carry on; the rest end.
    const kept: Circle[] = [];
    const ending: Circle[] = [];
    for (const circle of await store.circles()) {
      const stillIn = circle.members.every((id) => active.has(id) && wishes.get(id)?.mode === "stable");
      if (circle.mode === "stable" && stillIn) kept.push(circle);
      else ending.push(circle);
    }
    const inKept = new Set(kept.flatMap((c) => c.members));
    const weekStart = nextWeekStart(now);
    const pool = [...active.values()].filter((m) => !inKept.has(m.id));
    const contact = await store.lastContact(pool.map((m) => m.id));
    const candidates: Candidate[] = pool.map((member, i) => {
      const size = wishes.get(member.id)?.size;
      return {
        id: member.id,
        soleWorker: member.soleWorker,
        lastPeerContact: contact[i] ?? 0,
        region: member.region,
        week: weekMask(member, weekStart),
        ...(size ? { size } : {}),
      };
    });
    const conflicts = [...(await store.conflicts()), ...(await store.allNotWith())];
    const result: MatchResult = matchCircles(candidates, {
      seed: now.getTime() % 2_147_483_647,
      conflicts,
      history: await store.history(REPEAT_WINDOW),
      repeatWindow: REPEAT_WINDOW,
      ...(options.sameRegion ? { sameRegion: true } : {}),
    });
    const summary: RoundSummary = {
      formed: result.circles.length,
      placed: result.circles.reduce((n, c) => n + c.members.length, 0),
      unplaced: result.unplaced.length,
      kept: kept.length,
      soleWorkers: result.quality.soleWorkers,
      soleWorkersPlaced: result.quality.soleWorkersPlaced,
      meanOverlapHours: result.quality.meanOverlapHours,
      minOverlapHours: result.quality.minOverlapHours,
      relaxed: result.relaxed,
    };
    if (options.dryRun) return summary;

    for (const circle of ending) await endCircle(circle, ROUND_OVER);
    for (const matched of result.circles) {
      const members = matched.members.map((id) => active.get(id) as Member);
      const mode: CircleMode = members.every((m) => wishes.get(m.id)?.mode === "stable")
        ? "stable"
        : "rotating";
      const circle: Circle = {
        id: randomUUID().slice(0, 12),
        members: members.map((m) => m.id),
        mode,
        createdAt: now.toISOString(),
        spaces: await spacesFor(members),
      };
      await store.saveCircle(circle);
      await introduce(circle, members, weekStart);
      await armNudge(circle);
    }
    await store.addRound(result.circles.map((c) => c.members));
    await store.touch(
      result.circles.flatMap((c) => c.members),
      now.getTime(),
    );
    for (const { id, reason } of result.unplaced) {
      await deps.outbox.post(dmWith(id), { text: unplacedText(reason) });
    }
    deps.logger.info(
      { formed: summary.formed, kept: summary.kept, relaxed: summary.relaxed },
      "circles round finished",
    );
    return summary;
  }

  /** Passes a member's words to the circle's other spaces (through the outbox, so paced and once). */
  async function relay(
    circle: Circle,
    author: Member,
    text: string,
    from: ConversationRef | null,
    source?: MessageRef,
  ): Promise<void> {
    const ids: string[] = [];
    for (const space of circle.spaces) {
      if (from && space.kind === from.kind && space.id === from.id) continue;
      if (space.kind === "dm" && space.id === author.id) continue;
      ids.push(await deps.outbox.post(space, { text: relayedText(author, text) }));
    }
    if (source) await store.setRelayed(source, ids);
    await store.touch(circle.members, deps.clock.now().getTime());
    await armNudge(circle);
  }

  /** An edit (text) or deletion (null) follows the message wherever it was relayed. */
  async function follow(author: Member | null, source: MessageRef, text: string | null): Promise<void> {
    for (const id of await store.relayed(source)) {
      const copy = await deps.outbox.sent(id);
      // Not sent yet (or on its way): the outbox withdraws or rewords it, so a regretted message never lands.
      if (text === null) await (copy ? deps.chat.delete(copy) : deps.outbox.cancel(id));
      else if (author) {
        const replacement = { text: relayedText(author, text) };
        await (copy ? deps.chat.edit(copy, replacement) : deps.outbox.replace(id, replacement));
      }
    }
  }

  /**
   * Takes a member out of their circle at once: nothing more is relayed to
   * them. Where they shared a group with others on their platform, the circle
   * moves to a new group of those still in it (a platform's group cannot
   * always drop one person); a circle left with one person ends.
   */
  async function leave(member: MemberId, goodbye: Member | null): Promise<boolean> {
    const circle = await store.circleOf(member);
    if (!circle) return false;
    const members = circle.members.filter((id) => id !== member);
    if (members.length < 2) {
      // The one left is told; the one leaving hears nothing more from it.
      const spaces = circle.spaces.filter((space) => !(space.kind === "dm" && space.id === member));
      await endCircle({ ...circle, spaces }, CIRCLE_ENDED);
      return true;
    }
    const platform = platformOf(member);
    const samePlatform = (await deps.members.getMany(members)).filter(
      (m): m is Member => m !== null && platformOf(m.id) === platform,
    );
    const spaces: ConversationRef[] = [];
    for (const space of circle.spaces) {
      if (platformOf(space.id) !== platform) {
        spaces.push(space);
        continue;
      }
      if (samePlatform.length === 0) continue;
      const fresh =
        samePlatform.length >= 2
          ? await deps.chat.openGroup(
              samePlatform.map((m) => m.id),
              circleTitle(samePlatform),
            )
          : dmWith((samePlatform[0] as Member).id);
      spaces.push(fresh);
      await deps.outbox.post(fresh, { text: movedText() });
    }
    const next: Circle = { ...circle, members, spaces };
    await store.saveCircle(next, circle);
    if (goodbye) {
      for (const space of spaces) await deps.outbox.post(space, { text: leftText(goodbye) });
    }
    return true;
  }

  return { runRound, relay, follow, leave, nudgeText, connectionQuestion };
}

export type Circles = ReturnType<typeof createCircles>;

/** The nudge's subject: the circle, named with its first space's platform (which queue sends it). */
export function nudgeSubject(circle: Circle): string {
  const home = circle.spaces[0];
  return `${home ? platformOf(home.id) : "local"}:circle:${circle.id}`;
}
