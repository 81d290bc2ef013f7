import type { Feature } from "../../bot/feature.js";
import {
  FORGET_CONFIRM,
  exportCommand,
  forgetCancel,
  forgetCommand,
  forgetConfirm,
} from "../../commands/data-rights.js";
import { consentNo, consentYes, joinCommand, joinFormAction } from "../../commands/join.js";
import { profileCommand, setCommand } from "../../commands/profile.js";
import type { MemberDataSection } from "../../members/member-store.js";

export interface DataRightsDeps {
  /** The member records (the export's "profile"), and any other store that keeps data on every member. */
  readonly sections: readonly MemberDataSection[];
}

/**
 * Joining with consent, seeing and changing your settings, taking a copy of
 * everything kept about you, and leaving with all of it deleted.
 */
export function createDataRightsFeature(deps: DataRightsDeps): Feature {
  return {
    name: "data-rights",
    commands: [joinCommand, profileCommand, setCommand, exportCommand, forgetCommand],
    buttons: [
      { ...consentYes, access: "anyone", typedAnswer: "yes" },
      { ...consentNo, access: "anyone", typedAnswer: "no" },
      {
        ...forgetConfirm,
        access: "anyone",
        typedAnswer: "yes",
        // Deleting everything is confirmed only straight after asking: after anything else, or 30 minutes, ask again.
        isCurrent: async (context) =>
          (await context.deps.asked.peek(context.memberId))?.yes?.actionId === FORGET_CONFIRM,
      },
      { ...forgetCancel, access: "anyone", typedAnswer: "no" },
    ],
    forms: [{ ...joinFormAction, access: "anyone" }],
    dataSections: deps.sections,
  };
}
