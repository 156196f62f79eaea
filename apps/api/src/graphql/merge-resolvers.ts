import type { Resolvers } from './generated.js';

/**
 * One resolver map from the features' maps. A field two features both resolve is a wiring
 * mistake, refused when the server starts rather than letting the later map win silently.
 */
export function mergeResolvers(...maps: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      merged[typeName] ??= {};
      const into = merged[typeName];
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (Object.hasOwn(into, field)) throw new Error(`${typeName}.${field} is resolved by two features`);
        into[field] = resolver;
      }
    }
  }
  return merged as Resolvers;
}
