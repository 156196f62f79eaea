/** Tiny synthetic MR files for ingest tests, written with dcmjs; parameters are in the names. */
import zlib from 'node:zlib';
import { dcmjsData } from '@concord/dicom';

export const SECRET = 'test-secret';

export interface FixtureSlice {
  patientId: string;
  patientName: string;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  description: string;
  echoTime?: number;
  repetitionTime?: number;
  orientation: number[];
  position?: number[];
  rows?: number;
  cols?: number;
  /** Filled into every pixel, so tests can tell slices apart after ingest. */
  fill: number;
}

export const AXIAL = [1, 0, 0, 0, 1, 0];
export const SAGITTAL = [0, 1, 0, 0, 0, -1];

export function mrFile(s: FixtureSlice): Uint8Array {
  const rows = s.rows ?? 8;
  const cols = s.cols ?? 8;
  const pixels = new Uint16Array(rows * cols).fill(s.fill);
  pixels[0] = 0;
  const ds: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
    SOPInstanceUID: s.sopUid,
    StudyInstanceUID: s.studyUid,
    SeriesInstanceUID: s.seriesUid,
    FrameOfReferenceUID: `${s.studyUid}.9`,
    Modality: 'MR',
    PatientName: s.patientName,
    PatientID: s.patientId,
    PatientBirthDate: '19600101',
    StudyDate: '20240102',
    InstitutionName: 'General Hospital',
    SeriesDescription: s.description,
    ImageOrientationPatient: s.orientation,
    PixelSpacing: [0.5, 0.5],
    SliceThickness: 3,
    Rows: rows,
    Columns: cols,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    WindowCenter: 500,
    WindowWidth: 1000,
    PixelData: [pixels.buffer],
    _vrMap: { PixelData: 'OW' },
  };
  if (s.position) ds.ImagePositionPatient = s.position;
  if (s.echoTime !== undefined) ds.EchoTime = s.echoTime;
  if (s.repetitionTime !== undefined) ds.RepetitionTime = s.repetitionTime;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: s.sopUid,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.3.4',
  };
  const dict = new dcmjsData.DicomDict(dcmjsData.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = dcmjsData.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}

/**
 * One patient: an axial T2 series of `n` slices (fill = 100 + z index, files shuffled), a T1
 * sagittal series of 3 slices, and a T2 axial series with two slices at one position.
 */
export function patientFiles(tag: string, n = 5): { name: string; bytes: Uint8Array }[] {
  const base = { patientId: `PID-${tag}-SECRET`, patientName: `Doe^Jane${tag}`, studyUid: `1.2.826.0.1.${tag}.1` };
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      name: `${tag}/ax_t2/slice_${(i * 7) % n}.dcm`,
      bytes: mrFile({
        ...base,
        seriesUid: `${base.studyUid}.2`,
        sopUid: `${base.studyUid}.2.${i}`,
        description: 'T2 TSE AX',
        echoTime: 100,
        repetitionTime: 3000,
        orientation: AXIAL,
        position: [0, 0, 10 - 4 * i],
        fill: 100 + (n - 1 - i),
      }),
    });
  }
  for (let i = 0; i < 3; i++) {
    out.push({
      name: `${tag}/sag_t1/${i}.dcm`,
      bytes: mrFile({
        ...base,
        seriesUid: `${base.studyUid}.3`,
        sopUid: `${base.studyUid}.3.${i}`,
        description: 'T1 SAG',
        echoTime: 10,
        repetitionTime: 500,
        orientation: SAGITTAL,
        position: [i * 3, 0, 0],
        fill: 50,
      }),
    });
  }
  for (let i = 0; i < 2; i++) {
    out.push({
      name: `${tag}/ax_t2_bad/${i}.dcm`,
      bytes: mrFile({
        ...base,
        seriesUid: `${base.studyUid}.4`,
        sopUid: `${base.studyUid}.4.${i}`,
        description: 'T2 AX repeat',
        echoTime: 100,
        repetitionTime: 3000,
        orientation: AXIAL,
        position: [0, 0, 5],
        fill: 70,
      }),
    });
  }
  out.push({ name: `${tag}/notes.txt`, bytes: new TextEncoder().encode('not a dicom file\n') });
  return out;
}

/** A minimal stored (uncompressed) zip archive, enough for yauzl. */
export function storedZip(files: { name: string; bytes: Uint8Array }[]): Buffer {
  // zlib.crc32 exists from Node 20.15; @types/node may lag.
  const { crc32 } = zlib as unknown as { crc32: (b: Uint8Array) => number };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const crc = crc32(f.bytes) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.bytes.length, 18);
    local.writeUInt32LE(f.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(f.bytes.length, 20);
    central.writeUInt32LE(f.bytes.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(f.bytes));
    centrals.push(central, name);
    offset += 30 + name.length + f.bytes.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
