// The two catalogues say the same things: the same keys (English adds plural forms), the same {{placeholders}}, and
// every key the code asks for exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../src/locales/en';
import { ko } from '../src/locales/ko';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

const base = (key: string) => key.replace(PLURAL, '');
const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__generated__' || name === 'locales' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('catalogues', () => {
  const k = flatten(ko);
  const e = flatten(en);

  it('ko and en have the same keys (plural forms aside)', () => {
    const koKeys = [...new Set([...k.keys()].map(base))].sort();
    const enKeys = [...new Set([...e.keys()].map(base))].sort();
    expect(enKeys.filter((x) => !koKeys.includes(x))).toEqual([]);
    expect(koKeys.filter((x) => !enKeys.includes(x))).toEqual([]);
  });

  it('each translation uses the same placeholders', () => {
    const problems: string[] = [];
    for (const [key, text] of e) {
      const koText = k.get(base(key)) ?? k.get(key);
      if (koText === undefined) continue;
      const a = [...placeholders(koText)].sort().join(',');
      const b = [...placeholders(text)].sort().join(',');
      // English may leave out a count that Korean spells ("외 {{count}}명") only when it has plural forms.
      if (a !== b) problems.push(`${key}: ko {${a}} en {${b}}`);
    }
    expect(problems).toEqual([]);
  });

  it('every literal key the code asks for exists in ko', () => {
    const src = resolve(import.meta.dirname, '../src');
    const missing: string[] = [];
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w]*(?:\.[\w]+)+)'/g)) {
        const key = m[1]!;
        const found = k.has(key) || [...k.keys()].some((x) => x.startsWith(`${key}.`) || base(x) === key);
        if (!found) missing.push(`${file.slice(src.length + 1)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('Korean sentences contain no English sentence (proper names and codes aside)', () => {
    const allowed =
      /^(GitHub|JSON|Resume|AI|MySQL|Redis|EN|EXIF|JPEG|PNG|WebP|MB|RAIN|SNOW|PRECIPITATION|CLEAR|TEMP_GTE|TEMP_LTE|km|mm|m|m\/s|Switch to English)$/;
    const english: string[] = [];
    for (const [key, text] of k) {
      const words = text.replace(/\{\{[^}]+\}\}/g, '').match(/[A-Za-z][A-Za-z/_ ]*[A-Za-z]/g) ?? [];
      for (const w of words) if (!w.split(/\s+/).every((x) => allowed.test(x)) && key !== 'app.languageLabel') english.push(`${key}: ${w}`);
    }
    expect(english).toEqual([]);
  });
});
