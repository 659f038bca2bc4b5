import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../../test/create-test-app';

describe('web client and GraphQL IDE', () => {
  let dist: string;
  beforeAll(() => {
    dist = mkdtempSync(join(tmpdir(), 'ww-web-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dist, 'graphiql.html'), '<!doctype html><title>ide</title>');
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  describe('outside production', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ WEB_DIST_DIR: dist });
    });
    afterAll(() => api.stop());
    const base = () => `http://127.0.0.1:${api.port}`;

    it('serves the IDE at /graphiql and the app with a SPA fallback elsewhere', async () => {
      const ide = await fetch(`${base()}/graphiql`);
      expect(ide.status).toBe(200);
      expect(ide.headers.get('content-type')).toContain('text/html');
      expect(await ide.text()).toContain('<title>ide</title>');

      const deep = await fetch(`${base()}/missions/123`);
      expect(deep.status).toBe(200);
      expect(await deep.text()).toContain('<title>app</title>');
    });
  });

  describe('in production', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ WEB_DIST_DIR: dist, NODE_ENV: 'production' });
    });
    afterAll(() => api.stop());

    it('does not serve the IDE', async () => {
      for (const path of ['/graphiql', '/graphiql.html']) {
        const res = await fetch(`http://127.0.0.1:${api.port}${path}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
    });
  });
});
