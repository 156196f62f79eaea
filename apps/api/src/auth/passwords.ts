import argon2 from 'argon2';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): strong enough, and cheap enough that a
// 200-labeler login burst does not stall a 2-core API node.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, OPTIONS);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so timing does not reveal which users exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('concord-timing-equaliser');
  return dummyHash;
}
