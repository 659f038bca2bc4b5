import { ClientError } from './errors';
import type { SessionStore } from './session';

const MAX_BYTES = 10 * 1024 * 1024;

/** POST /uploads (multipart, signed in) → the upload id for `submitMissionProof`. Failures are catalogue sentences. */
export async function uploadImage(session: SessionStore, file: File): Promise<string> {
  if (file.size > MAX_BYTES) throw new ClientError('uploads.tooLarge', { mb: 10 }, false);
  const token = await session.accessToken();
  const body = new FormData();
  body.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch('/uploads', { method: 'POST', body, headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ClientError('errors.network');
  }
  const json = (await res.json().catch(() => ({}))) as { id?: string; error?: { code?: string } };
  if (res.ok && json.id) return json.id;
  if (res.status === 413) throw new ClientError('uploads.tooLarge', { mb: 10 }, false);
  if (res.status === 401) throw new ClientError('errors.codes.UNAUTHENTICATED', {}, false);
  if (res.status === 400 || res.status === 415) throw new ClientError('uploads.notImage', {}, false);
  throw new ClientError('uploads.failed');
}

/** An image the API only gives to its owner and admins, as an object URL for <img>. */
export async function authorizedImage(session: SessionStore, path: string): Promise<string> {
  const token = await session.accessToken();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ClientError('uploads.loadFailed');
  return URL.createObjectURL(await res.blob());
}
