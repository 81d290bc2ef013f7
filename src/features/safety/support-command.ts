import { whereaboutsOf } from "../../bot/screening.js";
import { defineCommand } from "../../commands/schema.js";
import { supportListReply } from "./safety-messages.js";

/** `/peer support`: the support lines for where the asker is, for anyone, joined or not, at any time. */
export const supportCommand = defineCommand({
  name: "support",
  summary: "support lines for where you are, any time",
  description: "Support lines for where you are, any time",
  access: "anyone",
  example: "/peer support",
  async run(context) {
    await context.responder.reply(supportListReply(whereaboutsOf(context.member, context.event)));
  },
});
