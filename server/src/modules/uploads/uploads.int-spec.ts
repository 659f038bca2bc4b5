import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { plainJpeg, png, webp } from '../../../test/factories/image.factory';
import { UserRole } from '../users/user.entity';

describe('POST /uploads', () => {
  let api: TestApi;
  let dir: string;
  let base: string;
  let user: { token: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ww-uploads-'));
    api = await startTestApi({ UPLOAD_DIR: dir });
    base = api.url.replace('/graphql', '');
  });
  afterAll(() => api.stop());
  beforeEach(async () => {
    await api.reset();
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    user = await createUser(api);
  });

  const post = async (file: Buffer | null, opts: { token?: string | null; name?: string; type?: string; field?: string } = {}) => {
    const form = new FormData();
    if (file) form.append(opts.field ?? 'file', new Blob([file], { type: opts.type ?? 'image/jpeg' }), opts.name ?? 'photo.jpg');
    const token = opts.token === undefined ? user.token : opts.token;
    const res = await fetch(`${base}/uploads`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('stores JPEG, PNG and WebP under a generated name and answers its id', async () => {
    for (const [file, ext] of [
      [plainJpeg(), 'jpg'],
      [png(), 'png'],
      [webp(), 'webp'],
    ] as const) {
      const res = await post(file, { name: '../../etc/passwd', type: 'text/plain' });
      expect(res.status).toBe(201);
      expect(res.body.id).toMatch(/^[0-9a-f]{32}$/);
      expect(readFileSync(join(dir, `${res.body.id}.${ext}`)).equals(file)).toBe(true);
    }
    expect(readdirSync(dir).sort()).toHaveLength(3);
    expect(readdirSync(dir).some((f) => f.includes('passwd') || f.startsWith('.'))).toBe(false);
  });

  it('serves an upload to its owner and admins only', async () => {
    const { body } = await post(png());
    const get = (token?: string) => fetch(`${base}/uploads/${body.id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const own = await get(user.token);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await own.arrayBuffer()).equals(png())).toBe(true);
    expect((await get((await createUser(api, { role: UserRole.ADMIN })).token)).status).toBe(200);
    expect((await get((await createUser(api)).token)).status).toBe(404);
    expect((await get()).status).toBe(401);
    expect((await fetch(`${base}/uploads/..%2F..%2Fetc%2Fpasswd`, { headers: { authorization: `Bearer ${user.token}` } })).status).toBe(
      404,
    );
  });

  it('refuses anonymous and forged callers', async () => {
    expect(await post(plainJpeg(), { token: null })).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: expect.any(String) } },
    });
    expect((await post(plainJpeg(), { token: 'forged' })).status).toBe(401);
  });

  it('refuses files that are not JPEG, PNG or WebP by content, whatever their name and type say', async () => {
    const html = await post(Buffer.from('<html><script>alert(1)</script></html>'), { name: 'x.jpg', type: 'image/jpeg' });
    expect(html).toEqual({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringMatching(/JPEG, PNG and WebP/) } },
    });
    const gif = await post(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), { name: 'x.png', type: 'image/png' });
    expect(gif.status).toBe(415);
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it('refuses empty files, missing files and bodies that are not multipart', async () => {
    expect(await post(Buffer.alloc(0))).toEqual({ status: 400, body: { error: { code: 'EMPTY_FILE', message: 'The file is empty.' } } });
    expect((await post(null)).body.error.code).toBe('BAD_USER_INPUT');
    const json = await fetch(`${base}/uploads`, {
      method: 'POST',
      body: '{}',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect(((await json.json()) as any).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses files over 10 MB, declared or streamed', async () => {
    const big = Buffer.concat([plainJpeg(), Buffer.alloc(10 * 1024 * 1024)]);
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('PAYLOAD_TOO_LARGE');

    // Chunked, without content-length: the limit applies while streaming.
    const boundary = 'wwboundary';
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/uploads`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${user.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
      req.write(plainJpeg());
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < 11; i += 1) req.write(chunk);
      req.end(`\r\n--${boundary}--\r\n`);
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(readdirSync(dir)).toHaveLength(0);

    const exactly = Buffer.concat([plainJpeg(), Buffer.alloc(10 * 1024 * 1024 - plainJpeg().length)]);
    expect((await post(exactly)).status).toBe(201);
  });
});
