import type { Sql } from '@concord/db';

/** A stretch of the seeding run (database clock) and the past window it is replayed into. */
export interface ClockSegment {
  realFrom: Date;
  realTo: Date;
  fakeFrom: Date;
  fakeTo: Date;
}

/** `hour` (UTC, may carry minutes as a fraction) of the day `daysAgo` days before `now`'s day. */
export function pastHour(now: Date, daysAgo: number, hour: number): Date {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * 86_400_000;
  return new Date(day + hour * 3_600_000);
}

/**
 * Records which stretch of real time each seeding step took, so that its rows can later be moved
 * into the step's window of past working hours (DM3). Times come from the database's clock, the
 * one that stamps the rows; consecutive steps share their boundary, so no row falls between two.
 */
export class Timeline {
  private readonly segments: ClockSegment[] = [];
  private lastFake: Date | null = null;

  constructor(private readonly sql: Sql) {}

  private async dbNow(): Promise<Date> {
    const [{ t }] = await this.sql<{ t: Date }[]>`select clock_timestamp() as t`;
    return t;
  }

  /** Runs `work`, remembering that what it wrote belongs between `fakeFrom` and `fakeTo`. */
  async during<T>(fakeFrom: Date, fakeTo: Date, work: () => Promise<T>): Promise<T> {
    if (!(fakeFrom < fakeTo)) throw new Error(`a seeding window must end after it starts (${fakeFrom.toISOString()} – ${fakeTo.toISOString()})`);
    if (this.lastFake && fakeFrom < this.lastFake) throw new Error('seeding windows must follow one another, or rows would change order');
    const previous = this.segments.at(-1);
    const realFrom = previous ? previous.realTo : await this.dbNow();
    const result = await work();
    const realTo = await this.dbNow();
    this.segments.push({ realFrom, realTo, fakeFrom, fakeTo });
    this.lastFake = fakeTo;
    return result;
  }

  get recorded(): readonly ClockSegment[] {
    return this.segments;
  }
}
