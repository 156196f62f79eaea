import type { CodegenConfig } from '@graphql-codegen/cli';

// The same type shapes on both sides of the wire: string enums, string ids, null (not undefined)
// for missing values.
const shared = {
  enumsAsTypes: true,
  scalars: { ID: 'string' },
  avoidOptionals: { field: true, inputValue: false, object: false },
  maybeValue: 'T | null',
};

// Schema-first: schema.graphql is the source, these types are generated from it.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'apps/api/src/graphql/generated.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        contextType: '../server/context.js#RequestContext',
        ...shared,
        useIndexSignature: false,
        mappers: {
          Project: './models.js#ProjectModel',
          User: './models.js#UserModel',
          Assignment: './models.js#AssignmentModel',
          Slice: './models.js#SliceModel',
          Series: './models.js#SeriesModel',
          AdjudicationItem: './models.js#AdjudicationItemModel',
          IngestBatch: './models.js#IngestBatchModel',
          ModelVersion: './models.js#ModelVersionModel',
        },
      },
    },
    // The web app's documents, typed from the same schema: every query's result and variables are
    // generated, so no page keeps a hand-written copy of an API shape. Documents stay plain strings
    // (documentMode 'string'): the app posts them with fetch and needs no GraphQL client runtime.
    'apps/web/lib/gql/': {
      documents: ['apps/web/**/*.{ts,tsx}', '!apps/web/lib/gql/**', '!apps/web/node_modules/**', '!apps/web/.next/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        ...shared,
        documentMode: 'string',
        useTypeImports: true,
      },
    },
  },
};
export default config;
