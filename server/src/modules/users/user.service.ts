import type { EntityManager } from '@mikro-orm/mysql';
import { badInput, notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ReverseGeocoder } from '../geo/reverse-geocoder.js';
import { User, UserRole } from './user.entity.js';
import type { UpdateProfileInput } from './user.inputs.js';
import { userById } from './user.loaders.js';
import { mapDuplicate, nicknameKey, normalizeNickname, violatedIndex, NICKNAME_MAX } from './user.rules.js';

export class UserService {
  private readonly signedIn = new WeakMap<object, number>();

  constructor(
    private readonly infra: Pick<Infra, 'config'>,
    nodes: NodeRegistry,
    /** Derives `homeProvince` from the home location when configured (e.g. Kakao Local); null: the user picks it. */
    private readonly geocoder: ReverseGeocoder | null = null,
  ) {
    nodes.register('User', (ctx, id) => this.findById(ctx, id));
  }

  findById(ctx: Context, id: number): Promise<User | null> {
    return userById(ctx).load(id);
  }

  async me(ctx: Context): Promise<User | null> {
    return ctx.user ? this.findById(ctx, ctx.user.id) : null;
  }

  /** Whether the viewer may see private details of `user` (email): themself or an admin. */
  canSeePrivate(ctx: Context, user: User): boolean {
    if (this.signedIn.get(ctx.loaders) === user.id) return true;
    return !!ctx.user && (ctx.user.id === user.id || ctx.user.role === 'ADMIN');
  }

  /**
   * The operation that signed `userId` in (signUp, logIn...) answers with that user: let it see its own private
   * fields although the request itself was anonymous. Keyed by the per-operation context; nothing else changes.
   */
  rememberSignIn(ctx: Context, userId: number): void {
    this.signedIn.set(ctx.loaders, userId);
  }

  /** Ids of users whose home is in `province`, in id order from `afterId`, at most `limit`. */
  async idsInProvince(em: EntityManager, province: string, afterId: number, limit: number): Promise<number[]> {
    const rows = await em.find(User, { homeProvince: province, id: { $gt: afterId } }, { fields: ['id'], orderBy: { id: 'asc' }, limit });
    return rows.map((u) => u.id);
  }

  isAdminEmail(email: string): boolean {
    return this.infra.config.ADMIN_EMAILS.includes(email.toLowerCase());
  }

  /** Promotes a user whose email is listed in ADMIN_EMAILS (never demotes: roles may also be granted by admins). */
  applyAdminEmails(user: User): void {
    if (user.email && user.role !== UserRole.ADMIN && this.isAdminEmail(user.email)) user.role = UserRole.ADMIN;
  }

  /** The user with this (normalised) email, with its password hash loaded. */
  findByEmailWithPassword(em: EntityManager, email: string): Promise<User | null> {
    return em.findOne(User, { email }, { populate: ['passwordHash'] });
  }

  findByKakaoId(em: EntityManager, kakaoId: string): Promise<User | null> {
    return em.findOne(User, { kakaoId });
  }

  /** Inserts an account; a duplicate email or nickname (decided by the unique indexes) is a CONFLICT. */
  async createWithPassword(em: EntityManager, data: { email: string; nickname: string; passwordHash: string }): Promise<User> {
    const user = em.create(User, { ...data, nicknameKey: nicknameKey(data.nickname) });
    this.applyAdminEmails(user);
    try {
      await em.flush();
    } catch (err) {
      em.clear();
      mapDuplicate(err);
    }
    return user;
  }

  /**
   * First Kakao login: a new account with a nickname derived from the Kakao profile (suffixed on collision).
   * A concurrent first login of the same Kakao user returns the account the other request created.
   */
  async createKakaoUser(em: EntityManager, data: { kakaoId: string; nickname: string | null; email: string | null }): Promise<User> {
    const base = nicknameBase(data.nickname);
    let email = data.email;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const suffix = attempt === 0 ? '' : attempt < 10 ? `_${attempt + 1}` : `_${Math.floor(Math.random() * 1e6)}`;
      const nickname = [...base].slice(0, NICKNAME_MAX - suffix.length).join('') + suffix;
      const fork = em.fork();
      const user = fork.create(User, { kakaoId: data.kakaoId, nickname, nicknameKey: nicknameKey(nickname), email });
      this.applyAdminEmails(user);
      try {
        await fork.flush();
        return em.merge(user);
      } catch (err) {
        const index = violatedIndex(err);
        if (!index) throw err;
        // A concurrent first login of the same Kakao user won (its row may collide on any index first).
        const existing = await em.fork().findOne(User, { kakaoId: data.kakaoId });
        if (existing) return em.merge(existing);
        if (index === 'nickname') continue;
        // The email belongs to another account: never merge into it; keep the Kakao account without email.
        if (index === 'email') {
          email = null;
          attempt -= 1;
          continue;
        }
        throw err;
      }
    }
    throw new Error('could not find a free nickname');
  }

  async updateProfile(ctx: Context, input: UpdateProfileInput): Promise<User> {
    const em = ctx.em;
    const user = await em.findOne(User, { id: ctx.user!.id });
    if (!user) throw notFound('Your account');

    // Each field's own rules are on UpdateProfileInput; the pair rule spans two fields.
    const nickname = input.nickname == null ? undefined : normalizeNickname(input.nickname);
    const { homeLatitude: lat, homeLongitude: lng } = input;
    if ((lat === undefined) !== (lng === undefined) || (lat === null) !== (lng === null)) {
      throw badInput({ homeLatitude: ['homeLatitude and homeLongitude go together'] });
    }

    if (nickname !== undefined) {
      user.nickname = nickname;
      user.nicknameKey = nicknameKey(nickname);
    }
    if (lat !== undefined && lng !== undefined) {
      user.homeLatitude = lat;
      user.homeLongitude = lng;
    }
    if (input.homeProvince !== undefined) user.homeProvince = input.homeProvince;
    if (this.geocoder && lat != null && lng != null) {
      user.homeProvince = (await this.geocoder.provinceAt(lat, lng)) ?? user.homeProvince;
    }
    try {
      await em.flush();
    } catch (err) {
      em.clear();
      mapDuplicate(err);
    }
    return user;
  }

  async setRole(ctx: Context, id: number, role: UserRole): Promise<User> {
    const user = await ctx.em.findOne(User, { id });
    if (!user) throw notFound('The user');
    user.role = role;
    await ctx.em.flush();
    return user;
  }
}

/** A valid nickname from a Kakao profile name: disallowed characters become `_`, too short names get a default. */
function nicknameBase(raw: string | null): string {
  const cleaned = (raw ?? '')
    .normalize('NFC')
    .replace(/[^\p{L}0-9_]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  const base = [...cleaned].slice(0, NICKNAME_MAX).join('');
  return [...base].length >= 2 ? base : `kakao_${base || 'user'}`.slice(0, NICKNAME_MAX);
}
