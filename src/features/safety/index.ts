import type { Feature } from "../../bot/feature.js";
import type { SafetyScreen } from "../../bot/screening.js";
import { assessRisk } from "./risk-detector.js";
import { crisisReply, debriefReply } from "./safety-messages.js";
import { supportCommand } from "./support-command.js";

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
    name: "safety",
    screen,
    commands: [supportCommand],
  };
}
