import { startTestApi, type TestApi } from '../../../test/create-test-app';

describe('demo seed', () => {
  let api: TestApi;
  afterEach(() => api?.stop());

  it('seeds an empty database once: two accounts that can log in, posts near City Hall, a Seoul alert room with messages, an open mission and a public resume', async () => {
    api = await startTestApi({ DEMO_SEED: 'true' });
    await api.reset();
    const accounts = await api.app.seedDemo();
    expect(accounts).toHaveLength(2);
    expect(new Set(accounts!.map((a) => a.password)).size).toBe(2);

    const login = await api.gqlOk<any>('mutation($i: LogInInput!) { logIn(input: $i) { user { nickname } } }', {
      i: { email: accounts![0].email, password: accounts![0].password },
    });
    expect(login.logIn.user.nickname).toBe(accounts![0].nickname);
    const data = await api.gqlOk<any>(`{
      missions(status: OPEN) { edges { node { title remainingSlots } } }
      publicResumes { edges { node { title visibility } } }
      postsNear(latitude: 37.5663, longitude: 126.9779) { edges { node { title distanceKm } } }
      chatRooms(status: OPEN) { province messages(first: 10) { edges { node { body } } } }
    }`);
    expect(data.postsNear.edges).toHaveLength(3);
    expect(data.chatRooms).toHaveLength(1);
    expect(data.chatRooms[0].province).toBe('SEOUL');
    expect(data.chatRooms[0].messages.edges).toHaveLength(3);
    expect(data.missions.edges).toHaveLength(1);
    expect(data.missions.edges[0].node.remainingSlots).toBe(50);
    expect(data.publicResumes.edges).toEqual([{ node: { title: expect.any(String), visibility: 'PUBLIC' } }]);

    // Not empty any more: a second start adds nothing.
    expect(await api.app.seedDemo()).toBeNull();
  });

  it('seeds once when two instances start together (the Redis lock)', async () => {
    api = await startTestApi({ DEMO_SEED: 'true' });
    await api.reset();
    const results = await Promise.all([api.app.seedDemo(), api.app.seedDemo()]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)).toHaveLength(2);
    expect((await api.infra.orm.em.getConnection().execute('select count(*) as n from users'))[0].n).toBe(2);
  });

  it('does nothing with DEMO_SEED=false or in production', async () => {
    api = await startTestApi({ DEMO_SEED: 'false' });
    await api.reset();
    expect(await api.app.seedDemo()).toBeNull();
    await api.stop();
    // The same (empty) database, as production.
    api = await startTestApi({ NODE_ENV: 'production', DEMO_SEED: 'true' });
    expect(await api.app.seedDemo()).toBeNull();
    expect(await api.gqlOk<any>('{ publicResumes { edges { node { id } } } }')).toEqual({ publicResumes: { edges: [] } });
  });
});
