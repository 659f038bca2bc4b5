import { z } from 'zod';
import type { GithubSnapshot, RepoEvidence } from '../github/github.service.js';
import { checkGrounding, type EvidenceIndex } from './grounding.js';
import { JSON_RESUME_SCHEMA_URL } from './json-resume.js';

export type ResumeLanguage = 'KO' | 'EN';
export type JsonResume = Record<string, any>;

export interface DraftInput {
  snapshot: GithubSnapshot;
  /** How many of `snapshot.repos` were selected (the strongest come first). */
  selected: number;
  targetRole: string;
  language: ResumeLanguage;
}

const SELECT_MIN = 4;
export function selectedCount(snapshot: GithubSnapshot): number {
  return Math.min(snapshot.repos.length, Math.max(SELECT_MIN, Math.min(7, snapshot.repos.length)));
}

const month = (iso: string | null) => (iso ? iso.slice(0, 7) : undefined);
const topLanguages = (r: RepoEvidence, n = 3) =>
  Object.entries(r.languages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([l]) => l);

function languageTotals(snapshot: GithubSnapshot, selected: number): string[] {
  const totals = new Map<string, number>();
  for (const r of snapshot.repos.slice(0, selected)) {
    const langs = Object.keys(r.languages).length ? r.languages : r.language ? { [r.language]: 1 } : {};
    for (const [l, b] of Object.entries(langs)) totals.set(l, (totals.get(l) ?? 0) + b);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([l]) => l);
}

function basics(s: GithubSnapshot, targetRole: string, summary: string, label?: string) {
  const p = s.profile;
  return {
    name: p.name ?? p.login,
    label: label ?? targetRole,
    image: p.avatarUrl,
    ...(p.email ? { email: p.email } : {}),
    url: p.blog && /^https?:\/\//.test(p.blog) ? p.blog : p.url,
    summary,
    ...(p.location ? { location: { address: p.location } } : {}),
    profiles: [{ network: 'GitHub', username: p.login, url: p.url }],
    'x-evidence': ['profile'],
  };
}

function projectShell(r: RepoEvidence) {
  const stale = r.pushedAt && Date.now() - Date.parse(r.pushedAt) > 180 * 86_400_000;
  return {
    name: r.name,
    ...(r.description ? { description: r.description } : {}),
    url: r.homepage && /^https?:\/\//.test(r.homepage) ? r.homepage : r.url,
    ...(month(r.createdAt) ? { startDate: month(r.createdAt) } : {}),
    ...(stale && month(r.pushedAt) ? { endDate: month(r.pushedAt) } : {}),
    keywords: [...new Set([...topLanguages(r), ...r.topics])],
    roles: ['Author'],
    type: 'application',
    'x-evidence': [r.id],
  };
}

function contributionProjects(s: GithubSnapshot, language: ResumeLanguage) {
  const byRepo = new Map<string, GithubSnapshot['pullRequests']>();
  for (const pr of s.pullRequests) byRepo.set(pr.repo, [...(byRepo.get(pr.repo) ?? []), pr]);
  return [...byRepo.entries()].slice(0, 5).map(([repo, prs]) => ({
    name: repo,
    entity: prs[0].owner,
    url: `https://github.com/${repo}`,
    roles: ['Contributor'],
    type: 'open-source',
    highlights: prs.slice(0, 4).map((p) => (language === 'KO' ? `PR #${p.number} 병합: ${p.title}` : `Merged PR #${p.number}: ${p.title}`)),
    'x-highlightEvidence': prs.slice(0, 4).map((p) => [p.id]),
    'x-evidence': prs.map((p) => p.id),
  }));
}

function envelope(body: JsonResume, generatedBy: string, warnings: string[], dropped: unknown[]): JsonResume {
  return {
    $schema: JSON_RESUME_SCHEMA_URL,
    ...body,
    meta: {
      version: 'v1.0.0',
      lastModified: new Date().toISOString().slice(0, 19),
      'x-generatedBy': generatedBy,
      ...(warnings.length ? { 'x-warnings': warnings } : {}),
      ...(dropped.length ? { 'x-dropped': dropped } : {}),
    },
  };
}

/** A draft built from the evidence alone (no model): every sentence is a fact of the snapshot. */
export function templateDraft({ snapshot: s, selected, targetRole, language }: DraftInput): JsonResume {
  const ko = language === 'KO';
  const repos = s.repos.slice(0, selected);
  const langs = languageTotals(s, selected);
  const summaryParts = [
    s.profile.bio ?? '',
    ko
      ? `GitHub 공개 저장소 ${s.profile.publicRepos}개${langs.length ? `, 주요 언어: ${langs.slice(0, 4).join(', ')}` : ''}.`
      : `${s.profile.publicRepos} public GitHub repositories${langs.length ? `; main languages: ${langs.slice(0, 4).join(', ')}` : ''}.`,
    ko ? '(AI 없이 GitHub 데이터로 만든 초안입니다.)' : '(Draft assembled from GitHub data without AI.)',
  ].filter(Boolean);
  const projects = repos.map((r) => {
    const highlights: string[] = [];
    if (r.description) highlights.push(ko ? `${r.name} 개발: ${r.description}` : `Built ${r.name}: ${r.description}`);
    const tl = topLanguages(r);
    if (tl.length) highlights.push(ko ? `사용 언어: ${tl.join(', ')}` : `Written in ${tl.join(', ')}`);
    if (r.stars > 0) highlights.push(ko ? `GitHub 스타 ${r.stars}개, 포크 ${r.forks}개` : `${r.stars} GitHub stars and ${r.forks} forks`);
    return { ...projectShell(r), highlights, 'x-highlightEvidence': highlights.map(() => [r.id]) };
  });
  return envelope(
    {
      basics: basics(s, targetRole, summaryParts.join(' ')),
      projects: [...projects, ...contributionProjects(s, language)],
      skills: langs.length ? [{ name: ko ? '프로그래밍 언어' : 'Languages', keywords: langs.slice(0, 10) }] : [],
    },
    'template',
    [],
    [],
  );
}

/** What the model must answer for a draft. */
export const DraftSchema = z.object({
  label: z.string().max(120).optional(),
  summary: z.string().min(1).max(1500),
  projects: z
    .array(
      z.object({
        evidence: z.string(),
        highlights: z.array(z.object({ text: z.string().min(1).max(400), evidence: z.array(z.string()).min(1).max(5) })).max(6),
      }),
    )
    .max(10),
  skills: z.array(z.object({ name: z.string().min(1).max(60), keywords: z.array(z.string().max(60)).max(20) })).max(10),
});
export type DraftAnswer = z.infer<typeof DraftSchema>;

export const DRAFT_SYSTEM = [
  'You write resume content for software developers from GitHub evidence.',
  'Rules:',
  '1. Use ONLY facts present in EVIDENCE. Never invent employers, organisations, titles, dates, certifications or metrics.',
  '2. Every highlight cites the ids of the evidence items it rests on, in "evidence" (e.g. "repo:commit-lens", "pr:owner/repo#12").',
  '3. A number may appear only if it appears in the cited evidence (stars, forks, PR numbers, dates). Otherwise write a qualitative sentence.',
  '4. One sentence per highlight, at most 30 words, starting with a past-tense action verb. ASCII punctuation.',
  '5. Answer with JSON only: {"label": string, "summary": string, "projects": [{"evidence": "repo:<name>", "highlights": [{"text": string, "evidence": [string]}]}], "skills": [{"name": string, "keywords": [string]}]}',
].join('\n');

export function draftPrompt({ snapshot: s, selected, targetRole, language }: DraftInput): string {
  const evidence = {
    profile: s.profile,
    repositories: s.repos.slice(0, selected),
    mergedPullRequests: s.pullRequests,
  };
  return `TARGET ROLE: ${targetRole}\nLANGUAGE: ${language === 'KO' ? 'Korean' : 'English'}\nEVIDENCE:\n${JSON.stringify(evidence)}`;
}

/** Turns a model answer into JSON Resume; ungrounded highlights are dropped and listed in `meta.x-dropped`. */
export function assembleDraft(input: DraftInput, answer: DraftAnswer, index: EvidenceIndex, generatedBy: string): JsonResume {
  const { snapshot: s, selected, targetRole, language } = input;
  const repos = s.repos.slice(0, selected);
  const dropped: { text: string; reasons: string[] }[] = [];
  const warnings: string[] = [];
  const byId = new Map(answer.projects.map((p) => [p.evidence, p]));
  for (const p of answer.projects)
    if (!repos.some((r) => r.id === p.evidence)) warnings.push(`ignored a project for unknown evidence "${p.evidence}"`);
  const projects = repos.map((r) => {
    const highlights: string[] = [];
    const cites: string[][] = [];
    for (const h of byId.get(r.id)?.highlights ?? []) {
      const verdict = checkGrounding(h.text, h.evidence, index);
      if (verdict.ok) {
        highlights.push(h.text);
        cites.push(h.evidence);
      } else dropped.push({ text: h.text, reasons: verdict.reasons });
    }
    return { ...projectShell(r), highlights, 'x-highlightEvidence': cites };
  });
  let summary = answer.summary;
  const summaryVerdict = checkGrounding(
    summary,
    ['profile', ...repos.map((r) => r.id), ...s.pullRequests.map((p) => p.id)],
    index,
    targetRole,
  );
  if (!summaryVerdict.ok) {
    dropped.push({ text: summary, reasons: summaryVerdict.reasons });
    summary = templateDraft(input).basics.summary;
  }
  const skills = answer.skills
    .map((sk) => ({ name: sk.name, keywords: sk.keywords.filter((k) => index.all.includes(k.toLowerCase())) }))
    .filter((sk) => sk.keywords.length > 0);
  if (dropped.length) warnings.push(`${dropped.length} generated statement(s) were dropped because the evidence does not support them`);
  return envelope(
    {
      basics: basics(s, targetRole, summary, answer.label),
      projects: [...projects, ...contributionProjects(s, language)],
      skills,
    },
    generatedBy,
    warnings,
    dropped,
  );
}
