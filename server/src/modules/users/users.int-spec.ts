import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { createContextFactory } from '../../app/graphql/context';
import { NodeRegistry } from '../../app/graphql/nodes';
import { Province } from '../geo/province';
import { User } from './user.entity';
import { UserService } from './user.service';

const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id nickname homeProvince } }`;

describe('profiles', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  beforeEach(() => api.reset());
  afterAll(() => api.stop());

  const row = async (id: number) =>
    (
      await api.infra.orm.em
        .getConnection()
        .execute('select nickname, nickname_key, home_latitude, home_longitude, home_province from users where id = ?', [id])
    )[0];

  it('answers me with null when anonymous and the user when signed in', async () => {
    expect((await api.gqlOk('{ me { id } }')).me).toBeNull();
    const { user, token } = await createUser(api, { nickname: 'sky_01' });
    expect((await api.gqlOk('{ me { id nickname role points createdAt } }', undefined, token)).me).toEqual({
      id: user.globalId,
      nickname: 'sky_01',
      role: 'USER',
      points: 0,
      createdAt: expect.any(String),
    });
  });

  it('changes the nickname under the same rules, including a case change of your own', async () => {
    const { user, token } = await createUser(api, { nickname: 'rainy_day' });
    await createUser(api, { nickname: '맑음' });
    const changed = await api.gqlOk(UPDATE, { input: { nickname: ' Rainy_Day ' } }, token);
    expect(changed.updateProfile.nickname).toBe('Rainy_Day');
    expect(await row(user.id)).toMatchObject({ nickname: 'Rainy_Day', nickname_key: 'rainy_day' });

    const taken = await api.gql(UPDATE, { input: { nickname: '맑음'.normalize('NFD') } }, token);
    expect(codeOf(taken)).toBe('CONFLICT');
    expect(taken.errors![0].extensions!.reason).toBe('NICKNAME_TAKEN');

    const bad = await api.gql(UPDATE, { input: { nickname: 'no spaces' } }, token);
    expect(bad.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { nickname: ['may contain only letters, digits and _'] },
    });
  });

  it('stores the home location without ever returning it, and takes the province from the user', async () => {
    const { user, token } = await createUser(api);
    const res = await api.gqlOk(UPDATE, { input: { homeLatitude: 37.5665, homeLongitude: 126.978, homeProvince: 'SEOUL' } }, token);
    expect(res.updateProfile.homeProvince).toBe('SEOUL');
    expect(await row(user.id)).toMatchObject({ home_latitude: 37.5665, home_longitude: 126.978, home_province: 'SEOUL' });
    // No field of User carries coordinates (schema.spec checks names); the answer holds none of the numbers.
    const me = await api.gql('{ me { id nickname role points createdAt email homeProvince } }', undefined, token);
    expect(JSON.stringify(me.data)).not.toMatch(/37\.5|126\.9/);

    // Others do not see your province.
    const other = await createUser(api);
    const seen = await api.gqlOk(
      'query($id: ID!) { node(id: $id) { ... on User { nickname homeProvince email } } }',
      { id: user.globalId },
      other.token,
    );
    expect(seen.node).toEqual({ nickname: user.nickname, homeProvince: null, email: null });

    const cleared = await api.gqlOk(UPDATE, { input: { homeLatitude: null, homeLongitude: null, homeProvince: null } }, token);
    expect(cleared.updateProfile.homeProvince).toBeNull();
    expect(await row(user.id)).toMatchObject({ home_latitude: null, home_longitude: null, home_province: null });
  });

  it('validates the location and the province', async () => {
    const { token } = await createUser(api);
    const half = await api.gql(UPDATE, { input: { homeLatitude: 37.5 } }, token);
    expect(half.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { homeLatitude: ['homeLatitude and homeLongitude go together'] },
    });
    const far = await api.gql(UPDATE, { input: { homeLatitude: 91, homeLongitude: 200 } }, token);
    expect(far.errors![0].extensions!.fields).toEqual({
      homeLatitude: ['must be between -90 and 90'],
      homeLongitude: ['must be between -180 and 180'],
    });
    expect(codeOf(await api.gql(UPDATE, { input: { homeProvince: 'ATLANTIS' } }, token))).toBe('BAD_USER_INPUT');
  });

  it('requires a signed-in user for updateProfile', async () => {
    expect(codeOf(await api.gql(UPDATE, { input: { nickname: 'anon_user' } }))).toBe('UNAUTHENTICATED');
  });

  it('derives the province from the location when a reverse geocoder is configured', async () => {
    const { user } = await createUser(api);
    const calls: [number, number][] = [];
    const geocoder = {
      provinceAt: async (lat: number, lng: number) => {
        calls.push([lat, lng]);
        return lat > 35 ? Province.SEOUL : null;
      },
    };
    const users = new UserService(api.infra, new NodeRegistry(), geocoder);
    const ctx = () =>
      createContextFactory(api.infra.orm)({
        requestId: 'test',
        user: { id: user.id, role: 'USER' },
        ip: '127.0.0.1',
        transport: 'http',
      });
    // The user's own choice loses to the geocoder...
    const updated = await users.updateProfile(ctx(), { homeLatitude: 37.5, homeLongitude: 127, homeProvince: Province.JEJU });
    expect(updated.homeProvince).toBe('SEOUL');
    expect(calls).toEqual([[37.5, 127]]);
    // ...unless the geocoder does not know the point.
    const outside = await users.updateProfile(ctx(), { homeLatitude: 20, homeLongitude: 127, homeProvince: Province.JEJU });
    expect(outside.homeProvince).toBe('JEJU');
    expect((await api.infra.orm.em.fork().findOneOrFail(User, user.id)).homeProvince).toBe('JEJU');
  });
});
