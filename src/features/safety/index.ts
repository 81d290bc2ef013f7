import type { Feature } from "../../bot/feature.js";
import { type SafetyScreen, whereaboutsOf } from "../../bot/screening.js";
import { assessRisk } from "./risk-detector.js";
import { crisisReply, debriefReply, supportListReply } from "./safety-messages.js";

export {
  describeKind,
  findIdentifyingDetails,
  maskDetails,
  replaceWithInitials,
  type DetailKind,
  type IdentifyingDetail,
} from "./identifying-details.js";

/**
 * The safety net: the screen every inbound text passes (own risk, vicarious
 * distress, or neither), the replies it leads to, and `/peer support`, which
 * lists the support lines for anyone, joined or not, at any time.
 */
export function createSafetyFeature(): Feature {
  const screen: SafetyScreen = {
    assess: assessRisk,
    crisisReply,
    debriefReply: (where) => debriefReply(where),
  };
  return {
    screen,
    commands: [
      {
        name: "support",
        usage: "/peer support",
        summary: "support lines for where you are, any time",
        openToAll: true,
        async run(context) {
          await context.responder.reply(supportListReply(whereaboutsOf(context.member, context.event)));
        },
      },
    ],
  };
}
