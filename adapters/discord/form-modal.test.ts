import { describe, expect, it } from "vitest";
import { BotError } from "../../src/errors.js";
import { formModal } from "./form-modal.js";

describe("forms as Discord modals", () => {
  it("makes one labelled text input per field: hint as description, multiline as paragraph", () => {
    const modal = formModal({
      id: "reflect",
      title: "A reflection",
      submitLabel: "Save",
      fields: [
        { id: "what", label: "What happened?", multiline: true, hint: "A few lines is plenty" },
        { id: "next", label: "Next time", optional: true, initial: "rest" },
      ],
    });
    expect(modal).toEqual({
      custom_id: "reflect",
      title: "A reflection",
      components: [
        {
          type: 18,
          label: "What happened?",
          description: "A few lines is plenty",
          component: { type: 4, custom_id: "what", style: 2, required: true },
        },
        {
          type: 18,
          label: "Next time",
          component: { type: 4, custom_id: "next", style: 1, required: false, value: "rest" },
        },
      ],
    });
  });

  it("refuses more than Discord's five fields", () => {
    const fields = Array.from({ length: 6 }, (_, i) => ({ id: `f${i}`, label: `F${i}` }));
    expect(() => formModal({ id: "big", title: "Big", submitLabel: "Go", fields })).toThrow(BotError);
  });
});
