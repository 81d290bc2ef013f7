import { describe, expect, it } from "vitest";
import type { Member } from "../members/member.js";
import { RETURNING_THEME, SOLE_WORKER_THEME, TIPS, createQuestionBank } from "./question-bank.js";
import { type RotationState, pickQuestion, pickTip } from "./rotation.js";

const member = (soleWorker: boolean): Member => ({
  id: "local:x",
  displayName: "X",
  region: "R",
  timeZone: "UTC",
  workingDays: ["mon"],
  workingHours: { start: "09:00", end: "17:00" },
  soleWorker,
  role: "peer-worker",
  status: { state: "active" },
  consentedAt: "",
  joinedAt: "",
});

/** Runs `rounds` picks, keeping state as the stores would. */
function simulate(rounds: number, who: Member, seed = 1) {
  let s = seed;
  const random = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const bank = createQuestionBank();
  const asked = new Set<string>();
  const counts = new Map<string, number>();
  const history: string[] = [];
  for (let i = 0; i < rounds; i++) {
    const state: RotationState = { asked, themeCounts: counts, tipsSeen: new Set() };
    const pick = pickQuestion(bank, state, who, { random });
    if (!pick) throw new Error("no pick");
    for (const id of pick.resetIds) asked.delete(id);
    asked.add(pick.question.id);
    counts.set(pick.question.theme, (counts.get(pick.question.theme) ?? 0) + 1);
    history.push(pick.question.id);
  }
  return { bank, history, counts };
}

describe("question rotation", () => {
  it("never repeats a question until its theme has come round in full", () => {
    const { bank, history } = simulate(300, member(true));
    for (const theme of bank.themes) {
      const inTheme = bank.questions.filter((q) => q.theme === theme.id).map((q) => q.id);
      const asked = history.filter((id) => inTheme.includes(id));
      for (let start = 0; start + inTheme.length <= asked.length; start += inTheme.length) {
        expect(new Set(asked.slice(start, start + inTheme.length)).size).toBe(inTheme.length);
      }
    }
  });

  it("balances themes: no theme is more than one question ahead of another", () => {
    const { counts } = simulate(100, member(true));
    const values = [...counts.values()];
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
  });

  it("keeps coming-back questions for after time away, and sole-worker questions for sole workers", () => {
    const { history } = simulate(60, member(false));
    expect(history.some((id) => id.startsWith(`${RETURNING_THEME}-`))).toBe(false);
    expect(history.some((id) => id.startsWith(`${SOLE_WORKER_THEME}-`))).toBe(false);
    const gentle = pickQuestion(
      createQuestionBank(),
      { asked: new Set(), themeCounts: new Map(), tipsSeen: new Set() },
      member(false),
      {
        gentle: true,
      },
    );
    expect(gentle?.question.theme).toBe(RETURNING_THEME);
    expect(gentle?.question.gentle).toBe(true);
  });

  it("after a hard message, picks a light question that is not about coming back from time away", () => {
    const bank = createQuestionBank();
    const empty: RotationState = { asked: new Set(), themeCounts: new Map(), tipsSeen: new Set() };
    for (let seed = 1; seed <= 20; seed++) {
      let s = seed;
      const random = () => {
        s = (s * 16807) % 2147483647;
        return s / 2147483647;
      };
      const pick = pickQuestion(bank, empty, member(false), { soft: true, random });
      expect(pick?.question.gentle).toBe(true);
      expect(pick?.question.theme).not.toBe(RETURNING_THEME);
    }
  });

  it("includes questions coordinators add", () => {
    const bank = createQuestionBank([
      { id: "custom-1", theme: "power", text: "Who decided today?", gentle: false },
    ]);
    const pick = pickQuestion(
      bank,
      {
        asked: new Set(
          bank.questions.filter((q) => q.theme === "power" && q.id !== "custom-1").map((q) => q.id),
        ),
        themeCounts: new Map(),
        tipsSeen: new Set(),
      },
      member(true),
      { theme: "power" },
    );
    expect(pick?.question.id).toBe("custom-1");
  });
});

describe("tip rotation", () => {
  it("shows every tip once before any comes round again", () => {
    const seen = new Set<string>();
    for (let i = 0; i < TIPS.length; i++) {
      const pick = pickTip(TIPS, seen);
      expect(pick?.reset).toBe(false);
      seen.add(pick?.tip.id ?? "");
    }
    expect(seen.size).toBe(TIPS.length);
    expect(pickTip(TIPS, seen)?.reset).toBe(true);
  });
});
