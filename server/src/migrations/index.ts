import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000_users } from './Migration20261126000000_users.js';
import { Migration20261126010000_auth } from './Migration20261126010000_auth.js';
import { Migration20261126020000_community } from './Migration20261126020000_community.js';
import { Migration20261126020100_vote_procedure } from './Migration20261126020100_vote_procedure.js';
import { Migration20261126020200_votes_seq } from './Migration20261126020200_votes_seq.js';
import { Migration20261126030000_weather_chat } from './Migration20261126030000_weather_chat.js';
import { Migration20261126040000_missions } from './Migration20261126040000_missions.js';
import { Migration20261126050000_resumes } from './Migration20261126050000_resumes.js';
import { Migration20261126060000_notifications } from './Migration20261126060000_notifications.js';
import { Migration20261126070000_mission_grant } from './Migration20261126070000_mission_grant.js';
import { Migration20261126070100_posts_recent_place } from './Migration20261126070100_posts_recent_place.js';
import { Migration20261126070200_notification_events_age } from './Migration20261126070200_notification_events_age.js';
import { Migration20261204000000_outbox } from './Migration20261204000000_outbox.js';
import { Migration20261204000100_mission_grant_events } from './Migration20261204000100_mission_grant_events.js';
import { Migration20261204000200_idempotency_keys } from './Migration20261204000200_idempotency_keys.js';

/** Every migration, in order. Listed explicitly so the same list runs from `src` (tests) and `dist`. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000000_users', class: Migration20261126000000_users },
  { name: 'Migration20261126010000_auth', class: Migration20261126010000_auth },
  { name: 'Migration20261126020000_community', class: Migration20261126020000_community },
  { name: 'Migration20261126020100_vote_procedure', class: Migration20261126020100_vote_procedure },
  { name: 'Migration20261126020200_votes_seq', class: Migration20261126020200_votes_seq },
  { name: 'Migration20261126030000_weather_chat', class: Migration20261126030000_weather_chat },
  { name: 'Migration20261126040000_missions', class: Migration20261126040000_missions },
  { name: 'Migration20261126050000_resumes', class: Migration20261126050000_resumes },
  { name: 'Migration20261126060000_notifications', class: Migration20261126060000_notifications },
  { name: 'Migration20261126070000_mission_grant', class: Migration20261126070000_mission_grant },
  { name: 'Migration20261126070100_posts_recent_place', class: Migration20261126070100_posts_recent_place },
  { name: 'Migration20261126070200_notification_events_age', class: Migration20261126070200_notification_events_age },
  { name: 'Migration20261204000000_outbox', class: Migration20261204000000_outbox },
  { name: 'Migration20261204000100_mission_grant_events', class: Migration20261204000100_mission_grant_events },
  { name: 'Migration20261204000200_idempotency_keys', class: Migration20261204000200_idempotency_keys },
];
