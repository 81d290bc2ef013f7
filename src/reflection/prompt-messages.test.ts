import { describe, expect, it } from "vitest";
import type { Member } from "../members/member.js";
import { promptMessage } from "./prompt-messages.js";

const member = (prompts: "daily" | "weekly" | "fortnightly"): Member => ({
  id: "local:wren",
  displayName: "Wren",
  region: "Mackay",
  timeZone: "Australia/Brisbane",
  workingDays: ["mon", "tue"],
  workingHours: { start: "09:00", end: "15:00" },
  soleWorker: true,
  role: "peer-worker",
  status: { state: "active" },
  consentedAt: "2026-11-23T00:00:00.000Z",
  joinedAt: "2026-11-23T00:00:00.000Z",
  preferences: { prompts },
});
const question = { id: "q1", theme: "boundaries", text: "Where did you hold a line lately?", gentle: false };

describe("a scheduled question's opening follows how often the member gets them", () => {
  it("a daily question is today's, not one for the week", () => {
    const text = promptMessage(member("daily"), question, "scheduled", false).text;
    expect(text).toContain("here's today's question");
    expect(text).not.toContain("week");
  });

  it("weekly and fortnightly questions say so", () => {
    expect(promptMessage(member("weekly"), question, "scheduled", false).text).toContain(
      "a question for your week",
    );
    expect(promptMessage(member("fortnightly"), question, "scheduled", false).text).toContain(
      "a question for the fortnight ahead",
    );
  });

  it("the light one after a hard message matches the cadence too", () => {
    expect(promptMessage(member("daily"), question, "soft", false).text).toContain("a light one today");
  });
});
