/**
 * Compressed and enhanced MR fixtures made by real tools from an uncompressed axial T2 series:
 * Debian's gdcm (gdcmconv), dcmtk (dcmcjpls, dcmcjpeg) and openjph (ojph_compress). The series
 * carries textured 12-bit pixels so codecs have real work and a wrong decode cannot pass.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dcmjsData } from '@concord/dicom';

export const TOOLS = ['gdcmconv', 'dcmcjpls', 'dcmcjpeg', 'ojph_compress'] as const;

export function missingTools(): string[] {
  return TOOLS.filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

export interface SeriesFile {
  name: string;
  path: string;
  pixels: Uint16Array;
  z: number;
  rows: number;
  cols: number;
}

const ROWS = 64;
const COLS = 48;
const STUDY = '1.2.826.0.1.77.1';
const SERIES = `${STUDY}.2`;

/** 12-bit texture: a body-like disc, a gradient and seeded noise, different on every slice. */
function texture(slice: number, rows: number, cols: number): Uint16Array {
  let seed = 0x9e3779b9 ^ (slice * 7919);
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0xffffffff;
  };
  const px = new Uint16Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = Math.hypot(r - rows / 2, c - cols / 2);
      const body = d < 0.42 * Math.min(rows, cols) ? 1800 + 40 * slice : 60;
      px[r * cols + c] = Math.min(4095, Math.round(body + (720 * c) / cols + 400 * rand()));
    }
  }
  return px;
}

function write(ds: Record<string, unknown>, ts: string): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: ds.SOPInstanceUID,
    TransferSyntaxUID: ts,
    ImplementationClassUID: '1.2.3.4',
  };
  const dict = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}

const COMMON = {
  SpecificCharacterSet: 'ISO_IR 100',
  StudyInstanceUID: STUDY,
  SeriesInstanceUID: SERIES,
  FrameOfReferenceUID: `${STUDY}.9`,
  Modality: 'MR',
  PatientName: 'Codec^Patient',
  PatientID: 'PID-CODEC-SECRET',
  SeriesDescription: 'T2 TSE AX',
  SamplesPerPixel: 1,
  PhotometricInterpretation: 'MONOCHROME2',
  BitsAllocated: 16,
  BitsStored: 12,
  HighBit: 11,
  PixelRepresentation: 0,
};

/** `n` classic axial T2 slices, Explicit VR Little Endian, 4 mm apart, written to `dir`. */
export function classicSeries(dir: string, n: number, size: { rows: number; cols: number } = { rows: ROWS, cols: COLS }): SeriesFile[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: SeriesFile[] = [];
  for (let i = 0; i < n; i++) {
    const pixels = texture(i, size.rows, size.cols);
    const z = -20 + 4 * i;
    const bytes = write(
      {
        ...COMMON,
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
        SOPInstanceUID: `${SERIES}.${i}`,
        InstanceNumber: i + 1,
        Rows: size.rows,
        Columns: size.cols,
        EchoTime: 100,
        RepetitionTime: 3000,
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        ImagePositionPatient: [0, 0, z],
        PixelSpacing: [0.5, 0.5],
        SliceThickness: 3,
        WindowCenter: 2000,
        WindowWidth: 4000,
        PixelData: [pixels.buffer],
        _vrMap: { PixelData: 'OW' },
      },
      '1.2.840.10008.1.2.1',
    );
    const file = path.join(dir, `slice_${i}.dcm`);
    fs.writeFileSync(file, bytes);
    out.push({ name: `slice_${i}.dcm`, path: file, pixels, z, ...size });
  }
  return out;
}

/** Runs a converter on every file of `files` into `dir`. */
export function convertAll(files: SeriesFile[], dir: string, tool: string, args: string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) execFileSync(tool, [...args, f.path, path.join(dir, f.name)], { stdio: 'pipe' });
  return dir;
}

/** HTJ2K: openjph compresses each slice's pixels (16-bit PGM) and the codestream is wrapped in DICOM. */
export function htj2kSeries(files: SeriesFile[], dir: string, reversible: boolean): string {
  fs.mkdirSync(dir, { recursive: true });
  files.forEach((f, i) => {
    const pgm = path.join(dir, `${i}.pgm`);
    const j2c = path.join(dir, `${i}.j2c`);
    const body = Buffer.alloc(f.pixels.length * 2);
    f.pixels.forEach((v, k) => {
      body.writeUInt16BE(v, k * 2);
    });
    fs.writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n${f.cols} ${f.rows}\n4095\n`, 'latin1'), body]));
    execFileSync('ojph_compress', ['-i', pgm, '-o', j2c, '-reversible', String(reversible), ...(reversible ? [] : ['-qstep', '0.001'])], { stdio: 'pipe' });
    const stream = fs.readFileSync(j2c);
    const bytes = write(
      {
        ...COMMON,
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
        SOPInstanceUID: `${SERIES}.${i}`,
        Rows: f.rows,
        Columns: f.cols,
        EchoTime: 100,
        RepetitionTime: 3000,
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        ImagePositionPatient: [0, 0, f.z],
        PixelSpacing: [0.5, 0.5],
        PixelData: [stream.buffer.slice(stream.byteOffset, stream.byteOffset + stream.byteLength)],
        _vrMap: { PixelData: 'OB' },
      },
      reversible ? '1.2.840.10008.1.2.4.201' : '1.2.840.10008.1.2.4.203',
    );
    fs.writeFileSync(path.join(dir, f.name), bytes);
    fs.rmSync(pgm);
    fs.rmSync(j2c);
  });
  return dir;
}

/**
 * One Enhanced MR object holding the series as frames, in the order `frameOrder` (indices into
 * `files`, repeats allowed), with the functional groups a scanner writes: shared pixel measures,
 * orientation, timing and VOI; per-frame position, echo (`echoTimes[k]` for frame k) and frame
 * content (stack id, in-stack position).
 */
export function enhancedFile(files: SeriesFile[], file: string, frameOrder: number[], opts: { echoTime?: number; echoTimes?: number[] } = {}): string {
  const frames = frameOrder.map((i) => files[i]);
  const { rows, cols } = frames[0];
  const pixels = new Uint16Array(rows * cols * frames.length);
  frames.forEach((f, k) => {
    pixels.set(f.pixels, k * rows * cols);
  });
  const bytes = write(
    {
      ...COMMON,
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.4.1',
      SOPInstanceUID: `${SERIES}.enh`,
      InstanceNumber: 1,
      Rows: rows,
      Columns: cols,
      NumberOfFrames: frames.length,
      ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'NONE'],
      EchoPulseSequence: 'SPIN',
      EchoPlanarPulseSequence: 'NO',
      InversionRecovery: 'NO',
      SharedFunctionalGroupsSequence: [
        {
          PixelMeasuresSequence: [{ PixelSpacing: [0.5, 0.5], SliceThickness: 3, SpacingBetweenSlices: 4 }],
          PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }],
          MRTimingAndRelatedParametersSequence: [{ RepetitionTime: 3000, FlipAngle: 90 }],
          FrameVOILUTSequence: [{ WindowCenter: 2000, WindowWidth: 4000 }],
          PixelValueTransformationSequence: [{ RescaleIntercept: 0, RescaleSlope: 1, RescaleType: 'US' }],
          MRImageFrameTypeSequence: [{ FrameType: ['ORIGINAL', 'PRIMARY', 'M', 'NONE'], AcquisitionContrast: 'T2' }],
        },
      ],
      PerFrameFunctionalGroupsSequence: frames.map((f, k) => ({
        FrameContentSequence: [{ StackID: '1', InStackPositionNumber: frameOrder[k] + 1, DimensionIndexValues: [1, frameOrder[k] + 1] }],
        PlanePositionSequence: [{ ImagePositionPatient: [0, 0, f.z] }],
        MREchoSequence: [{ EffectiveEchoTime: opts.echoTimes?.[k] ?? opts.echoTime ?? 100 }],
      })),
      PixelData: [pixels.buffer],
      _vrMap: { PixelData: 'OW' },
    },
    '1.2.840.10008.1.2.1',
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}
