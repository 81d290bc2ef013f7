import type { Redis } from "ioredis";
import type { Holiday, HolidayStore } from "../schedule/holidays.js";
import type { RedisKeys } from "./redis-keys.js";

/** A hash `holidays`: "<date>|<region lower-case or *>" → the holiday as JSON. */
export class RedisHolidayStore implements HolidayStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
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
    const all = Object.values(await this.redis.hgetall(this.key)).map((json) => JSON.parse(json) as Holiday);
    return all.sort((a, b) => a.date.localeCompare(b.date) || (a.region ?? "").localeCompare(b.region ?? ""));
  }
}
