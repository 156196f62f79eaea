/**
 * DICOM RLE Lossless (PS3.5 Annex G) for one greyscale frame: a 64-byte header of up to 15
 * segment offsets, one PackBits segment per byte plane, most significant plane first.
 * Returns little endian native bytes.
 */
export function decodeRle(frame: Uint8Array, rows: number, cols: number, bitsAllocated: number): Uint8Array {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  if (segments !== bytesPerSample) throw new Error(`RLE frame has ${segments} segments, expected ${bytesPerSample}`);
  const count = rows * cols;
  const out = new Uint8Array(count * bytesPerSample);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? view.getUint32(8 + s * 4, true) : frame.length;
    // Segment 0 holds the most significant byte; little endian puts it last.
    const byteIndex = bytesPerSample - 1 - s;
    let pos = start;
    let px = 0;
    while (px < count && pos < end) {
      const n = (frame[pos++] << 24) >> 24;
      if (n >= 0) {
        for (let i = 0; i <= n && px < count; i++) out[px++ * bytesPerSample + byteIndex] = frame[pos++];
      } else if (n !== -128) {
        const v = frame[pos++];
        for (let i = 0; i < 1 - n && px < count; i++) out[px++ * bytesPerSample + byteIndex] = v;
      }
    }
    if (px < count) throw new Error('RLE segment ends early');
  }
  return out;
}
