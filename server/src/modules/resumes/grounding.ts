import type { GithubSnapshot } from '../github/github.service.js';

/** The collected evidence, indexed for citation and fact checks. */
export interface EvidenceIndex {
  ids: Set<string>;
  textById: Map<string, string>;
  /** Everything, lower-cased: organisations and skills must appear here. */
  all: string;
}

export function indexEvidence(snapshot: GithubSnapshot, extra: string[] = []): EvidenceIndex {
  const textById = new Map<string, string>();
  textById.set('profile', JSON.stringify(snapshot.profile));
  for (const r of snapshot.repos) textById.set(r.id, JSON.stringify(r));
  for (const p of snapshot.pullRequests) textById.set(p.id, JSON.stringify(p));
  const all = [...textById.values(), ...extra].join('\n').toLowerCase();
  return { ids: new Set(textById.keys()), textById, all };
}

const NUMBER = /\d+(?:[.,]\d+)*/g;
const ORG_BEFORE = /\b(?:at|for|with|joined|from|by|to|in)\s+((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)/g;
const ORG_SUFFIX = /\b((?:[A-Z][\w&'-]*\s+)*[A-Z][\w&'-]*)\s+(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|Labs|Co)\b\.?/g;

function numbersOf(text: string): Set<string> {
  const set = new Set<string>();
  for (const m of text.matchAll(NUMBER)) {
    const n = m[0].replace(/,/g, '');
    set.add(n);
    // 1.5 also matches when the evidence says 1.50; integers also as written without separators
    set.add(String(Number(n)));
  }
  return set;
}

export interface GroundingVerdict {
  ok: boolean;
  reasons: string[];
}

/**
 * Checks one generated sentence: every cited id must exist, every number must appear in the cited evidence
 * (or the text it replaces), and every organisation-like name must appear somewhere in the evidence.
 */
export function checkGrounding(text: string, cites: readonly string[], index: EvidenceIndex, allowed = ''): GroundingVerdict {
  const reasons: string[] = [];
  const known = cites.filter((c) => index.ids.has(c));
  for (const c of cites) if (!index.ids.has(c)) reasons.push(`cites unknown evidence "${c}"`);
  if (cites.length === 0) reasons.push('cites no evidence');
  const cited = [...known.map((c) => index.textById.get(c)!), index.textById.get('profile') ?? '', allowed].join('\n');
  const available = numbersOf(cited);
  for (const m of text.matchAll(NUMBER)) {
    const n = m[0].replace(/,/g, '');
    if (!available.has(n) && !available.has(String(Number(n)))) reasons.push(`number "${m[0]}" is not in the cited evidence`);
  }
  const haystack = `${index.all}\n${allowed.toLowerCase()}`;
  for (const re of [ORG_BEFORE, ORG_SUFFIX]) {
    for (const m of text.matchAll(re)) {
      const name = m[1].trim();
      if (/^[A-Z0-9]{2,6}$/.test(name)) continue; // acronyms (API, CLI, AWS) are technologies more often than employers
      const words = name.split(/\s+/);
      if (!words.some((w) => haystack.includes(w.toLowerCase().replace(/[.']+$/, ''))))
        reasons.push(`organisation "${name}" is not in the evidence`);
    }
  }
  return { ok: reasons.length === 0, reasons: [...new Set(reasons)] };
}
