export * from './generate.js';
export { writeMrImage, phantomPixelModule, MR_IMAGE_STORAGE, EXPLICIT_VR_LITTLE_ENDIAN, type DicomAttributes } from './dicom-write.js';
export { isValidUid } from './uid.js';
export { Tissue } from './canvas.js';
export { MIN_CORD_INDENT_MM } from './compression.js';
