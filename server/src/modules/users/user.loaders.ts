import DataLoader from 'dataloader';
import { byKeys, defineLoader } from '../../app/graphql/loaders.js';
import { User } from './user.entity.js';

/** Users by id, batched per request (authors of posts, comments, messages...). */
export const userById = defineLoader(
  (ctx) =>
    new DataLoader<number, User | null>(async (ids) => byKeys(ids, await ctx.em.find(User, { id: { $in: [...ids] } }), (u) => u.id, null)),
);
