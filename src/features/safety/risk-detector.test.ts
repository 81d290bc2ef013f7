import { describe, expect, it } from "vitest";
import { assessRisk } from "./risk-detector.js";
import { normaliseText, splitClauses } from "./risk-text.js";

const outcome = (text: string) => assessRisk(text).outcome;

describe("assessRisk", () => {
  it.each([
    ["plain words", "I want to end my life"],
    ["no capitals or apostrophes", "im going to kill my self tonight"],
    ["text-speak", "wanna die rn ngl"],
    ["a typo in the key word", "feeling really sucidal today"],
    ["self-harm in the past tense", "I self-harmed again on the weekend"],
    ["slang", "thinking about unaliving myself"],
    ["an emoji for the means", "got the 💊 ready"],
    ["being a burden", "honestly everyone would be better off without me"],
    ["voices", "the voices keep telling me to hurt myself"],
    ["risk in the second sentence", "Good group today. But I've been stockpiling my meds."],
  ])("finds own risk: %s", (_why, text) => {
    expect(outcome(text)).toBe("own-risk");
  });

  it.each([
    ["a figure of speech", "this paperwork is killing me"],
    ["hyperbole", "that handover was so awkward I wanted to die"],
    ["negation", "I'm not suicidal, just flat after a long week"],
    ["distant history", "I used to self-harm as a teenager and I share that when it helps"],
    ["reported speech", "A resident told me he wants to die, so we talked it through"],
    ["a quote", 'We read a poem called "I want to disappear" in group'],
    ["training", "We practised asking about suicide in the ASIST course"],
    ["ordinary work", "Sat with someone over a cuppa and it felt like real connection"],
  ])("finds nothing in %s", (_why, text) => {
    expect(outcome(text)).toBe("none");
  });

  it("answers vicarious distress with its own outcome", () => {
    expect(outcome("One of the young people I work with overdosed and I can't stop thinking about it")).toBe(
      "vicarious",
    );
    expect(outcome("I'm completely drained by all the crisis work this month")).toBe("vicarious");
  });

  it("takes own risk over vicarious distress in the same message", () => {
    expect(outcome("A resident died last week and since then I've wanted to die too")).toBe("own-risk");
  });

  it("marks an indirect phrasing as unsure, so the reply is softer", () => {
    expect(assessRisk("what's even the point anymore")).toEqual({ outcome: "own-risk", sure: false });
    expect(assessRisk("I want to kill myself")).toEqual({ outcome: "own-risk", sure: true });
  });

  it("copes with empty, huge and odd text", () => {
    expect(outcome("")).toBe("none");
    expect(outcome("   \n\t ")).toBe("none");
    expect(outcome("🙂🙂🙂")).toBe("none");
    expect(outcome(`${"la ".repeat(20_000)}I want to die`)).toBe("own-risk");
  });
});

describe("text preparation", () => {
  it("turns text-speak, typos and emoji into plain words", () => {
    expect(normaliseText("Im gonna kms 🔪")).toBe("i am going to kill myself  knife ");
    expect(normaliseText("Tāngata whaiora")).toBe("tangata whaiora");
  });

  it("sets aside words quoted from someone else, but not the member's own", () => {
    const clauses = splitClauses(normaliseText('She said "I want to die". I told her "I get it"'));
    expect(clauses.map((c) => [c.text, c.quotedFromOthers])).toEqual([
      ["she said", false],
      ["i want to die", true],
      ["i told her", false],
      ["i get it", false],
    ]);
  });
});
