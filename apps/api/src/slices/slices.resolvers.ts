import type { Resolvers } from '../graphql/generated.js';
import { imageUrl } from './image-url.js';
import { seriesById, slicesOfSeries } from './slices.queries.js';

/** A slice is reached only through a lease or an adjudication item, whose resolvers authorise it. */
export const slicesResolvers: Resolvers = {
  Slice: {
    imageUrl: (s) => imageUrl(s.id),
    series: async (s, _a, ctx) => (await seriesById(ctx.sql, s.seriesId))!,
  },
  Series: {
    slices: async (se, _a, ctx) => {
      const rows = await slicesOfSeries(ctx.sql, se.id);
      return rows.map((r) => ({ id: r.id, position: r.position, imageUrl: imageUrl(r.id) }));
    },
  },
};
