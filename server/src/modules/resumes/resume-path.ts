/** Paths an AI edit may target: prose only; names, dates, URLs and evidence ids stay as they are. */
const EDITABLE = [
  /^basics\.(summary|label)$/,
  /^(work|projects|volunteer)\[(\d{1,3})\]\.(highlights|summary|description)$/,
  /^skills$/,
  /^skills\[(\d{1,3})\]\.keywords$/,
  /^(awards|publications)\[(\d{1,3})\]\.summary$/,
];

type Segment = string | number;

export function parsePath(path: string): Segment[] | null {
  if (!EDITABLE.some((re) => re.test(path))) return null;
  const segments: Segment[] = [];
  for (const m of path.matchAll(/([A-Za-z]+)|\[(\d+)\]/g)) segments.push(m[1] ?? Number(m[2]));
  return segments;
}

export function getAt(doc: unknown, segments: Segment[]): unknown {
  let cur: any = doc;
  for (const s of segments) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[s];
  }
  return cur;
}

/** A deep copy of `doc` with only `segments` replaced. */
export function setAt<T>(doc: T, segments: Segment[], value: unknown): T {
  const copy = structuredClone(doc) as any;
  let cur = copy;
  for (const s of segments.slice(0, -1)) cur = cur[s];
  cur[segments.at(-1)!] = value;
  return copy;
}
