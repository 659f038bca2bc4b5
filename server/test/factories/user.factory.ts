import type { TestApi } from '../create-test-app';
import { User, UserRole } from '../../src/modules/users/user.entity';

let seq = 0;

/** Inserts a user directly and signs an access token for it (for tests of features other than sign-up). */
export async function createUser(
  api: Pick<TestApi, 'infra' | 'modules'>,
  overrides: Partial<Pick<User, 'email' | 'nickname' | 'role' | 'homeProvince' | 'homeLatitude' | 'homeLongitude'>> = {},
): Promise<{ user: User; token: string }> {
  seq += 1;
  const tag = `${process.env.JEST_WORKER_ID ?? 1}x${seq}x${Date.now().toString(36)}`;
  const em = api.infra.orm.em.fork();
  const nickname = overrides.nickname ?? `user_${tag}`.slice(0, 20);
  const user = em.create(User, {
    email: overrides.email ?? `${tag}@test.kr`,
    nickname,
    nicknameKey: nickname.normalize('NFC').toLowerCase(),
    role: overrides.role ?? UserRole.USER,
    homeProvince: overrides.homeProvince ?? null,
    homeLatitude: overrides.homeLatitude ?? null,
    homeLongitude: overrides.homeLongitude ?? null,
  });
  await em.flush();
  const { token } = api.modules.auth.tokens.sign({ id: user.id, role: user.role });
  return { user, token };
}
