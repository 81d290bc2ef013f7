import { randomUUID } from "node:crypto";
import type { Feature } from "../bot/feature.js";
import type { ConversationRef, MessageRef, OutboundMessage } from "../platform/chat-platform.js";
import { platformOf } from "../platform/chat-platform.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import type { Clock } from "../time/clock.js";
import type { ScheduledKind } from "./scheduled-kind.js";

/** One message waiting in the outbox, sealed at rest. */
export interface OutboxEntry {
  readonly to: ConversationRef;
  readonly message: OutboundMessage;
}

/** Where outbox messages wait, encrypted, until the queue sends them; and where their references go after. */
export interface OutboxStore {
  put(id: string, entry: OutboxEntry): Promise<void>;
  get(id: string): Promise<OutboxEntry | null>;
  remove(id: string): Promise<void>;
  /** Keeps the reference of the sent message for a while, for the feature that posted it to edit. */
  keepSent(id: string, ref: MessageRef): Promise<void>;
  sent(id: string): Promise<MessageRef | null>;
  /** Marks a post withdrawn (for a day) and drops its words. */
  cancel(id: string): Promise<void>;
  cancelled(id: string): Promise<boolean>;
}

/** What the outbox needs of the chat to put right a post changed while it was on its way. */
export interface OutboxChat {
  edit(message: MessageRef, replacement: OutboundMessage): Promise<void>;
  delete(message: MessageRef): Promise<void>;
}

export const OUTBOX_KIND = "outbox";

/**
 * Posts into a conversation (a group, a channel, a member's DM) through the
 * paced, exactly-once outbound queue, not straight to the platform: for what
 * a feature sends on its own (a circle's welcome, a session's agenda). The
 * words wait encrypted in Redis, with a short expiry; the queue carries only
 * the entry's id. Replies to what a member has just done go through their
 * responder instead, at once.
 */
export class Outbox {
  constructor(
    private readonly store: OutboxStore,
    private readonly schedule: ScheduleStore,
    private readonly clock: Clock,
    /** Wakes the scheduler so the post goes now rather than at its next look. */
    private readonly poke: () => void = () => {},
  ) {}

  /** Queues a post (at `at`, default now); returns its id, for `sent` later. */
  async post(to: ConversationRef, message: OutboundMessage, at?: number): Promise<string> {
    const id = randomUUID();
    await this.store.put(id, { to, message });
    await this.schedule.set(subjectOf(to, id), OUTBOX_KIND, at ?? this.clock.now().getTime());
    this.poke();
    return id;
  }

  /** The posted message, once the queue has sent it. */
  sent(id: string): Promise<MessageRef | null> {
    return this.store.sent(id);
  }

  /**
   * Changes a post not yet sent (the new words are sent instead). A post
   * that is already on its way is corrected right after it lands.
   */
  async replace(id: string, message: OutboundMessage): Promise<void> {
    const entry = await this.store.get(id);
    if (entry) await this.store.put(id, { ...entry, message });
  }

  /** Withdraws a post not yet sent; one already on its way is deleted right after it lands. */
  cancel(id: string): Promise<void> {
    return this.store.cancel(id);
  }
}

/** `<platform>:outbox:<id>`: the platform first, so the item goes on that platform's queue. */
function subjectOf(to: ConversationRef, id: string): string {
  return `${platformOf(to.id)}:outbox:${id}`;
}

const idOf = (subject: string) => subject.slice(subject.lastIndexOf(":") + 1);

/** The outbox's scheduled kind, as a feature of the core. */
export function createOutboxFeature(store: OutboxStore, chat: OutboxChat): Feature {
  return { name: "outbox", scheduled: [outboxKind(store, chat)] };
}

/** The scheduled kind that sends outbox entries: each once, then forgotten. */
export function outboxKind(store: OutboxStore, chat: OutboxChat): ScheduledKind {
  return {
    kind: OUTBOX_KIND,
    label: "a message to a group",
    async prepare(items) {
      return Promise.all(
        items.map(async (item) => {
          const id = idOf(item.subject);
          const entry = await store.get(id);
          if (!entry) return { reason: "outbox entry expired", next: null };
          return {
            to: entry.to,
            message: entry.message,
            async after(sent: MessageRef) {
              // Withdrawn or changed while it was on its way: put it right at once.
              if (await store.cancelled(id)) return chat.delete(sent);
              const latest = await store.get(id);
              if (latest && latest.message.text !== entry.message.text) await chat.edit(sent, latest.message);
              await store.keepSent(id, sent);
              await store.remove(id);
            },
            afterEarlier: () => store.remove(id),
            next: () => null,
          };
        }),
      );
    },
  };
}
