import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { RESOLVERS } from '../../modules/index';
import { buildAppSchema, printAppSchema } from './build-schema';

describe('schema.graphql', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema({ resolvers: RESOLVERS });
  });

  it('matches what the server generates (run `npm run schema:emit` after changing resolvers)', () => {
    const committed = readFileSync(join(__dirname, '../../../../schema.graphql'), 'utf8');
    expect(printAppSchema(schema)).toBe(committed);
  });

  it('describes every type and field', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('exposes no secret-looking field', () => {
    const forbidden = /password|hash|secret|kakaoId|latitude|longitude|refreshTokenHash/i;
    const exposed: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) if (forbidden.test(field.name)) exposed.push(`${type.name}.${field.name}`);
    }
    expect(exposed).toEqual([]);
  });
});
