/**
 * Phase 1 of ingest for one file, with no database and no I/O: bytes → the slices it yields, or
 * the verdict that ends it. Runs in ingest's worker threads (prepare-worker.ts) or in-thread.
 */
import { classify, type CandidateInfo } from './classify.js';
import { sliceOrigin, type SliceOrigin } from './slice-origin.js';
import type { NaturalDataset } from '@concord/dicom';
import { deidentify, deidentifiedIds } from './deidentify.js';
import { flattenFrame, frameCount, hasFunctionalGroups } from './enhanced.js';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
import { FileVerdictError, reject, type FileVerdict } from './outcome.js';
import { num, parseInstance, str } from './parse-instance.js';
import { decodeFrame, decodePixels, type DecodedImage } from './pixel-decode.js';
import { pseudonymousUid } from './pseudonym.js';
import type { SeriesRules } from './series-rules.js';
import { toSixteenBit, writeStoredSlice } from '@concord/dicom';

/** Where a slice split from a multi-frame object came from (de-identified UID, 1-based frame). */
export interface SliceSource {
  sopUid: string;
  frame: number;
  frames: number;
}

export interface PreparedSlice {
  info: CandidateInfo;
  ids: ReturnType<typeof deidentifiedIds>;
  stored: Uint8Array;
  windowCenter?: number;
  windowWidth?: number;
  lossy: boolean;
  source?: SliceSource;
  /** Original identity; written only for projects that allow re-identification (IN18, SR10). */
  origin: SliceOrigin;
}

/** One decoded image (a classic instance, or one flattened frame) to its stored form. */
function toSlice(
  secret: string,
  ds: NaturalDataset,
  info: CandidateInfo,
  image: DecodedImage,
  source?: { sopClassUid: string; sopUid: string; frame: number; frames: number },
): PreparedSlice {
  const sixteen = toSixteenBit(image.samples);
  if (!sixteen) throw new FileVerdictError({ status: 'REJECTED', reason: 'UNSUPPORTED_PIXEL_FORMAT', detail: 'The pixel values do not fit in 16 bits.' });
  const clean = deidentify(secret, ds);
  const sourceUid = source && pseudonymousUid(secret, source.sopUid);
  if (source) {
    // The stored slice names the frame it was cut from, for structured reports and exports.
    clean.SourceImageSequence = [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: sourceUid, ReferencedFrameNumber: source.frame }];
  }
  if (image.lossy) clean.LossyImageCompression = '01';
  return {
    info,
    ids: deidentifiedIds(secret, ds),
    stored: writeStoredSlice(clean, image.rows, image.cols, sixteen.pixels),
    windowCenter: num(ds, 'WindowCenter'),
    windowWidth: num(ds, 'WindowWidth'),
    lossy: image.lossy,
    source: source && { sopUid: sourceUid!, frame: source.frame, frames: source.frames },
    // A frame's original instance is the multi-frame object the PACS holds, not the flattened frame.
    origin: source ? { ...sliceOrigin(ds), sopUid: source.sopUid, sopClassUid: source.sopClassUid } : sliceOrigin(ds),
  };
}

/**
 * Phase 1 for one file: the slices it yields (one for a classic image, one per selected frame of
 * an enhanced multi-frame object), or the verdict that ends it. Compressed pixel data needs
 * loadCodecs() first.
 */
export function prepareFile(bytes: Uint8Array, secret: string, rules: SeriesRules, limits: IngestLimits = DEFAULT_LIMITS): PreparedSlice[] {
  const parsed = parseInstance(bytes);
  const ds = parsed.dataset;
  const frames = frameCount(ds);
  if (frames === 1 && !hasFunctionalGroups(ds)) {
    const info = classify(ds, rules, limits);
    return [toSlice(secret, ds, info, decodePixels(ds, parsed.transferSyntax))];
  }
  // Object-level verdicts (not an image, not MR, too large) come from the first frame alone.
  const first = flattenFrame(ds, 0);
  if (!hasFunctionalGroups(ds)) {
    classify(first.dataset, rules, limits);
    reject(
      'MULTIFRAME_UNSUPPORTED',
      `The image has ${frames} frames but no per-frame functional groups, so frames have no position of their own; export the series as classic single-frame MR or as enhanced MR.`,
    );
  }
  const picked: { frame: number; dataset: NaturalDataset; info: CandidateInfo; stackKey: string }[] = [];
  let firstVerdict: FileVerdictError | undefined;
  for (let frame = 0; frame < frames; frame++) {
    const flat = frame === 0 ? first : flattenFrame(ds, frame);
    try {
      picked.push({ frame, dataset: flat.dataset, info: classify(flat.dataset, rules, limits), stackKey: flat.stackKey });
    } catch (e) {
      if (!(e instanceof FileVerdictError)) throw e;
      firstVerdict ??= e;
    }
  }
  if (!picked.length) throw firstVerdict!;
  // Frames of several stacks or echoes in one object are several series of slices.
  const stacks = new Set(picked.map((p) => p.stackKey));
  const sopUid = str(ds, 'SOPInstanceUID') ?? '';
  const sopClassUid = str(ds, 'SOPClassUID') ?? '';
  return picked.map((p) => {
    const slice = toSlice(secret, p.dataset, p.info, decodeFrame(ds, parsed.transferSyntax, p.frame), { sopClassUid, sopUid, frame: p.frame + 1, frames });
    if (stacks.size > 1) slice.ids = { ...slice.ids, seriesUid: pseudonymousUid(secret, `${str(ds, 'SeriesInstanceUID') ?? ''}#stack ${p.stackKey}`) };
    return slice;
  });
}

export type PrepareResult = { ok: true; slices: PreparedSlice[] } | { ok: false; verdict: FileVerdict };

/** prepareFile as a value: a verdict instead of a throw, and no failure escapes. */
export function prepareOutcome(bytes: Uint8Array, secret: string, rules: SeriesRules, limits: IngestLimits): PrepareResult {
  try {
    return { ok: true, slices: prepareFile(bytes, secret, rules, limits) };
  } catch (e) {
    if (e instanceof FileVerdictError) return { ok: false, verdict: e.verdict };
    return { ok: false, verdict: { status: 'REJECTED', reason: 'PARSE_ERROR', detail: 'The file could not be read as DICOM (unexpected parser failure).' } };
  }
}
