import type { GithubClient } from './github.client.js';
import { GithubError } from './github.client.js';

/** One fact the resume may rest on; `id` is what generated highlights cite. */
export interface RepoEvidence {
  id: string;
  name: string;
  fullName: string;
  url: string;
  description: string | null;
  homepage: string | null;
  language: string | null;
  languages: Record<string, number>;
  topics: string[];
  stars: number;
  forks: number;
  license: string | null;
  createdAt: string | null;
  pushedAt: string | null;
  readmeExcerpt: string | null;
}

export interface PullRequestEvidence {
  id: string;
  repo: string;
  owner: string;
  number: number;
  title: string;
  url: string;
  mergedAt: string | null;
  labels: string[];
}

export interface ProfileEvidence {
  id: 'profile';
  login: string;
  name: string | null;
  bio: string | null;
  company: string | null;
  blog: string | null;
  location: string | null;
  email: string | null;
  avatarUrl: string;
  url: string;
  publicRepos: number;
  followers: number;
  createdAt: string;
}

/** What the collector saw, stored with the resume as the evidence it was built from. */
export interface GithubSnapshot {
  collectedAt: string;
  profile: ProfileEvidence;
  /** Every owned non-fork repository seen, strongest first (capped). */
  repos: RepoEvidence[];
  /** Merged pull requests to repositories the user does not own. */
  pullRequests: PullRequestEvidence[];
}

const REPO_CAP = 30;
const DETAIL_CAP = 7;
const README_EXCERPT = 1500;
const PR_CAP = 20;

/** Ranks repositories: stars and forks, a description, recent pushes. */
export function repoScore(r: Pick<RepoEvidence, 'stars' | 'forks' | 'description' | 'pushedAt'>, now = Date.now()): number {
  const ageDays = r.pushedAt ? (now - Date.parse(r.pushedAt)) / 86_400_000 : 3650;
  const recency = Math.max(0, 10 - ageDays / 90);
  return r.stars * 2 + r.forks * 3 + (r.description ? 3 : 0) + recency;
}

/** The strongest 4–7 repositories (fewer only when the user has fewer). */
export function selectRepos<T extends Pick<RepoEvidence, 'stars' | 'forks' | 'description' | 'pushedAt'>>(
  repos: T[],
  now = Date.now(),
): T[] {
  return [...repos].sort((a, b) => repoScore(b, now) - repoScore(a, now)).slice(0, DETAIL_CAP);
}

export class GithubService {
  constructor(private readonly client: GithubClient) {}

  /** Profile, owned non-fork repositories (recently pushed first), languages and READMEs of the strongest, merged PRs elsewhere. */
  async collect(username: string, onStep: (stage: string, progress: number) => Promise<void> = async () => {}): Promise<GithubSnapshot> {
    const login = username.trim();
    let user: any;
    try {
      user = await this.client.get<any>('/users/{username}', { username: login });
    } catch (err) {
      if (err instanceof GithubError && err.code === 'NOT_FOUND')
        throw new GithubError('NOT_FOUND', `GitHub user "${login}" was not found.`);
      throw err;
    }
    await onStep('collect', 15);
    const rawRepos =
      (await this.client.get<any[]>('/users/{username}/repos', { username: login, type: 'owner', sort: 'pushed', per_page: 100 })) ?? [];
    const repos: RepoEvidence[] = rawRepos
      .filter((r) => !r.fork && !r.private)
      .slice(0, REPO_CAP)
      .map((r) => ({
        id: `repo:${r.name}`,
        name: r.name,
        fullName: r.full_name,
        url: r.html_url,
        description: r.description ?? null,
        homepage: r.homepage || null,
        language: r.language ?? null,
        languages: {},
        topics: Array.isArray(r.topics) ? r.topics : [],
        stars: r.stargazers_count ?? 0,
        forks: r.forks_count ?? 0,
        license: r.license?.spdx_id ?? null,
        createdAt: r.created_at ?? null,
        pushedAt: r.pushed_at ?? null,
        readmeExcerpt: null,
      }));
    const chosen = selectRepos(repos);
    await onStep('collect', 25);
    for (const repo of chosen) {
      const [owner, name] = repo.fullName.split('/');
      repo.languages =
        (await this.client.get<Record<string, number>>('/repos/{owner}/{repo}/languages', { owner, repo: name }, true)) ?? {};
      const readme = await this.client.get<{ content?: string; encoding?: string }>(
        '/repos/{owner}/{repo}/readme',
        { owner, repo: name },
        true,
      );
      repo.readmeExcerpt =
        readme?.content && readme.encoding === 'base64' ? excerpt(Buffer.from(readme.content, 'base64').toString('utf8')) : null;
    }
    await onStep('collect', 35);
    const search = await this.client.get<{ items?: any[] }>('/search/issues', {
      q: `author:${login} type:pr is:merged -user:${login}`,
      sort: 'updated',
      order: 'desc',
      per_page: PR_CAP,
    });
    const pullRequests: PullRequestEvidence[] = (search?.items ?? [])
      .filter((i) => i.pull_request?.merged_at !== null)
      .map((i) => {
        const [owner, repo] = String(i.repository_url ?? '')
          .split('/')
          .slice(-2);
        return {
          id: `pr:${owner}/${repo}#${i.number}`,
          owner,
          repo: `${owner}/${repo}`,
          number: i.number,
          title: i.title,
          url: i.html_url,
          mergedAt: i.pull_request?.merged_at ?? null,
          labels: (i.labels ?? []).map((l: { name: string }) => l.name),
        };
      })
      .filter((p) => p.owner.toLowerCase() !== login.toLowerCase());
    return {
      collectedAt: new Date().toISOString(),
      profile: {
        id: 'profile',
        login: user.login,
        name: user.name ?? null,
        bio: user.bio ?? null,
        company: user.company ?? null,
        blog: user.blog || null,
        location: user.location ?? null,
        email: user.email ?? null,
        avatarUrl: user.avatar_url,
        url: user.html_url,
        publicRepos: user.public_repos ?? 0,
        followers: user.followers ?? 0,
        createdAt: user.created_at,
      },
      repos: [...chosen, ...repos.filter((r) => !chosen.includes(r))],
      pullRequests,
    };
  }
}

/** Plain-ish text of a README's start: markdown images, links and HTML tags stripped. */
function excerpt(markdown: string): string {
  return markdown
    .replace(/<[^>]+>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, README_EXCERPT);
}
