import { badInput } from '../errors.js';

/** Opaque global ids: base64url("Type:id"). Clients never parse them. */
export function toGlobalId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  type: string;
  id: number;
}

export function decodeGlobalId(globalId: string): DecodedId | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  const raw = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Za-z]+):([1-9]\d{0,15})$/.exec(raw);
  if (!match) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { type: match[1], id } : null;
}

/** Decodes an id argument that must name one of `types`; anything else is BAD_USER_INPUT on `field`. */
export function parseGlobalId(globalId: string, types: string | readonly string[], field = 'id'): DecodedId {
  const allowed = typeof types === 'string' ? [types] : types;
  const decoded = decodeGlobalId(globalId);
  if (!decoded || !allowed.includes(decoded.type)) {
    throw badInput({ [field]: [`must be the id of a ${allowed.join(' or ')}`] });
  }
  return decoded;
}
