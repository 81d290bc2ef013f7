import type { Metrics } from "../src/runtime/metrics.js";
import type { RedisCheckinStore } from "../src/store/redis-checkins.js";
import type { RedisJournalStore } from "../src/store/redis-journal-store.js";

/**
 * Counts members' replies as they are stored, for /metrics, by wrapping the
 * stores' writes (the features that write them are untouched): each diary
 * entry saved (`diary`, once per step saved) and each check-in take-away
 * (`takeaway`). Counted after the write succeeds.
 */
export function countRepliesStored(
  stores: { readonly journal: RedisJournalStore; readonly checkins: RedisCheckinStore },
  metrics: Metrics,
): void {
  const { journal, checkins } = stores;
  const save = journal.save.bind(journal);
  journal.save = async (member, entry) => {
    await save(member, entry);
    metrics.replyStored("diary");
  };
  const recordAttendance = checkins.recordAttendance.bind(checkins);
  checkins.recordAttendance = async (member, record) => {
    await recordAttendance(member, record);
    if (record.takeaway) metrics.replyStored("takeaway");
  };
}
