import type { Member } from "../../src/members/member.js";

/** A member record for store tests: Robin, a peer worker in Wide Bay, with any field overridden. */
export function member(id: string, overrides: Partial<Member> = {}): Member {
  return {
    id,
    displayName: "Robin",
    region: "Wide Bay",
    timeZone: "Australia/Brisbane",
    workingDays: ["mon", "tue", "wed"],
    workingHours: { start: "09:00", end: "17:00" },
    soleWorker: false,
    role: "peer-worker",
    status: { state: "active" },
    consentedAt: "2025-01-06T00:00:00.000Z",
    joinedAt: "2025-01-06T00:00:00.000Z",
    ...overrides,
  };
}
