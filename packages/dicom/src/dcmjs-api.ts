/**
 * dcmjs ships no type declarations; this is the small part of it ingest uses, typed once.
 * Its logger prints every odd VR it meets to the console, so we silence it here: ingest reports
 * per file through ingest_files instead, and a log line could echo patient data.
 */
import { createRequire } from 'node:module';

export type NaturalDataset = Record<string, unknown>;

interface DicomDictInstance {
  meta: Record<string, unknown>;
  dict: Record<string, unknown>;
  write(options?: Record<string, unknown>): ArrayBuffer;
}

export interface DcmjsData {
  DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictInstance };
  DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
  DicomMetaDictionary: {
    naturalizeDataset(dict: Record<string, unknown>): NaturalDataset;
    denaturalizeDataset(ds: NaturalDataset): Record<string, unknown>;
  };
}

interface Logger {
  setLevel(level: string): void;
}
interface DcmjsModule {
  data: DcmjsData;
  log: Logger & { getLoggers(): Record<string, Logger>; getLogger(name: string): Logger };
}

const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsModule;
dcmjs.log.setLevel('silent');
dcmjs.log.getLogger('validation.dcmjs').setLevel('silent');
for (const logger of Object.values(dcmjs.log.getLoggers())) logger.setLevel('silent');

export const dcmjsData: DcmjsData = dcmjs.data;

/** An ArrayBuffer holding exactly these bytes (dcmjs wants ArrayBuffers, not views). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  // Buffer#slice is a view into a shared pool, so copy through Uint8Array.
  return new Uint8Array(bytes).buffer as ArrayBuffer;
}
