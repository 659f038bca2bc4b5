import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EntityManager } from '@mikro-orm/mysql';
import type { Infra } from '../../app/infra.js';
import type { AuthUser } from '../../app/graphql/context.js';
import { Upload } from './upload.entity.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export type ImageType = { mime: 'image/jpeg' | 'image/png' | 'image/webp'; ext: 'jpg' | 'png' | 'webp' };

/** The image type by its first bytes (never by the client's name or header); null for anything else. */
export function sniffImage(head: Buffer): ImageType | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { mime: 'image/png', ext: 'png' };
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
    return { mime: 'image/webp', ext: 'webp' };
  return null;
}

const ID = /^[0-9a-f]{32}$/;

/** Images uploaded by signed-in users, kept under UPLOAD_DIR with generated names. */
export class UploadService {
  private readonly dir: string;

  constructor(infra: Pick<Infra, 'config' | 'orm'>) {
    this.dir = resolve(infra.config.UPLOAD_DIR);
    this.orm = infra.orm;
  }

  private readonly orm: Infra['orm'];

  /** Writes the file (temp name, then rename) and records it; the id is random, the client's name is never used. */
  async store(ownerId: number, data: Buffer, type: ImageType): Promise<Upload> {
    const id = randomBytes(16).toString('hex');
    const fileName = `${id}.${type.ext}`;
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${id}.tmp`);
    await writeFile(temp, data, { mode: 0o600, flag: 'wx' });
    await rename(temp, join(this.dir, fileName));
    const em = this.orm.em.fork();
    const upload = em.create(Upload, { id, ownerId, mimeType: type.mime, sizeBytes: data.length, fileName });
    await em.flush();
    return upload;
  }

  async find(em: EntityManager, id: string): Promise<Upload | null> {
    return ID.test(id) ? em.findOne(Upload, { id }) : null;
  }

  /** The owner and admins may read an upload. */
  canRead(user: AuthUser | null, upload: Upload): boolean {
    return !!user && (user.role === 'ADMIN' || user.id === upload.ownerId);
  }

  read(upload: Upload): Promise<Buffer> {
    return readFile(join(this.dir, upload.fileName));
  }
}
