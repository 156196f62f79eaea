import { isUuid } from '../auth/guard.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';

export interface GoldCsvRow {
  line: number;
  key: { kind: 'slice_id' | 'sop_uid'; value: string };
  value: number;
}

const UID = /^[0-9]+(\.[0-9]+)*$/;

/**
 * A gold CSV [RQ1]: a header naming `slice_id` or `sop_uid`, and `label` or `value` (0/1). Other
 * columns (the phantom's patient_id, severity, …) are ignored. Values are plain: UIDs, ids and
 * digits carry no commas or quotes, so a quoted cell is taken literally without its quotes.
 */
export function parseGoldCsv(text: string): GoldCsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const cells = (l: string) => l.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const header = cells(lines[0] ?? '').map((h) => h.toLowerCase());
  const keyCol = header.indexOf('slice_id') >= 0 ? header.indexOf('slice_id') : header.indexOf('sop_uid');
  const keyKind = header.indexOf('slice_id') >= 0 ? 'slice_id' : 'sop_uid';
  const valueCol = header.indexOf('label') >= 0 ? header.indexOf('label') : header.indexOf('value');
  if (keyCol < 0 || valueCol < 0) {
    throw new ConcordError(ErrorCode.BAD_INPUT, 'The gold CSV needs a header with slice_id or sop_uid, and label or value (0 or 1).');
  }
  const out: GoldCsvRow[] = [];
  lines.slice(1).forEach((l, i) => {
    if (l.trim() === '') return;
    const line = i + 2;
    const c = cells(l);
    const key = c[keyCol] ?? '';
    const ok = keyKind === 'slice_id' ? isUuid(key) : UID.test(key) && key.length <= 64;
    if (!ok)
      throw new ConcordError(
        ErrorCode.BAD_INPUT,
        `Row ${line}: ${keyKind} "${key.slice(0, 80)}" is not ${keyKind === 'slice_id' ? 'a slice id' : 'a DICOM UID'}.`,
      );
    const v = c[valueCol];
    if (v !== '0' && v !== '1')
      throw new ConcordError(ErrorCode.BAD_INPUT, `Row ${line}: ${header[valueCol]} must be 0 or 1 (got "${(v ?? '').slice(0, 20)}").`);
    out.push({ line, key: { kind: keyKind, value: key }, value: Number(v) });
  });
  if (out.length === 0) throw new ConcordError(ErrorCode.BAD_INPUT, 'The gold CSV has no rows.');
  return out;
}
