import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  name: 'DateTime',
  description: 'An ISO-8601 date and time in UTC, e.g. `2026-07-01T09:00:00.000Z`.',
});

export const JSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  name: 'JSON',
  description: 'Free-form JSON value.',
});
