import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildAppSchema } from '../../app/graphql/build-schema';
import { RESOLVERS as resolvers } from '../index';

/** Every mutation states who may call it: `@Authorized(...)` (on the method or its resolver class) or `@Public()`. */
function unguardedMutations(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage();
  const mutationType = schema.getMutationType();
  if (!mutationType) return [];
  const missing: string[] = [];
  for (const field of Object.values(mutationType.getFields())) {
    if (field.extensions?.public === true) continue;
    const defs = storage.mutations.filter((m) => m.schemaName === field.name);
    const authorized = defs.some(
      (m) =>
        storage.authorizedFields.some((a) => a.target === m.target && a.fieldName === m.methodName) ||
        storage.authorizedResolver.some((a) => a.target === m.target),
    );
    if (!authorized) missing.push(field.name);
  }
  return missing;
}

describe('auth rules of the schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema({ resolvers });
  });

  it('gives every mutation an auth rule or an explicit @Public() marker', () => {
    expect(unguardedMutations(schema)).toEqual([]);
  });

  it('sees the markers it relies on (so the walk above cannot pass vacuously)', () => {
    const fields = schema.getMutationType()!.getFields();
    expect(fields.logIn.extensions.public).toBe(true);
    expect(fields.signUp.extensions.public).toBe(true);
    expect(fields.updateProfile.extensions.public).toBeUndefined();
    expect(unguardedMutations(schema)).not.toContain('updateProfile');
  });

  it('reports a mutation without a rule', async () => {
    const { Mutation, Resolver } = await import('type-graphql');
    @Resolver()
    class UnguardedResolver {
      @Mutation(() => Boolean, { description: 'Has no auth rule on purpose.' })
      unguardedForTest(): boolean {
        return true;
      }
    }
    const withUnguarded = await buildAppSchema({ resolvers: [...resolvers, UnguardedResolver] });
    expect(unguardedMutations(withUnguarded)).toEqual(['unguardedForTest']);
  });
});
