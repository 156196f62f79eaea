import { hash, verify, type Algorithm } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): strong enough, and cheap enough that a
// 200-labeler login burst does not stall a 2-core API node.
// @node-rs/argon2 ships prebuilt binaries for every platform, so `npm ci` never compiles; its
// hashes are the same PHC strings the earlier `argon2` package wrote, and it verifies those (AU8).
// `Algorithm` is a declared const enum with no runtime object, so its member is written as its value.
const ARGON2ID = 2 as Algorithm.Argon2id;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, OPTIONS);
}

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await verify(hash, plain);
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
