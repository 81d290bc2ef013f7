import type { App } from "../../bin/app.js";
import type { ConversationRef, MessageRef, OutboundMessage } from "../../src/platform/chat-platform.js";
import type { FixedClock } from "../fakes/fixed-clock.js";

/**
 * Time travel by hand, for an app built without its scheduler: moves the
 * clock to each due time up to `iso` in turn and delivers what fell due
 * there through the app's own delivery service (so each item is decided,
 * claimed and sent as in production, exactly once), then sets the clock to
 * `iso`.
 */
export async function deliverDueUntil(
  app: App,
  clock: FixedClock,
  iso: string,
  send: (to: ConversationRef, message: OutboundMessage) => Promise<MessageRef>,
): Promise<void> {
  const target = Date.parse(iso);
  for (;;) {
    const { earliestDue } = await app.stores.schedule.state();
    if (earliestDue === null || earliestDue > target) break;
    if (earliestDue > clock.now().getTime()) clock.set(new Date(earliestDue).toISOString());
    const items = await app.stores.schedule.claimDue(clock.now().getTime(), 60_000, 100);
    await app.delivery.deliver(items, { send });
  }
  clock.set(iso);
}
