import { Extensions, type AuthChecker } from 'type-graphql';
import { unauthenticated } from '../errors.js';
import type { AuthUser, Context } from './context.js';

export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  // Anonymous callers are UNAUTHENTICATED whatever the roles; a signed-in user lacking a role gets FORBIDDEN.
  if (!context.user) throw unauthenticated();
  return roles.length === 0 || roles.includes(context.user.role);
};

/** Marks an operation as intentionally open to anonymous callers (checked by the schema-walk test). */
export const Public = () => Extensions({ public: true });

/** Reads the caller from an `Authorization` header value: null when anonymous; throws on a bad token. */
export type Authenticate = (authorization: string | undefined | null) => AuthUser | null;
