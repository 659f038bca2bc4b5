import type { FieldErrors } from '../../app/errors.js';

/**
 * A hand-written validator of the JSON Resume schema 1.3 (draft-07): types of every known field, `iso8601` dates,
 * email and URL formats. Like the schema, unknown properties are allowed (we keep evidence ids in `x-*` fields).
 */
type Kind = 'string' | 'date' | 'email' | 'url' | 'strings';
const ISO8601 = /^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const SECTIONS: Record<string, Record<string, Kind>> = {
  work: {
    name: 'string',
    location: 'string',
    description: 'string',
    position: 'string',
    url: 'url',
    startDate: 'date',
    endDate: 'date',
    summary: 'string',
    highlights: 'strings',
  },
  volunteer: {
    organization: 'string',
    position: 'string',
    url: 'url',
    startDate: 'date',
    endDate: 'date',
    summary: 'string',
    highlights: 'strings',
  },
  education: {
    institution: 'string',
    url: 'url',
    area: 'string',
    studyType: 'string',
    startDate: 'date',
    endDate: 'date',
    score: 'string',
    courses: 'strings',
  },
  awards: { title: 'string', date: 'date', awarder: 'string', summary: 'string' },
  certificates: { name: 'string', date: 'date', url: 'url', issuer: 'string' },
  publications: { name: 'string', publisher: 'string', releaseDate: 'date', url: 'url', summary: 'string' },
  skills: { name: 'string', level: 'string', keywords: 'strings' },
  languages: { language: 'string', fluency: 'string' },
  interests: { name: 'string', keywords: 'strings' },
  references: { name: 'string', reference: 'string' },
  projects: {
    name: 'string',
    description: 'string',
    highlights: 'strings',
    keywords: 'strings',
    startDate: 'date',
    endDate: 'date',
    url: 'url',
    roles: 'strings',
    entity: 'string',
    type: 'string',
  },
};
const BASICS: Record<string, Kind> = {
  name: 'string',
  label: 'string',
  image: 'string',
  email: 'email',
  phone: 'string',
  url: 'url',
  summary: 'string',
};
const LOCATION: Record<string, Kind> = { address: 'string', postalCode: 'string', city: 'string', countryCode: 'string', region: 'string' };
const PROFILE: Record<string, Kind> = { network: 'string', username: 'string', url: 'url' };
const META: Record<string, Kind> = { canonical: 'url', version: 'string', lastModified: 'string' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isUrl(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

function checkFields(value: Record<string, unknown>, spec: Record<string, Kind>, at: string, errors: FieldErrors): void {
  const add = (path: string, msg: string) => (errors[path] ??= []).push(msg);
  for (const [key, kind] of Object.entries(spec)) {
    const v = value[key];
    if (v === undefined) continue;
    const path = `${at}.${key}`;
    if (kind === 'strings') {
      if (!Array.isArray(v)) add(path, 'must be an array of strings');
      else v.forEach((item, i) => typeof item !== 'string' && add(`${path}[${i}]`, 'must be a string'));
      continue;
    }
    if (typeof v !== 'string') {
      add(path, 'must be a string');
      continue;
    }
    if (v.length > 5000) add(path, 'must be at most 5000 characters');
    if (kind === 'date' && !ISO8601.test(v)) add(path, 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD');
    if (kind === 'email' && !EMAIL.test(v)) add(path, 'must be an email address');
    if (kind === 'url' && !isUrl(v)) add(path, 'must be a URL');
  }
}

/** Field errors keyed like `content.work[0].startDate`; empty when the document is valid. */
export function validateJsonResume(doc: unknown, root = 'content'): FieldErrors {
  const errors: FieldErrors = {};
  if (!isObject(doc)) return { [root]: ['must be a JSON Resume object'] };
  if (doc.basics !== undefined) {
    if (!isObject(doc.basics)) errors[`${root}.basics`] = ['must be an object'];
    else {
      const basics = doc.basics;
      checkFields(basics, BASICS, `${root}.basics`, errors);
      if (basics.location !== undefined) {
        if (!isObject(basics.location)) errors[`${root}.basics.location`] = ['must be an object'];
        else checkFields(basics.location, LOCATION, `${root}.basics.location`, errors);
      }
      if (basics.profiles !== undefined) {
        if (!Array.isArray(basics.profiles)) errors[`${root}.basics.profiles`] = ['must be an array'];
        else
          basics.profiles.forEach((p, i) =>
            isObject(p)
              ? checkFields(p, PROFILE, `${root}.basics.profiles[${i}]`, errors)
              : (errors[`${root}.basics.profiles[${i}]`] = ['must be an object']),
          );
      }
    }
  }
  for (const [section, spec] of Object.entries(SECTIONS)) {
    const list = doc[section];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      errors[`${root}.${section}`] = ['must be an array'];
      continue;
    }
    list.forEach((item, i) =>
      isObject(item)
        ? checkFields(item, spec, `${root}.${section}[${i}]`, errors)
        : (errors[`${root}.${section}[${i}]`] = ['must be an object']),
    );
  }
  if (doc.meta !== undefined) {
    if (!isObject(doc.meta)) errors[`${root}.meta`] = ['must be an object'];
    else checkFields(doc.meta, META, `${root}.meta`, errors);
  }
  if (doc.$schema !== undefined && (typeof doc.$schema !== 'string' || !isUrl(doc.$schema))) errors[`${root}.$schema`] = ['must be a URL'];
  return errors;
}

export const JSON_RESUME_SCHEMA_URL = 'https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json';
