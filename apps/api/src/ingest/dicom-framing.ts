/**
 * Byte-level framing of one DICOM file before dcmjs sees it. dcmjs is strict about the Part 10
 * header, throws on multi-valued character sets, recurses without bound (a deeply nested sequence
 * takes minutes and ends in a stack overflow) and trips on some private and UN sequences. So we
 * walk the element structure here iteratively, which tells truncation and nesting depth cheaply,
 * and hand dcmjs a normalised Part 10 buffer: standard header, inflated body, no private or UN
 * elements (de-identification drops them anyway) and a character set it can decode.
 */
import { inflateRawSync } from 'node:zlib';
import { reject } from './outcome.js';
import { TransferSyntax } from '@concord/dicom';

/** dcmtk's own limit is the C stack; real images nest < 10, SR trees < 30. */
export const MAX_SEQUENCE_DEPTH = 48;

const UNDEFINED_LENGTH = 0xffffffff;
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const PIXEL_DATA = 0x7fe00010;
const CHARSET = 0x00080005;

export interface FramedDicom {
  /** Transfer syntax of the pixel data as declared (or guessed when the meta header is absent). */
  transferSyntax: string;
  /** Part 10 bytes dcmjs can read: explicit header, body in `bodySyntax`. */
  part10: Uint8Array;
  /** True when the meta header was missing or incomplete and the syntax was guessed. */
  guessedSyntax: boolean;
}

interface BodyEncoding {
  littleEndian: boolean;
  explicit: boolean;
}

function isUpper(b: number): boolean {
  return b >= 0x41 && b <= 0x5a;
}

function u16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}
function u32(b: Uint8Array, o: number, le: boolean): number {
  return le ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0 : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A bare dataset starts with a low group (0008 in practice); text, PNG or PDF bytes read as groups far above. */
function plausibleGroup(g: number): boolean {
  return g >= 0x0001 && g <= 0x00ff && g !== 0x0002;
}

/** Guess the encoding of a dataset without a meta header from its first element. */
function sniffDataset(b: Uint8Array, off: number): BodyEncoding | null {
  if (b.length - off < 8) return null;
  const explicitVr = isUpper(b[off + 4]) && isUpper(b[off + 5]);
  if (plausibleGroup(u16(b, off, true))) return { littleEndian: true, explicit: explicitVr };
  if (plausibleGroup(u16(b, off, false)) && explicitVr) return { littleEndian: false, explicit: true };
  return null;
}

function encodingOf(ts: string): BodyEncoding {
  if (ts === TransferSyntax.ImplicitVRLittleEndian) return { littleEndian: true, explicit: false };
  if (ts === TransferSyntax.ExplicitVRBigEndian) return { littleEndian: false, explicit: true };
  return { littleEndian: true, explicit: true };
}

function syntaxOf(enc: BodyEncoding): string {
  if (!enc.littleEndian) return TransferSyntax.ExplicitVRBigEndian;
  return enc.explicit ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
}

/** Reads group 0002 (always explicit VR little endian); returns the transfer syntax and where the body starts. */
function readMeta(b: Uint8Array, off: number): { ts: string | undefined; bodyStart: number } {
  let pos = off;
  let ts: string | undefined;
  while (pos + 8 <= b.length && u16(b, pos, true) === 0x0002) {
    const element = u16(b, pos + 2, true);
    const vr = String.fromCharCode(b[pos + 4], b[pos + 5]);
    const long = LONG_VRS.has(vr);
    if (long && pos + 12 > b.length) reject('TRUNCATED', 'The file ends inside its DICOM header.');
    const len = long ? u32(b, pos + 8, true) : u16(b, pos + 6, true);
    const valueStart = pos + (long ? 12 : 8);
    if (len === UNDEFINED_LENGTH || valueStart + len > b.length) reject('TRUNCATED', 'The file ends inside its DICOM header.');
    if (element === 0x0010)
      ts = Buffer.from(b.subarray(valueStart, valueStart + len))
        .toString('latin1')
        .replace(/[\0 ]+$/, '');
    pos = valueStart + len;
  }
  return { ts: ts || undefined, bodyStart: pos };
}

/**
 * Finds where the dataset starts and how it is encoded: Part 10 with preamble, Part 10 without
 * preamble (starts at group 0002), or a bare dataset (dcmtk reads all three).
 */
function locateBody(b: Uint8Array): { ts: string; body: Uint8Array; guessed: boolean } {
  if (b.length === 0) reject('NOT_DICOM', 'The file is empty.');
  let metaStart: number | undefined;
  if (b.length >= 132 && Buffer.from(b.subarray(128, 132)).toString('latin1') === 'DICM') metaStart = 132;
  else if (b.length >= 8 && u16(b, 0, true) === 0x0002 && isUpper(b[4]) && isUpper(b[5])) metaStart = 0;

  if (metaStart !== undefined && b.length >= metaStart + 8 && u16(b, metaStart, true) === 0x0002) {
    const { ts, bodyStart } = readMeta(b, metaStart);
    const body = b.subarray(bodyStart);
    if (ts) return { ts, body, guessed: false };
    const enc = sniffDataset(b, bodyStart);
    if (!enc) reject('PARSE_ERROR', 'The DICOM header names no transfer syntax and the dataset encoding could not be recognised.');
    return { ts: syntaxOf(enc), body, guessed: true };
  }
  const start = metaStart ?? 0;
  const enc = sniffDataset(b, start);
  if (!enc) {
    if (metaStart !== undefined) reject('NOT_DICOM', 'The file has a DICOM marker but no recognisable DICOM header or dataset after it.');
    reject('NOT_DICOM', 'The file is not DICOM: it has neither a DICOM header nor a recognisable dataset.');
  }
  return { ts: syntaxOf(enc), body: b.subarray(start), guessed: true };
}

interface TopElement {
  tag: number;
  start: number;
  end: number;
}

interface ScanResult {
  elements: TopElement[];
  charsets: { valueStart: number; length: number }[];
}

interface Container {
  end: number | undefined;
  kind: 'seq' | 'item' | 'pixel';
  explicit: boolean;
}

/**
 * Walks the dataset iteratively and returns its top-level elements. Refuses nesting deeper than
 * MAX_SEQUENCE_DEPTH and any element whose length runs past the end of the file.
 */
export function scanTopLevel(b: Uint8Array, enc: BodyEncoding): ScanResult {
  const le = enc.littleEndian;
  const out: TopElement[] = [];
  const charsets: ScanResult['charsets'] = [];
  let seenPixels = false;
  const stack: Container[] = [];
  let pos = 0;
  let topStart = -1;
  let topTag = 0;
  const end = b.length;
  for (;;) {
    while (stack.length && stack[stack.length - 1].end !== undefined && pos >= stack[stack.length - 1].end!) {
      if (pos > stack[stack.length - 1].end!) reject('PARSE_ERROR', 'A sequence in the file is longer than its declared length.');
      stack.pop();
    }
    if (stack.length === 0 && topStart >= 0) {
      out.push({ tag: topTag, start: topStart, end: pos });
      topStart = -1;
    }
    if (pos >= end) {
      if (stack.length) {
        const inPixels = stack.some((c) => c.kind === 'pixel');
        reject('TRUNCATED', inPixels ? 'The file ends inside its compressed pixel data.' : 'The file ends inside a sequence.');
      }
      break;
    }
    // Trailing padding shorter than an element header: dcmtk ignores it, so do we.
    if (stack.length === 0 && end - pos < 8 && b.subarray(pos).every((x) => x === 0)) break;
    if (pos + 8 > end) reject('TRUNCATED', 'The file ends in the middle of a data element.');
    const group = u16(b, pos, le);
    const element = u16(b, pos + 2, le);
    const tag = ((group << 16) | element) >>> 0;
    const top = stack[stack.length - 1];
    if (group === 0xfffe) {
      const len = u32(b, pos + 4, le);
      pos += 8;
      if (element === 0xe000) {
        if (top?.kind === 'pixel') {
          if (pos + len > end) reject('TRUNCATED', 'The file ends inside its compressed pixel data.');
          pos += len;
        } else {
          if (len !== UNDEFINED_LENGTH && pos + len > end) reject('TRUNCATED', 'The file ends inside a sequence item.');
          stack.push({ end: len === UNDEFINED_LENGTH ? undefined : pos + len, kind: 'item', explicit: top?.explicit ?? enc.explicit });
        }
      } else if (element === 0xe00d) {
        if (top?.kind === 'item' && top.end === undefined) stack.pop();
      } else if (element === 0xe0dd) {
        if (top && top.end === undefined && (top.kind === 'seq' || top.kind === 'pixel')) stack.pop();
      }
      continue;
    }
    if (stack.length === 0) {
      // Bytes after the pixel data that do not form an element are trailing junk; dcmtk ignores them too.
      if (seenPixels && !elementLooksValid(b, pos, le, enc.explicit)) break;
      topStart = pos;
      topTag = tag;
      if (tag === PIXEL_DATA) seenPixels = true;
    }
    const explicit = top?.explicit ?? enc.explicit;
    let vr = '';
    let len: number;
    let header: number;
    if (explicit) {
      vr = String.fromCharCode(b[pos + 4], b[pos + 5]);
      if (!isUpper(b[pos + 4]) || !isUpper(b[pos + 5])) reject('PARSE_ERROR', `The file has an invalid value representation at byte ${pos}.`);
      if (LONG_VRS.has(vr)) {
        if (pos + 12 > end) reject('TRUNCATED', 'The file ends in the middle of a data element.');
        len = u32(b, pos + 8, le);
        header = 12;
      } else {
        len = u16(b, pos + 6, le);
        header = 8;
      }
    } else {
      len = u32(b, pos + 4, le);
      header = 8;
    }
    const valueStart = pos + header;
    const startsWithItem = len >= 8 && valueStart + 4 <= end && u16(b, valueStart, le) === 0xfffe && u16(b, valueStart + 2, le) === 0xe000;
    if (tag === PIXEL_DATA && len === UNDEFINED_LENGTH) {
      stack.push({ end: undefined, kind: 'pixel', explicit });
      pos = valueStart;
    } else if (vr === 'SQ' || len === UNDEFINED_LENGTH || ((vr === 'UN' || !explicit) && startsWithItem)) {
      if (stack.filter((c) => c.kind === 'seq').length >= MAX_SEQUENCE_DEPTH) {
        reject('PARSE_ERROR', `Sequences in the file are nested deeper than ${MAX_SEQUENCE_DEPTH} levels.`);
      }
      if (len !== UNDEFINED_LENGTH && valueStart + len > end) reject('TRUNCATED', 'The file ends inside a sequence.');
      // A UN sequence of undefined length is encoded implicit VR little endian (PS3.5 6.2.2).
      stack.push({ end: len === UNDEFINED_LENGTH ? undefined : valueStart + len, kind: 'seq', explicit: vr === 'UN' ? false : explicit });
      pos = valueStart;
    } else {
      if (tag === CHARSET) charsets.push({ valueStart, length: len });
      if (valueStart + len > end) {
        const short = valueStart + len - end;
        if (tag === PIXEL_DATA) reject('TRUNCATED', `The pixel data is ${short} bytes shorter than its declared length: the file is truncated.`);
        reject('TRUNCATED', `A data element runs ${short} bytes past the end of the file: the file is truncated.`);
      }
      pos = valueStart + len;
    }
  }
  return { elements: out, charsets };
}

function elementLooksValid(b: Uint8Array, pos: number, le: boolean, explicit: boolean): boolean {
  if (pos + 8 > b.length) return false;
  if (explicit) {
    if (!isUpper(b[pos + 4]) || !isUpper(b[pos + 5])) return false;
    const vr = String.fromCharCode(b[pos + 4], b[pos + 5]);
    const len = LONG_VRS.has(vr) ? (pos + 12 <= b.length ? u32(b, pos + 8, le) : Infinity) : u16(b, pos + 6, le);
    return len === UNDEFINED_LENGTH || pos + len <= b.length;
  }
  const len = u32(b, pos + 4, le);
  return len === UNDEFINED_LENGTH || pos + 8 + len <= b.length;
}

/** Character sets dcmjs can decode (its encodingMapping keys, normalised). */
const DECODABLE = new Set([
  '',
  'iso-ir-6',
  'iso-ir-13',
  'iso-ir-100',
  'iso-ir-101',
  'iso-ir-109',
  'iso-ir-110',
  'iso-ir-126',
  'iso-ir-127',
  'iso-ir-138',
  'iso-ir-144',
  'iso-ir-148',
  'iso-ir-166',
  'iso-ir-192',
  'gb18030',
  'gbk',
  'iso-2022-ir-6',
  'iso-2022-ir-13',
  'iso-2022-ir-87',
  'iso-2022-ir-100',
  'iso-2022-ir-101',
  'iso-2022-ir-109',
  'iso-2022-ir-110',
  'iso-2022-ir-126',
  'iso-2022-ir-127',
  'iso-2022-ir-138',
  'iso-2022-ir-144',
  'iso-2022-ir-148',
  'iso-2022-ir-149',
  'iso-2022-ir-159',
  'iso-2022-ir-166',
  'iso-2022-ir-58',
  'iso-2022-gbk',
  'iso-2022-58',
]);

/**
 * dcmjs accepts one character set; ISO 2022 files list several (the first often empty). We keep
 * the first one it can decode, else Latin-1: names may then read oddly, which costs nothing since
 * de-identification replaces them, and geometry and timing are ASCII.
 */
export function neutralCharset(raw: string): string {
  const values = raw.split('\\').map((v) => v.trim());
  const norm = (v: string) => v.replace(/[_ ]/g, '-').toLowerCase();
  if (values.length === 1 && DECODABLE.has(norm(values[0]))) return values[0];
  return values.find((v) => v !== '' && DECODABLE.has(norm(v))) ?? 'ISO_IR 100';
}

/**
 * Rewrites every Specific Character Set value (sequence items carry their own) in place, padded
 * to its old length, so no enclosing length changes. The chosen value is one of the listed ones,
 * hence never longer than the original.
 */
function patchCharsets(body: Uint8Array, charsets: ScanResult['charsets']): Uint8Array {
  let out: Buffer | undefined;
  for (const c of charsets) {
    const raw = Buffer.from(body.subarray(c.valueStart, c.valueStart + c.length))
      .toString('latin1')
      .replace(/[\0 ]+$/, '');
    let neutral = neutralCharset(raw);
    if (neutral === raw) continue;
    if (neutral.length > c.length) neutral = '';
    out ??= Buffer.from(body);
    out.write(neutral.padEnd(c.length, ' '), c.valueStart, c.length, 'latin1');
  }
  return out ?? body;
}

function metaHeader(ts: string): Uint8Array {
  const tsValue = Buffer.from(ts.length % 2 ? `${ts}\0` : ts, 'latin1');
  const version = Buffer.from([0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01]);
  const tsEl = Buffer.alloc(8);
  tsEl.writeUInt16LE(0x0002, 0);
  tsEl.writeUInt16LE(0x0010, 2);
  tsEl.write('UI', 4, 'latin1');
  tsEl.writeUInt16LE(tsValue.length, 6);
  const groupBody = Buffer.concat([version, tsEl, tsValue]);
  const groupLen = Buffer.alloc(12);
  groupLen.writeUInt16LE(0x0002, 0);
  groupLen.writeUInt16LE(0x0000, 2);
  groupLen.write('UL', 4, 'latin1');
  groupLen.writeUInt16LE(4, 6);
  groupLen.writeUInt32LE(groupBody.length, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLen, groupBody]);
}

/** Frames one file's bytes for dcmjs, or throws a FileVerdictError (NOT_DICOM, TRUNCATED, PARSE_ERROR). */
export function frameDicom(bytes: Uint8Array): FramedDicom {
  const located = locateBody(bytes);
  let body = located.body;
  let bodySyntax = located.ts;
  if (located.ts === TransferSyntax.DeflatedExplicitVRLittleEndian) {
    try {
      body = inflateRawSync(body);
    } catch {
      reject('TRUNCATED', 'The deflated dataset could not be inflated: the file is truncated or corrupt.');
    }
    bodySyntax = TransferSyntax.ExplicitVRLittleEndian;
  }
  const enc = encodingOf(bodySyntax);
  const { elements, charsets } = scanTopLevel(body, enc);
  body = patchCharsets(body, charsets);
  if (elements.length === 0) reject('NOT_DICOM', 'The file holds no DICOM data elements.');
  const parts: Uint8Array[] = [metaHeader(located.ts === TransferSyntax.DeflatedExplicitVRLittleEndian ? TransferSyntax.ExplicitVRLittleEndian : located.ts)];
  for (const el of elements) {
    const group = el.tag >>> 16;
    const element = el.tag & 0xffff;
    if (group % 2 === 1 || group === 0x0002 || element === 0x0000 || group === 0xfffc) continue;
    if (enc.explicit && String.fromCharCode(body[el.start + 4], body[el.start + 5]) === 'UN') continue;
    parts.push(body.subarray(el.start, el.end));
  }
  return { transferSyntax: located.ts, part10: Buffer.concat(parts), guessedSyntax: located.guessed };
}
