import { createHash } from 'node:crypto';

/**
 * A DICOM UID under the 2.25 root (ITU-T X.667: a UUID as one decimal number), derived from the
 * seed and a purpose string, so regenerating with the same seed gives the same UIDs.
 */
export function phantomUid(seed: string, ...parts: (string | number)[]): string {
  const digest = createHash('sha256')
    .update(['concord-phantom', seed, ...parts].join('|'))
    .digest();
  let n = BigInt('0x' + digest.subarray(0, 16).toString('hex'));
  if (n === 0n) n = 1n;
  return `2.25.${n.toString(10)}`;
}

const UID_SYNTAX = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && UID_SYNTAX.test(uid);
}
