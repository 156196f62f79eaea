import type { Sql } from '@concord/db';
import { EMPTY_TABLE, type ReaderFacts } from './performance.js';
import { pauseStates } from './pause.queries.js';

/**
 * The facts behind every reader's figures in one project: labelers who are members or have read
 * anything, their independent read counts, gold reads in order with the slice's patient, and
 * every server-measured read time. `onlyUser` narrows it to one reader (the flag check).
 */
export async function readerFacts(sql: Sql, projectId: string, onlyUser?: string): Promise<ReaderFacts[]> {
  const only = onlyUser ?? null;
  const readers = await sql<{ id: string; username: string }[]>`
    select u.id, u.username from users u
     where (${only}::uuid is null or u.id = ${only}::uuid)
       and (exists (select 1 from project_members m join user_roles ur on ur.user_id = m.user_id and ur.role = 'LABELER'
                     where m.project_id = ${projectId} and m.user_id = u.id)
            or exists (select 1 from reads r where r.project_id = ${projectId} and r.user_id = u.id)
            or exists (select 1 from gold_reads g where g.project_id = ${projectId} and g.user_id = u.id))
     order by u.username`;
  const counts = await sql<{ userId: string; n: number }[]>`
    select user_id, count(*)::int as n from reads
     where project_id = ${projectId} and not is_repeat and (${only}::uuid is null or user_id = ${only}::uuid)
     group by user_id`;
  const gold = await sql<{ userId: string; value: number; expected: number; patientId: string; createdAt: Date }[]>`
    select g.user_id, g.value, g.expected, st.patient_id, g.created_at
      from gold_reads g
      join slices s on s.id = g.slice_id
      join series se on se.id = s.series_id
      join studies st on st.id = se.study_id
     where g.project_id = ${projectId} and (${only}::uuid is null or g.user_id = ${only}::uuid)
     order by g.id`;
  const times = await sql<{ userId: string; seconds: number | null; screenSeconds: number | null }[]>`
    select user_id, seconds, screen_seconds from reads
     where project_id = ${projectId} and (seconds is not null or screen_seconds is not null) and (${only}::uuid is null or user_id = ${only}::uuid)
    union all
    select user_id, seconds, screen_seconds from gold_reads
     where project_id = ${projectId} and (seconds is not null or screen_seconds is not null) and (${only}::uuid is null or user_id = ${only}::uuid)`;
  const pairs = await sql<{ userId: string; a: number; b: number; n: number }[]>`
    select ra.user_id, ra.value as a, rb.value as b, count(*)::int as n
      from reads ra join reads rb on rb.slice_id = ra.slice_id and not rb.is_repeat and rb.user_id <> ra.user_id
     where ra.project_id = ${projectId} and not ra.is_repeat and (${only}::uuid is null or ra.user_id = ${only}::uuid)
     group by ra.user_id, ra.value, rb.value`;
  const repeats = await sql<{ userId: string; a: number; b: number; n: number }[]>`
    select again.user_id, initial.value as a, again.value as b, count(*)::int as n
      from reads again join reads initial on initial.slice_id = again.slice_id and initial.user_id = again.user_id and not initial.is_repeat
     where again.project_id = ${projectId} and again.is_repeat and (${only}::uuid is null or again.user_id = ${only}::uuid)
     group by again.user_id, initial.value, again.value`;
  const calibration = await sql<{ userId: string; value: number; expected: number; patientId: string; createdAt: Date }[]>`
    select c.user_id, c.value, c.expected, st.patient_id, c.created_at
      from calibration_reads c join slices s on s.id = c.slice_id
      join series se on se.id = s.series_id join studies st on st.id = se.study_id
     where c.project_id = ${projectId} and (${only}::uuid is null or c.user_id = ${only}::uuid)
     order by c.id`;
  const outcomes = await sql<{ userId: string; passed: boolean }[]>`
    select distinct on (user_id) user_id, passed from calibration_outcomes where project_id = ${projectId} order by user_id, id desc`;
  const [{ n: calibrationTotal }] = await sql<{ n: number }[]>`select count(*)::int as n from calibration_slices where project_id = ${projectId}`;
  const pauses = await pauseStates(sql, projectId);
  const facts = new Map<string, ReaderFacts>(
    readers.map((u) => [
      u.id,
      {
        userId: u.id,
        username: u.username,
        reads: 0,
        gold: [],
        seconds: [],
        screenSeconds: [],
        paused: pauses.get(u.id)?.paused ?? false,
        resumedAt: pauses.get(u.id)?.resumedAt ?? null,
        withOthers: { ...EMPTY_TABLE },
        repeats: { ...EMPTY_TABLE },
        calibration: { answers: [], total: calibrationTotal, passed: null },
      },
    ]),
  );
  for (const o of outcomes) {
    const f = facts.get(o.userId);
    if (f) f.calibration.passed = o.passed;
  }
  for (const c of calibration) facts.get(c.userId)?.calibration.answers.push({ value: c.value, expected: c.expected, patientId: c.patientId, at: c.createdAt });
  const cell = (a: number, b: number) => `n${a}${b}` as 'n00' | 'n01' | 'n10' | 'n11';
  for (const c of pairs) {
    const f = facts.get(c.userId);
    if (f) f.withOthers[cell(c.a, c.b)] += c.n;
  }
  for (const c of repeats) {
    const f = facts.get(c.userId);
    if (f) f.repeats[cell(c.a, c.b)] += c.n;
  }
  for (const c of counts) {
    const f = facts.get(c.userId);
    if (f) f.reads = c.n;
  }
  for (const g of gold) facts.get(g.userId)?.gold.push({ value: g.value, expected: g.expected, patientId: g.patientId, at: g.createdAt });
  for (const t of times) {
    const f = facts.get(t.userId);
    if (t.seconds != null) f?.seconds.push(t.seconds);
    if (t.screenSeconds != null) f?.screenSeconds.push(t.screenSeconds);
  }
  return [...facts.values()];
}
