/**
 * Designating gold slices [RQ1]: by a lead (slice id + value), sampled from trustworthy final
 * labels, or imported from a CSV. Every batch is validated whole before anything is written, and
 * audited with who, how many and from where.
 */
import fs from 'node:fs';
import type { Sql } from '@concord/db';
import { isUuid } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { pseudonymousUid } from '../ingest/pseudonym.js';
import { finalsFitForGold, insertGoldSlices, slicesBySopUid, slicesInProject, type GoldItem } from './gold.queries.js';
import { parseGoldCsv } from './gold-csv.js';

export const MAX_GOLD_ITEMS = 100_000;

function bad(message: string): ConcordError {
  return new ConcordError(ErrorCode.BAD_INPUT, message);
}

async function requireProject(sql: Sql, projectId: string): Promise<void> {
  const [p] = isUuid(projectId) ? await sql`select 1 from projects where id = ${projectId}` : [];
  if (!p) throw new ConcordError(ErrorCode.PROJECT_NOT_FOUND, 'No such project; list them with `npm run concord -- project list`.');
}

async function store(
  sql: Sql,
  projectId: string,
  items: GoldItem[],
  source: 'LEAD' | 'FINAL' | 'IMPORT',
  actorId: string | null,
  detail: Record<string, unknown>,
): Promise<number> {
  return sql.begin(async (tx) => {
    const added = await insertGoldSlices(tx, projectId, items, source, actorId);
    await tx`insert into audit_log (project_id, actor_id, action, payload)
             values (${projectId}, ${actorId}, 'GOLD_SLICES_ADDED', ${tx.json({ source, given: items.length, added, ...detail } as never)})`;
    return added;
  });
}

/** `addGoldSlices`: the lead's own gold labels; returns how many were new. */
export async function addGoldSlices(sql: Sql, projectId: string, items: readonly GoldItem[], actorId: string): Promise<number> {
  await requireProject(sql, projectId);
  if (items.length > MAX_GOLD_ITEMS) throw bad(`At most ${MAX_GOLD_ITEMS} gold slices at once; split the list.`);
  items.forEach((it, i) => {
    if (!isUuid(it.sliceId)) throw bad(`Item ${i + 1}: sliceId is not a slice id.`);
    if (it.value !== 0 && it.value !== 1) throw bad(`Item ${i + 1}: value must be 0 (no compression) or 1 (compression).`);
  });
  const known = await slicesInProject(
    sql,
    projectId,
    items.map((i) => i.sliceId),
  );
  const unknown = items.findIndex((i) => !known.has(i.sliceId));
  // Same message for a slice of another project and no slice at all: ids cannot be probed.
  if (unknown >= 0) throw bad(`Item ${unknown + 1}: no such slice in this project.`);
  return store(sql, projectId, dedupe(items), 'LEAD', actorId, {});
}

/** A slice named twice keeps its first value only if both agree; otherwise the batch is refused. */
function dedupe(items: readonly GoldItem[]): GoldItem[] {
  const seen = new Map<string, number>();
  for (const it of items) {
    const prior = seen.get(it.sliceId);
    if (prior != null && prior !== it.value) throw bad('A slice is given twice with different values; keep one.');
    seen.set(it.sliceId, it.value);
  }
  return [...seen].map(([sliceId, value]) => ({ sliceId, value }));
}

/** `gold from-finals`: up to `count` adjudicated or unanimous final labels become gold. */
export async function goldFromFinals(sql: Sql, projectId: string, count: number, actorId: string | null): Promise<{ added: number; available: number }> {
  await requireProject(sql, projectId);
  if (!Number.isInteger(count) || count < 1 || count > MAX_GOLD_ITEMS) throw bad(`count must be a whole number from 1 to ${MAX_GOLD_ITEMS}.`);
  const picks = await finalsFitForGold(sql, projectId, count);
  const added = await store(
    sql,
    projectId,
    picks.map((p) => ({ sliceId: p.sliceId, value: p.value })),
    'FINAL',
    actorId,
    { requested: count },
  );
  return { added, available: picks.length };
}

export interface GoldImportResult {
  rows: number;
  added: number;
  already: number;
}

/**
 * `gold import FILE`: rows keyed by slice_id or sop_uid. A sop_uid may be the de-identified UID
 * or the original one (the phantom's CSV), which maps through the ingest HMAC; every row must
 * match a slice of the project, or nothing is imported.
 */
export async function importGoldCsv(sql: Sql, projectId: string, secret: string, file: string): Promise<GoldImportResult> {
  await requireProject(sql, projectId);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw bad(`Cannot read ${file}; give the path of a CSV file.`);
  }
  const rows = parseGoldCsv(text);
  if (rows.length > MAX_GOLD_ITEMS) throw bad(`At most ${MAX_GOLD_ITEMS} rows per import; split the file.`);
  const byId = await slicesInProject(
    sql,
    projectId,
    rows.flatMap((r) => (r.key.kind === 'slice_id' ? [r.key.value] : [])),
  );
  const sops = rows.flatMap((r) => (r.key.kind === 'sop_uid' ? [r.key.value, pseudonymousUid(secret, r.key.value)] : []));
  const bySop = await slicesBySopUid(sql, projectId, sops);
  const items = rows.map((r) => {
    const sliceId =
      r.key.kind === 'slice_id'
        ? byId.has(r.key.value)
          ? r.key.value
          : undefined
        : (bySop.get(r.key.value) ?? bySop.get(pseudonymousUid(secret, r.key.value)));
    if (!sliceId)
      throw bad(
        `Row ${r.line}: no slice of this project has ${r.key.kind} ${r.key.value}; was the study ingested into this project (with the same CONCORD_SECRET)?`,
      );
    return { sliceId, value: r.value };
  });
  const unique = dedupe(items);
  const added = await store(sql, projectId, unique, 'IMPORT', null, { rows: rows.length });
  return { rows: rows.length, added, already: unique.length - added };
}
