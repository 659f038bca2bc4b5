import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAppSchema, printAppSchema } from '../app/graphql/build-schema.js';
import { RESOLVERS } from '../modules/index.js';

// Writes ../schema.graphql from the resolvers alone; no database or Redis needed.
async function main() {
  const target = resolve(__dirname, '../../../schema.graphql');
  writeFileSync(target, printAppSchema(await buildAppSchema({ resolvers: RESOLVERS })));
  process.stdout.write(`wrote ${target}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
