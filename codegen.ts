import type { CodegenConfig } from '@graphql-codegen/cli';

// The same type shapes on both sides of the wire: string enums, string ids, null (not undefined)
// for missing values.
const shared = {
  enumsAsTypes: true,
  scalars: { ID: 'string' },
  avoidOptionals: { field: true, inputValue: false, object: false },
  maybeValue: 'T | null',
  // Closed sets the contracts package already names: the generated types are those unions, not copies.
  enumValues: {
    Role: '@concord/contracts#Role',
    AlStrategy: '@concord/contracts#Strategy',
  },
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
        // Enums imported from @concord/contracts are re-exported: isolatedModules needs type-only imports.
        useTypeImports: true,
        // Each parent type is the row its feature's query returns, declared beside that SQL.
        mappers: {
          Project: '../projects/projects.queries.js#ProjectRow',
          User: '../users/users.queries.js#UserRow',
          Assignment: '../assignment/assignment.queries.js#AssignmentRow',
          Slice: '../slices/slices.queries.js#SliceRow',
          Series: '../slices/slices.queries.js#SeriesRow',
          AdjudicationItem: '../adjudication/adjudication.queries.js#QueueItemRow',
          IngestBatch: '../ingest/ingest-batches.queries.js#IngestBatchRow',
          ModelVersion: '../model-versions/model-versions.queries.js#ModelVersionRow',
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
