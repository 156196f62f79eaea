import crypto from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * Apollo Server keys its parsed-and-validated document cache by the query's sha256, computed on
 * every request through `@apollo/utils.createhash`, which calls `module.require('crypto')` on
 * every call. Under tsx (how the API runs, `npm run serve` and the supervisor) every such require
 * goes through tsx's module resolver: 2.4% of the API's CPU in bench/labeling's saturated phase.
 * That module instance gets `crypto` handed to it instead; the hash and everything else are
 * unchanged. The instance is the one Apollo resolves (it is loaded here first if Apollo has not
 * loaded it yet; Node then shares it with the ESM import), so import order does not matter.
 * Returns whether the module was found as expected (a test checks it, so an upgrade that moves
 * it is noticed).
 */
export function handCryptoToApolloHash(): boolean {
  const fromApollo = createRequire(createRequire(import.meta.url).resolve('@apollo/server'));
  const file = fromApollo.resolve('@apollo/utils.createhash');
  fromApollo(file);
  const mod = fromApollo.cache[file];
  if (!mod) return false;
  const plain = mod.require.bind(mod);
  mod.require = Object.assign((id: string) => (id === 'crypto' ? crypto : plain(id)), plain);
  return true;
}
