import { startTestApi, type TestApi } from '../../../test/create-test-app';
import { createUser } from '../../../test/factories/user.factory';
import { codeOf } from '../../../test/graphql';
import { startGithubStub, type GithubStub } from '../../../test/stubs/github-stub';
import { startLlmStub, type LlmStub } from '../../../test/stubs/llm-stub';
import { testConfig } from '../../../test/test-config';
import { subscribe, wsClient } from '../../../test/ws-client';
import { startWorker } from '../../main.worker';
import { usageResetJob } from './resume.jobs';

const JOB_FIELDS = 'id status stage progress error errorCode resume { id title generatedBy version content }';
const GENERATE = `mutation($input: GenerateResumeInput!) { generateResume(input: $input) { ${JOB_FIELDS} } }`;

type Env = { api: TestApi; stop(): Promise<void> };

async function startEnv(overrides: Record<string, string>): Promise<Env> {
  const api = await startTestApi(overrides);
  const worker = await startWorker(testConfig(overrides));
  return { api, stop: async () => Promise.all([worker.stop(), api.stop()]).then(() => undefined) };
}

/** Queues a job, follows it over graphql-ws until it ends, and returns every event and the final state. */
async function runJob(api: TestApi, token: string, mutation: string, variables: Record<string, unknown>, field = 'generateResume') {
  const queued = await api.gql(mutation, variables, token);
  if (queued.errors) throw new Error(JSON.stringify(queued.errors));
  const job = (queued.data as any)[field];
  expect(job.status).toBe('QUEUED');
  const client = wsClient(api.url, token);
  const sub = await subscribe(client, `subscription($id: ID!) { resumeJobUpdated(jobId: $id) { ${JOB_FIELDS} } }`, { id: job.id });
  // The job may have finished before the subscription was registered: poll as well.
  let final: any;
  const deadline = Date.now() + 30_000;
  while (!final && Date.now() < deadline) {
    const ended = sub.events.find((e: any) => ['SUCCEEDED', 'FAILED'].includes(e.resumeJobUpdated.status));
    if (ended) final = (await api.gqlOk(`query($id: ID!) { resumeJob(id: $id) { ${JOB_FIELDS} } }`, { id: job.id }, token)).resumeJob;
    else {
      const polled = (await api.gqlOk(`query($id: ID!) { resumeJob(id: $id) { ${JOB_FIELDS} } }`, { id: job.id }, token)).resumeJob;
      if (['SUCCEEDED', 'FAILED'].includes(polled.status)) final = polled;
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  sub.close();
  await client.dispose();
  return { job, final, events: sub.events.map((e: any) => e.resumeJobUpdated) };
}

describe('resume jobs without a model (LLM_PROVIDER=none)', () => {
  let github: GithubStub;
  let env: Env;
  beforeAll(async () => {
    github = await startGithubStub();
    env = await startEnv({ GITHUB_API_URL: github.url, LLM_PROVIDER: 'none', LLM_DAILY_JOB_LIMIT: '3' });
  });
  afterAll(async () => {
    await env.stop();
    await github.close();
  });
  beforeEach(() => env.api.reset());

  it('drafts a template resume from GitHub evidence, reporting stages, and refuses AI edits', async () => {
    const { token } = await createUser(env.api);
    const { final, events } = await runJob(env.api, token, GENERATE, {
      input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer', language: 'EN' },
    });
    expect(final.status).toBe('SUCCEEDED');
    expect(final.progress).toBe(100);
    expect(events.map((e: any) => e.stage)).toEqual(expect.arrayContaining(['validate', 'done']));
    const resume = final.resume;
    expect(resume.generatedBy).toBe('template');
    expect(resume.content.meta['x-generatedBy']).toBe('template');
    expect(resume.content.basics.name).toBe('Haneul Kim');
    expect(resume.content.basics.profiles[0]).toMatchObject({ network: 'GitHub', username: 'haneul-dev' });
    const names = resume.content.projects.map((p: any) => p.name);
    expect(names).toContain('commit-lens');
    // the fork in the fixture is not the user's work
    const forkName = require('../../../test/fixtures/github/github-repos.json').find((r: any) => r.fork).name;
    expect(names).not.toContain(forkName);
    // merged PRs to other people's repositories are contributions with evidence ids
    const contribution = resume.content.projects.find((p: any) => p.roles?.includes('Contributor'));
    expect(contribution['x-evidence'][0]).toMatch(/^pr:/);
    expect(resume.content.skills[0].keywords).toContain('TypeScript');

    const revise = await env.api.gql(
      'mutation($id: ID!) { reviseResumeSection(id: $id, path: "basics.summary", instruction: "shorter") { id } }',
      { id: resume.id },
      token,
    );
    expect(codeOf(revise)).toBe('SERVICE_UNAVAILABLE');
    expect(revise.errors![0].message).toMatch(/LLM_PROVIDER/);
  });

  it('reuses cached bodies on 304 Not Modified', async () => {
    const { token } = await createUser(env.api);
    const input = { input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer', language: 'KO' } };
    expect((await runJob(env.api, token, GENERATE, input)).final.status).toBe('SUCCEEDED');
    const before = github.log.length;
    const second = await runJob(env.api, token, GENERATE, input);
    expect(second.final.status).toBe('SUCCEEDED');
    const again = github.log.slice(before);
    expect(again.length).toBeGreaterThan(0);
    // everything that had a body (and an ETag) the first time is now a 304; only missing READMEs are asked again
    expect(again.filter((r) => r.status !== 404).every((r) => r.status === 304 && r.ifNoneMatch)).toBe(true);
    expect(again.filter((r) => r.status === 304).length).toBeGreaterThanOrEqual(4);
    expect(second.final.resume.content.basics.name).toBe('Haneul Kim');
  });

  it('fails with NOT_FOUND for an unknown GitHub user', async () => {
    const { token } = await createUser(env.api);
    const { final } = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'nobody-here', targetRole: 'Dev' } });
    expect(final).toMatchObject({ status: 'FAILED', errorCode: 'NOT_FOUND', resume: null });
    expect(final.error).toMatch(/nobody-here/);
  });

  it('waits for a rate limit that resets soon, and fails clearly when it resets late', async () => {
    const { token } = await createUser(env.api); // (beforeEach emptied the ETag cache: requests really go out)
    github.rateLimit(1);
    const near = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'haneul-dev', targetRole: 'Dev' } });
    expect(near.final.status).toBe('SUCCEEDED');
    expect(github.log.some((r) => r.status === 403)).toBe(true);

    github.rateLimit(3600, 5);
    const late = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'haneul-dev', targetRole: 'Dev' } });
    expect(late.final).toMatchObject({ status: 'FAILED', errorCode: 'RATE_LIMITED' });
    expect(late.final.error).toMatch(/rate limit/i);
  });

  it('enforces the daily quota and the reset job restores it', async () => {
    const { token, user } = await createUser(env.api);
    const other = await createUser(env.api);
    const input = { input: { githubUsername: 'nobody-here', targetRole: 'Dev' } };
    for (let i = 0; i < 3; i += 1) expect((await env.api.gql(GENERATE, input, token)).errors).toBeUndefined();
    await env.api.gqlOk(GENERATE, input, other.token);
    const over = await env.api.gql(GENERATE, input, token);
    expect(codeOf(over)).toBe('RATE_LIMITED');
    expect(over.errors![0].message).toMatch(/3 AI jobs/);
    const usage = (await env.api.gqlOk('{ myUsage { llmJobsUsed llmJobsLimit resetsAt } }', undefined, token)).myUsage;
    expect(usage).toMatchObject({ llmJobsUsed: 3, llmJobsLimit: 3 });
    expect(Date.parse(usage.resetsAt)).toBeGreaterThan(Date.now());

    const result = await usageResetJob(env.api.modules.resumes.usage).handle({} as any);
    expect(result).toMatchObject({ rows: 2, skipped: false });
    // later runs the same day leave the counters alone
    await env.api.gqlOk(GENERATE, input, other.token);
    expect(await usageResetJob(env.api.modules.resumes.usage).handle({} as any)).toMatchObject({ rows: 0, skipped: true });
    expect((await env.api.gqlOk('{ myUsage { llmJobsUsed } }', undefined, other.token)).myUsage.llmJobsUsed).toBe(1);
    expect((await env.api.gqlOk('{ myUsage { llmJobsUsed } }', undefined, token)).myUsage.llmJobsUsed).toBe(0);
    expect((await env.api.gql(GENERATE, input, token)).errors).toBeUndefined();
    expect(user.id).toBeGreaterThan(0);
  });

  it('rejects bad input and anonymous callers', async () => {
    const { token } = await createUser(env.api);
    const bad = await env.api.gql(GENERATE, { input: { githubUsername: '-bad name', targetRole: ' ' } }, token);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(Object.keys(bad.errors![0].extensions!.fields)).toEqual(expect.arrayContaining(['githubUsername', 'targetRole']));
    expect(codeOf(await env.api.gql(GENERATE, { input: { githubUsername: 'a', targetRole: 'b' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('resume jobs with an OpenAI-compatible model', () => {
  let github: GithubStub;
  let llm: LlmStub;
  let env: Env;
  const goodDraft = {
    label: 'Backend engineer',
    summary: 'Backend engineer who builds developer tools in TypeScript.',
    projects: [
      {
        evidence: 'repo:commit-lens',
        highlights: [
          {
            text: 'Built commit-lens, a tool that summarizes GitHub activity into resume-ready bullet points',
            evidence: ['repo:commit-lens'],
          },
          { text: 'Led 12 engineers at Google to ship commit-lens', evidence: ['repo:commit-lens'] },
          { text: 'Partnered with Initech Corp on the design', evidence: ['repo:commit-lens'] },
          { text: 'Wrote the CLI in TypeScript', evidence: ['repo:does-not-exist'] },
        ],
      },
    ],
    skills: [{ name: 'Languages', keywords: ['TypeScript', 'COBOL'] }],
  };

  beforeAll(async () => {
    github = await startGithubStub();
    llm = await startLlmStub();
    env = await startEnv({
      GITHUB_API_URL: github.url,
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'stub-model',
      LLM_TIMEOUT_MS: '1500',
    });
  });
  afterAll(async () => {
    await env.stop();
    await llm.close();
    await github.close();
  });
  beforeEach(() => env.api.reset());

  it('runs the whole job with progress events, keeps grounded highlights and drops invented facts', async () => {
    const { token } = await createUser(env.api);
    llm.reply(JSON.stringify(goodDraft));
    const { final, events } = await runJob(env.api, token, GENERATE, {
      input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer', language: 'EN' },
    });
    expect(final.status).toBe('SUCCEEDED');
    const progress = events.map((e: any) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', stage: 'done', progress: 100 });
    expect(new Set(events.map((e: any) => e.stage))).toEqual(new Set(['collect', 'select', 'draft', 'validate', 'save', 'done']));

    const content = final.resume.content;
    expect(final.resume.generatedBy).toBe('openai:stub-model');
    const lens = content.projects.find((p: any) => p.name === 'commit-lens');
    expect(lens.highlights).toEqual(['Built commit-lens, a tool that summarizes GitHub activity into resume-ready bullet points']);
    expect(lens['x-highlightEvidence']).toEqual([['repo:commit-lens']]);
    const dropped = content.meta['x-dropped'].map((d: any) => d.text);
    expect(dropped).toEqual(
      expect.arrayContaining([
        goodDraft.projects[0].highlights[1].text,
        goodDraft.projects[0].highlights[2].text,
        goodDraft.projects[0].highlights[3].text,
      ]),
    );
    // dropped statements stay visible for review in meta.x-dropped only, never in the resume itself
    expect(JSON.stringify({ ...content, meta: null })).not.toMatch(/Led 12 engineers|Initech/);
    expect(content.skills).toEqual([{ name: 'Languages', keywords: ['TypeScript'] }]);
    // the model saw only the evidence, which carries the ids it must cite
    const prompt = llm.requests
      .at(-1)!
      .messages.map((m) => m.content)
      .join('\n');
    expect(prompt).toContain('repo:commit-lens');
    expect(prompt).toContain('Never invent');
  });

  it('repairs invalid JSON once, then fails clearly when the repair is invalid too', async () => {
    const { token } = await createUser(env.api);
    const before = llm.requests.length;
    llm.reply('Sure! Here is your resume: {not json', JSON.stringify(goodDraft));
    const repaired = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer' } });
    expect(repaired.final.status).toBe('SUCCEEDED');
    expect(llm.requests.length - before).toBe(2);
    expect(llm.requests.at(-1)!.messages.at(-1)!.content).toMatch(/not valid/);

    llm.reply('{"summary": 3}', 'still not json');
    const failed = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer' } });
    expect(failed.final).toMatchObject({ status: 'FAILED', errorCode: 'INVALID_OUTPUT' });
    expect(failed.final.error).toMatch(/repair/);
  });

  it('fails with a clear message when the model times out', async () => {
    const { token } = await createUser(env.api);
    llm.reply({ hang: true });
    const { final } = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer' } });
    expect(final).toMatchObject({ status: 'FAILED', errorCode: 'SERVICE_UNAVAILABLE' });
    expect(final.error).toMatch(/timed out/);
  });

  it('revises one section only, as a new version; an edit inventing numbers is refused', async () => {
    const { token } = await createUser(env.api);
    llm.reply(JSON.stringify(goodDraft));
    const { final } = await runJob(env.api, token, GENERATE, {
      input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer', language: 'EN' },
    });
    const resume = final.resume;
    const REVISE = `mutation($id: ID!, $path: String!, $instruction: String!) { reviseResumeSection(id: $id, path: $path, instruction: $instruction) { ${JOB_FIELDS} } }`;

    llm.reply(JSON.stringify({ value: 'TypeScript backend engineer building developer tools such as commit-lens.' }));
    const ok = await runJob(
      env.api,
      token,
      REVISE,
      { id: resume.id, path: 'basics.summary', instruction: 'Make it punchier' },
      'reviseResumeSection',
    );
    expect(ok.final.status).toBe('SUCCEEDED');
    expect(ok.final.resume.version).toBe(2);
    const after = ok.final.resume.content;
    expect(after.basics.summary).toBe('TypeScript backend engineer building developer tools such as commit-lens.');
    expect({ ...after, basics: { ...after.basics, summary: null } }).toEqual({
      ...resume.content,
      basics: { ...resume.content.basics, summary: null },
    });

    llm.reply(JSON.stringify({ value: 'Grew revenue by 300% at Acme Corp.' }));
    const refused = await runJob(
      env.api,
      token,
      REVISE,
      { id: resume.id, path: 'basics.summary', instruction: 'Add impact' },
      'reviseResumeSection',
    );
    expect(refused.final).toMatchObject({ status: 'FAILED', errorCode: 'INVALID_OUTPUT' });
    const current = (await env.api.gqlOk('query($id: ID!) { resume(id: $id) { version } }', { id: resume.id }, token)).resume;
    expect(current.version).toBe(2);

    const badPath = await env.api.gql(REVISE, { id: resume.id, path: 'basics.name', instruction: 'x' }, token);
    expect(codeOf(badPath)).toBe('BAD_USER_INPUT');
    const other = await createUser(env.api);
    expect(codeOf(await env.api.gql(REVISE, { id: resume.id, path: 'basics.summary', instruction: 'x' }, other.token))).toBe('NOT_FOUND');
  });
});
