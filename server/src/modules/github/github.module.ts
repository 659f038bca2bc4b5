import type { Infra } from '../../app/infra.js';
import { GithubClient } from './github.client.js';
import { GithubService } from './github.service.js';

/** GitHub evidence for résumés (Octokit, cached in Redis). */
export function createGithubModule(deps: { infra: Infra }) {
  return { github: new GithubService(new GithubClient(deps.infra.config, deps.infra.redis.client, deps.infra.logger)) };
}
