import { GraphQLEnumType, GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, type ContainerType, type NonEmptyArray } from 'type-graphql';
import { ErrorCode } from '../errors.js';
import { authChecker } from './auth.js';
import type { PubSub } from './pubsub.js';
import { DateTimeScalar } from './scalars.js';

const ErrorCodeEnum = new GraphQLEnumType({
  name: 'ErrorCode',
  description: 'Values of `extensions.code` on errors returned by this API.',
  values: Object.fromEntries(Object.values(ErrorCode).map((code) => [code, { value: code }])),
});

// Schema emission needs no Redis: subscriptions are only resolved at run time.
const noPubSub = {
  publish: () => undefined,
  subscribe: () => {
    throw new Error('no pub/sub in this process');
  },
};

export async function buildAppSchema(options: {
  resolvers: NonEmptyArray<Function> | readonly Function[];
  container?: ContainerType;
  pubSub?: PubSub;
}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: options.resolvers as NonEmptyArray<Function>,
    container: options.container,
    pubSub: options.pubSub ?? noPubSub,
    authChecker,
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
  const config = schema.toConfig();
  const describe = (type: GraphQLObjectType | null | undefined, description: string) =>
    type ? new GraphQLObjectType({ ...type.toConfig(), description }) : undefined;
  const query = describe(config.query, 'Reads.');
  const mutation = describe(config.mutation, 'Writes.');
  const subscription = describe(config.subscription, 'Live events over graphql-ws (`graphql-transport-ws`) on the same path.');
  const roots = new Set([config.query?.name, config.mutation?.name, config.subscription?.name]);
  return new GraphQLSchema({
    ...config,
    query,
    mutation,
    subscription,
    types: [...config.types.filter((t) => !roots.has(t.name)), ErrorCodeEnum],
  });
}

/** The SDL committed as `schema.graphql`: sorted, so the file only changes when the schema does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
