// Typed client operations from the committed schema (never a running server):
// client/src/**/*.graphql -> client/src/__generated__/graphql.ts. `npm run codegen` at the root.
// CODEGEN_OUT redirects the output (the drift check regenerates to a temporary file and compares); CODEGEN_SCHEMA
// reads another SDL file (to try operations against a schema that is not committed yet).
import type { CodegenConfig } from '@graphql-codegen/cli';

const out = process.env.CODEGEN_OUT ?? 'client/src/__generated__/graphql.ts';

const config: CodegenConfig = {
  overwrite: true,
  schema: process.env.CODEGEN_SCHEMA ?? './schema.graphql',
  documents: ['client/src/**/*.graphql'],
  generates: {
    [out]: {
      // typescript-operations 6 emits the input and enum types the operations use by itself; adding the
      // `typescript` plugin as well would declare them twice.
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumType: 'string-literal',
        useTypeImports: true,
      },
    },
  },
};

export default config;
