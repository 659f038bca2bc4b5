import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000_users } from './Migration20261126000000_users.js';

/** Every migration, in order. Listed explicitly so the same list runs from `src` (tests) and `dist`. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000000_users', class: Migration20261126000000_users },
];
