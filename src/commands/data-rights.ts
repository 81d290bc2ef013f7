import type { ButtonAction } from "./context.js";
import { defineCommand } from "./schema.js";

export const FORGET_CONFIRM = "forget:confirm";
export const FORGET_CANCEL = "forget:cancel";

export const exportCommand = defineCommand({
  name: "export",
  summary: "send me everything stored about me, as JSON",
  description: "Send me everything stored about me",
  access: "anyone",
  example: "/peer export",
  async run(context) {
    const { deps, memberId } = context;
    const data: Record<string, unknown> = {};
    for (const section of deps.dataSections) data[section.name] = await section.export(memberId);
    const exported = { member: memberId, exportedAt: deps.clock.now().toISOString(), ...data };
    await context.responder.reply({
      text: `Here is everything I store about you:\n\`\`\`\n${JSON.stringify(exported, null, 2)}\n\`\`\``,
    });
  },
});

export const forgetCommand = defineCommand({
  name: "forget",
  summary: "delete everything stored about me (I'll ask you to confirm)",
  access: "anyone",
  example: "/peer forget",
  async run(context) {
    await context.responder.reply({
      text: "This deletes everything I keep about you — your settings and handle, your diary, what's scheduled for you, and the note of which questions and tips I've sent — and it can't be undone. (The messages in this chat are kept by the chat app, not by me, so they stay.) You can save a copy first with /peer export. Delete it all?",
      buttons: [
        { id: FORGET_CONFIRM, label: "Yes, delete everything", style: "danger" },
        { id: FORGET_CANCEL, label: "Keep my data" },
      ],
    });
  },
});

export const forgetConfirm: ButtonAction = {
  id: FORGET_CONFIRM,
  async run(context) {
    const { deps, memberId } = context;
    await deps.consents.drop(memberId);
    for (const section of deps.dataSections) await section.forget(memberId);
    await deps.onMemberChanged?.(memberId, null, "forgotten");
    deps.logger.info({ member: memberId }, "member data forgotten");
    await context.responder.reply({
      text: "Done — everything I kept about you has been deleted. If you ever want to come back, /peer join is there.",
    });
  },
};

export const forgetCancel: ButtonAction = {
  id: FORGET_CANCEL,
  async run(context) {
    await context.responder.reply({ text: "Okay, I've left everything as it is." });
  },
};
