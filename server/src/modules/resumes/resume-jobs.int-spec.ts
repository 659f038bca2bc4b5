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
  const job = queued.data[field];
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
    const { final, events } = await runJob(env.api, token, GENERATE, { input: { githubUsername: 'haneul-dev', targetRole: 'Backend engineer', language: 'EN' } });
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

    const result = await usageResetJob.handle({} as any, env.api.services);
    expect(result.rows).toBe(2);
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
