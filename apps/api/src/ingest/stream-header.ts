/**
 * Reads the image size a compressed stream declares, before any decoder sees it. A codec
 * allocates what its stream header says, whatever Rows and Columns say, so a small file can claim
 * a huge frame; comparing the two first keeps the resource caps honest.
 */

export interface StreamSize {
  width: number;
  height: number;
  /** JPEG sample precision in bits (SOF P); absent for JPEG 2000. */
  precision?: number;
}

/** JPEG start-of-frame markers (all DCT and lossless processes) and JPEG-LS SOF55. */
function isSof(marker: number): boolean {
  return (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xf7;
}

function jpegFrameSize(b: Uint8Array): StreamSize | undefined {
  let pos = 2;
  while (pos + 4 <= b.length) {
    if (b[pos] !== 0xff) return undefined;
    const marker = b[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const len = (b[pos + 2] << 8) | b[pos + 3];
    if (isSof(marker)) {
      if (pos + 9 > b.length) return undefined;
      return { precision: b[pos + 4], height: (b[pos + 5] << 8) | b[pos + 6], width: (b[pos + 7] << 8) | b[pos + 8] };
    }
    if (marker === 0xda || len < 2) return undefined; // a scan before any frame header
    pos += 2 + len;
  }
  return undefined;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** JPEG 2000 / HTJ2K SIZ segment: Xsiz − XOsiz by Ysiz − YOsiz. */
function sizAt(b: Uint8Array, pos: number): StreamSize | undefined {
  // FF51 Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4)
  if (pos + 22 > b.length) return undefined;
  const x = u32(b, pos + 6);
  const y = u32(b, pos + 10);
  const xo = u32(b, pos + 14);
  const yo = u32(b, pos + 18);
  if (x < xo || y < yo) return undefined;
  return { width: x - xo, height: y - yo };
}

export function declaredStreamSize(b: Uint8Array): StreamSize | undefined {
  if (b.length < 4) return undefined;
  if (b[0] === 0xff && b[1] === 0xd8) return jpegFrameSize(b);
  if (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) return sizAt(b, 2);
  // A JP2 file wraps the codestream in boxes; its SIZ follows the first SOC.
  const limit = Math.min(b.length - 4, 64 * 1024);
  for (let i = 0; i < limit; i++) {
    if (b[i] === 0xff && b[i + 1] === 0x4f && b[i + 2] === 0xff && b[i + 3] === 0x51) return sizAt(b, i + 2);
  }
  return undefined;
}
