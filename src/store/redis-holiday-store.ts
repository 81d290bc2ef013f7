import type { Redis } from "ioredis";
import { z } from "zod";
import { type Logger, silentLogger } from "../logging/logger.js";
import type { Holiday, HolidayStore } from "../schedule/holidays.js";
import type { RedisKeys } from "./redis-keys.js";
import { readRecord } from "./stored-record.js";

export const holidaySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  region: z.string().exactOptional(),
});

// Compile-time check that the schema and the domain type agree.
const _parsedIsHoliday = (parsed: z.output<typeof holidaySchema>): Holiday => parsed;
void _parsedIsHoliday;

/**
 * A hash `holidays`: "<date>|<region lower-case or *>" → the holiday as JSON.
 * A malformed entry is reported (kind only) and left out of the list.
 */
export class RedisHolidayStore implements HolidayStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    private readonly logger: Logger = silentLogger,
  ) {
    this.key = keys.global("holidays");
  }

  private field(holiday: Holiday): string {
    return `${holiday.date}|${holiday.region?.toLowerCase() ?? "*"}`;
  }

  async add(holiday: Holiday): Promise<boolean> {
    return (await this.redis.hsetnx(this.key, this.field(holiday), JSON.stringify(holiday))) === 1;
  }

  async remove(holiday: Holiday): Promise<boolean> {
    return (await this.redis.hdel(this.key, this.field(holiday))) === 1;
  }

  async list(): Promise<Holiday[]> {
    const all = Object.values(await this.redis.hgetall(this.key)).flatMap(
      (json) => readRecord(holidaySchema, json, "holiday", this.logger) ?? [],
    );
    return all.sort((a, b) => a.date.localeCompare(b.date) || (a.region ?? "").localeCompare(b.region ?? ""));
  }
}
