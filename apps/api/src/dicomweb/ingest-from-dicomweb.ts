import type { Sql, FileStore } from '@concord/db';
import { displayUrl } from './dicomweb-endpoint.js';
import { dicomwebFiles } from './dicomweb-files.js';
import { ingest, type IngestProgress } from '../ingest/ingest.js';

export interface IngestFromDicomwebOptions {
  projectId: string;
  /** DICOMweb service root, e.g. http://user:pass@orthanc:8042/dicom-web. */
  baseUrl: string;
  studyUid?: string;
  /** Deployment secret for pseudonyms and de-identified UIDs (CONCORD_SECRET). */
  secret: string;
  createdBy?: string;
  onProgress?: (progress: IngestProgress) => void;
}

export type { IngestProgress };

/**
 * Pulls studies from a PACS over DICOMweb into a project through the ordinary ingest, so the same
 * de-identification, series rules and batch accounting apply as for uploads. The batch's source label
 * is the service root without credentials.
 */
export async function ingestFromDicomweb(sql: Sql, store: FileStore, opts: IngestFromDicomwebOptions) {
  const label = displayUrl(opts.baseUrl);
  return ingest(sql, store, {
    projectId: opts.projectId,
    source: { kind: 'buffers', label, files: dicomwebFiles(opts.baseUrl, { studyUid: opts.studyUid }) },
    secret: opts.secret,
    createdBy: opts.createdBy,
    onProgress: opts.onProgress,
  });
}
