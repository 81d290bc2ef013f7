import type { Member } from "../../src/members/member.js";

/**
 * A joined member whose working week covers every hour of every day in UTC,
 * prompts weekly and tips off: anything due for them may go at once. For
 * fan-out tests, fault runs and benchmarks that save members straight into
 * the store rather than joining them through a platform.
 */
export function alwaysWorkingMember(id: string, displayName = id.split(":").at(-1) ?? id): Member {
  const now = new Date().toISOString();
  return {
    id,
    displayName,
    region: "Anywhere",
    timeZone: "UTC",
    workingDays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    workingHours: { start: "00:00", end: "24:00" },
    soleWorker: false,
    role: "peer-worker",
    status: { state: "active" },
    consentedAt: now,
    joinedAt: now,
    preferences: { prompts: "weekly", tips: "off" },
  };
}
