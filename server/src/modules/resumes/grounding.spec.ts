import type { GithubSnapshot } from '../github/github.service';
import { selectRepos } from '../github/github.service';
import { checkGrounding, indexEvidence } from './grounding';
import { validateJsonResume } from './json-resume';
import { parsePath, setAt } from './resume-path';

const snapshot: GithubSnapshot = {
  collectedAt: '2026-11-26T00:00:00Z',
  profile: {
    id: 'profile',
    login: 'haneul-dev',
    name: 'Haneul Kim',
    bio: null,
    company: '@example-corp',
    blog: null,
    location: 'Seoul',
    email: null,
    avatarUrl: 'https://a',
    url: 'https://github.com/haneul-dev',
    publicRepos: 23,
    followers: 148,
    createdAt: '2019-11-20T08:14:03Z',
  },
  repos: [
    {
      id: 'repo:commit-lens',
      name: 'commit-lens',
      fullName: 'haneul-dev/commit-lens',
      url: 'https://github.com/haneul-dev/commit-lens',
      description: 'Summarizes GitHub activity',
      homepage: null,
      language: 'TypeScript',
      languages: { TypeScript: 184213 },
      topics: ['github-api'],
      stars: 87,
      forks: 9,
      license: 'MIT',
      createdAt: '2025-09-01T00:00:00Z',
      pushedAt: '2026-05-01T00:00:00Z',
      readmeExcerpt: 'Uses the Octokit client',
    },
  ],
  pullRequests: [
    {
      id: 'pr:prisma/prisma#27654',
      repo: 'prisma/prisma',
      owner: 'prisma',
      number: 27654,
      title: 'fix Decimal precision',
      url: 'https://x',
      mergedAt: '2026-01-01',
      labels: [],
    },
  ],
};
const index = indexEvidence(snapshot);

describe('grounding checks', () => {
  it('accepts sentences whose numbers and names come from the cited evidence', () => {
    expect(checkGrounding('Built commit-lens, which earned 87 stars and 9 forks', ['repo:commit-lens'], index).ok).toBe(true);
    expect(checkGrounding('Fixed Decimal precision in Prisma (PR #27654)', ['pr:prisma/prisma#27654'], index).ok).toBe(true);
    expect(checkGrounding('Integrated with Octokit for API access', ['repo:commit-lens'], index).ok).toBe(true);
  });

  it('rejects unknown citations, numbers absent from the cited evidence and invented organisations', () => {
    expect(checkGrounding('Built commit-lens', ['repo:nope'], index).reasons).toEqual(['cites unknown evidence "repo:nope"']);
    expect(checkGrounding('Built commit-lens', [], index).ok).toBe(false);
    // 27654 exists, but not in the cited repository
    expect(checkGrounding('Merged 27654 changes', ['repo:commit-lens'], index).reasons[0]).toMatch(/27654/);
    expect(checkGrounding('Cut latency by 40% at Kakao', ['repo:commit-lens'], index).reasons).toEqual([
      'number "40" is not in the cited evidence',
      'organisation "Kakao" is not in the evidence',
    ]);
    expect(checkGrounding('Shipped it for Initech Corp', ['repo:commit-lens'], index).ok).toBe(false);
    expect(checkGrounding('Shipped the CLI with AWS', ['repo:commit-lens'], index).ok).toBe(true); // acronyms are not employers
  });

  it('selects at most 7 repositories, strongest first', () => {
    const repos = Array.from({ length: 10 }, (_, i) => ({ stars: i, forks: 0, description: null, pushedAt: null, n: i }));
    expect(selectRepos(repos).map((r) => r.n)).toEqual([9, 8, 7, 6, 5, 4, 3]);
  });
});

describe('JSON Resume validation', () => {
  it('accepts a valid document with extension fields', () => {
    expect(
      validateJsonResume({
        basics: { name: 'A', email: 'a@b.kr', 'x-evidence': ['profile'] },
        projects: [{ name: 'p', startDate: '2025', 'x-y': 1 }],
      }),
    ).toEqual({});
  });

  it('reports field errors by path', () => {
    expect(validateJsonResume([])).toEqual({ content: ['must be a JSON Resume object'] });
    expect(
      validateJsonResume({ education: [{ courses: ['a', 3] }], meta: { canonical: 'x' }, basics: { profiles: [{ url: 'bad' }] } }),
    ).toEqual({
      'content.education[0].courses[1]': ['must be a string'],
      'content.meta.canonical': ['must be a URL'],
      'content.basics.profiles[0].url': ['must be a URL'],
    });
  });
});

describe('editable paths', () => {
  it('allows prose paths only and replaces just that path', () => {
    expect(parsePath('work[0].highlights')).toEqual(['work', 0, 'highlights']);
    expect(parsePath('basics.name')).toBeNull();
    expect(parsePath('work[0].startDate')).toBeNull();
    expect(parsePath('__proto__.x')).toBeNull();
    const doc = { basics: { name: 'A', summary: 'old' }, work: [{ name: 'W' }] };
    const next = setAt(doc, ['basics', 'summary'], 'new');
    expect(next).toEqual({ basics: { name: 'A', summary: 'new' }, work: [{ name: 'W' }] });
    expect(doc.basics.summary).toBe('old');
  });
});
