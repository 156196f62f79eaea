/**
 * Deterministic pseudonyms: the same secret and source value give the same output, so
 * re-ingesting a file maps to the rows it made before and nothing can be reversed without the secret.
 */
import { createHmac } from 'node:crypto';

function hmac(secret: string, purpose: string, value: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\0${value}`).digest();
}

/** Patient pseudonym: "P" + first 16 hex digits (64 bits) of HMAC-SHA256(secret, PatientID). */
export function patientPseudonym(secret: string, patientId: string): string {
  return `P${hmac(secret, 'patient', patientId).subarray(0, 8).toString('hex').toUpperCase()}`;
}

/** De-identified UID under the UUID-derived root 2.25 (PS3.5 B.2): 128 bits of HMAC as a decimal. */
export function pseudonymousUid(secret: string, uid: string): string {
  const digits = BigInt(`0x${hmac(secret, 'uid', uid).subarray(0, 16).toString('hex')}`).toString(10);
  return `2.25.${digits.replace(/^0+(?=\d)/, '')}`;
}
