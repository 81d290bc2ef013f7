import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from "discord.js";
import { BotError } from "../../src/errors.js";
import type { Form } from "../../src/platform/chat-platform.js";

/** Discord's modal limits. */
const MAX_FIELDS = 5;
const MAX_TITLE = 45;
const MAX_LABEL = 45;
const MAX_DESCRIPTION = 100;

/** A core form as a Discord modal: custom id = form id, one labelled text input per field. */
export function formModal(form: Form): APIModalInteractionResponseCallbackData {
  if (form.fields.length === 0 || form.fields.length > MAX_FIELDS) {
    throw new BotError(
      "PLATFORM_FAILED",
      `form ${form.id} has ${form.fields.length} fields; Discord takes 1 to 5`,
    );
  }
  return {
    custom_id: form.id,
    title: form.title.slice(0, MAX_TITLE),
    components: form.fields.map((field) => ({
      type: ComponentType.Label,
      label: field.label.slice(0, MAX_LABEL),
      ...(field.hint ? { description: field.hint.slice(0, MAX_DESCRIPTION) } : {}),
      component: {
        type: ComponentType.TextInput,
        custom_id: field.id,
        style: field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: field.optional !== true,
        ...(field.initial ? { value: field.initial } : {}),
      },
    })),
  };
}

/** The text typed into each field of a submitted modal, by field id. */
export function formValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    if ("value" in field && typeof field.value === "string") values[id] = field.value;
  }
  return values;
}
