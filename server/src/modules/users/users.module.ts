import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { ReverseGeocoder } from '../geo/reverse-geocoder.js';
import { User } from './user.entity.js';
import { UserResolver } from './user.resolver.js';
import { UserService } from './user.service.js';

export const USERS_ENTITIES = [User];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const USERS_RESOLVERS = [UserResolver];

/** Accounts' public side: profiles, nicknames, home province, roles. */
export function createUsersModule(deps: { infra: Infra; nodes: NodeRegistry; geocoder: ReverseGeocoder | null }) {
  const users = new UserService(deps.infra, deps.nodes, deps.geocoder);
  return { users, resolvers: [new UserResolver(users)] } satisfies ModuleParts & Record<string, unknown>;
}
