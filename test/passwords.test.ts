import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from '../apps/api/src/auth/passwords.js';

/*
 * Made on 2026-12-01 by the `argon2` package (0.45.1) this project used before @node-rs/argon2,
 * with the options users were created with (argon2id, m=19456, t=2, p=1), for the password below.
 * Note its parameter order (m, p, t): the old package wrote them that way, and every stored
 * hash in a deployment looks like this one.
 */
const OLD_PACKAGE_HASH = '$argon2id$v=19$m=19456,p=1,t=2$Wunf4mMuWBUomhHp8GjKkw$n4KzbC4uNHY1aHsqddyIG63/qVnOIWY+gQvMx7va5NM';
const OLD_PASSWORD = 'concord-fixture-password';

test('[AU8] a hash written by the old argon2 package still verifies, and only for its password', async () => {
  assert.equal(await verifyPassword(OLD_PACKAGE_HASH, OLD_PASSWORD), true);
  assert.equal(await verifyPassword(OLD_PACKAGE_HASH, OLD_PASSWORD + ' '), false);
  assert.equal(await verifyPassword(OLD_PACKAGE_HASH, ''), false);
});

test('[AU8] new hashes are argon2id PHC strings with the same parameters; garbage hashes verify as false', async () => {
  const h = await hashPassword(OLD_PASSWORD);
  assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.notEqual(h, await hashPassword(OLD_PASSWORD), 'each hash has its own salt');
  assert.equal(await verifyPassword(h, OLD_PASSWORD), true);
  assert.equal(await verifyPassword(h, 'not it'), false);
  for (const bad of ['', 'plaintext', '$argon2id$v=19$m=19456,t=2,p=1$', OLD_PACKAGE_HASH.slice(0, -5)]) {
    assert.equal(await verifyPassword(bad, OLD_PASSWORD), false, `hash ${JSON.stringify(bad)}`);
  }
});
