export { dicomwebFiles, type DicomwebFile, type DicomwebFilesOptions } from './dicomweb-files.js';
export { ingestFromDicomweb, type IngestFromDicomwebOptions, type IngestProgress } from './ingest-from-dicomweb.js';
export { displayUrl } from './dicomweb-endpoint.js';
