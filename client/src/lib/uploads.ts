import type { SessionStore } from './session';

/** POST /uploads (multipart, signed in) → the upload id for `submitMissionProof`. Errors are sentences. */
export async function uploadImage(session: SessionStore, file: File): Promise<string> {
  const token = await session.accessToken();
  const body = new FormData();
  body.append('file', file, file.name);
  const res = await fetch('/uploads', { method: 'POST', body, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const json = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
  if (!res.ok || !json.id) throw new Error(json.error?.message ?? `Upload failed (HTTP ${res.status}).`);
  return json.id;
}

/** An image the API only gives to its owner and admins, as an object URL for <img>. */
export async function authorizedImage(session: SessionStore, path: string): Promise<string> {
  const token = await session.accessToken();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return URL.createObjectURL(await res.blob());
}
