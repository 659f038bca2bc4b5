/** Reads `work[0].highlights` style paths from a JSON document. */
export function getPath(doc: unknown, path: string): unknown {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let cur: unknown = doc;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[/^\d+$/.test(part) ? Number(part) : part];
  }
  return cur;
}

/** A section's value as text to read: strings as they are, lists as bullet lines, anything else as its words. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => `• ${show(v)}`).join('\n');
  if (typeof value === 'object')
    return Object.values(value as Record<string, unknown>)
      .map(show)
      .join('\n');
  return String(value);
}
