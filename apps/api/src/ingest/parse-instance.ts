/**
 * One file → one parsed instance, or a verdict. Never throws anything but FileVerdictError:
 * every failure mode of the parser (including stack overflow) becomes a reason and a sentence.
 */
import { dcmjsData, num, toArrayBuffer, type NaturalDataset } from '@concord/dicom';
import { frameDicom } from './dicom-framing.js';
import { FileVerdictError, reject } from './outcome.js';

export interface ParsedInstance {
  transferSyntax: string;
  dataset: NaturalDataset;
}

function describeParseFailure(e: unknown): never {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    reject('PARSE_ERROR', 'Sequences in the file are nested too deeply to read.');
  }
  const msg = e instanceof Error ? e.message : String(e);
  if (/past end|more than currently allocated|offset is outside|out of range|beyond/i.test(msg)) {
    reject('TRUNCATED', 'The file ends before its last data element: it is truncated.');
  }
  reject('PARSE_ERROR', 'The file could not be read as DICOM (malformed data element).');
}

export function parseInstance(bytes: Uint8Array): ParsedInstance {
  const framed = frameDicom(bytes);
  try {
    const dict = dcmjsData.DicomMessage.readFile(toArrayBuffer(framed.part10), { ignoreErrors: false });
    const dataset = dcmjsData.DicomMetaDictionary.naturalizeDataset(dict.dict);
    return { transferSyntax: framed.transferSyntax, dataset };
  } catch (e) {
    if (e instanceof FileVerdictError) throw e;
    describeParseFailure(e);
  }
}

// ---------------------------------------------------------------- typed attribute access

export function str(ds: NaturalDataset, key: string): string | undefined {
  const v = ds[key];
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined || first === null) return undefined;
  if (typeof first === 'object') {
    // PN values are { Alphabetic: ... } objects.
    const alpha = (first as { Alphabetic?: unknown }).Alphabetic;
    return typeof alpha === 'string' ? alpha : undefined;
  }
  const s = String(first).trim();
  return s === '' ? undefined : s;
}

// The stored-slice reader needs it too, so it lives with the stored slice format in @concord/dicom.
export { num };

export function nums(ds: NaturalDataset, key: string): number[] | undefined {
  const v = ds[key];
  if (v === undefined || v === null) return undefined;
  const arr = (Array.isArray(v) ? v : [v]).map(Number);
  return arr.length && arr.every(Number.isFinite) ? arr : undefined;
}

export function strs(ds: NaturalDataset, key: string): string[] {
  const v = ds[key];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x).trim().toUpperCase());
}
