import { UnrecoverableError } from 'bullmq';
import type { JobDefinition } from '../../app/queue/jobs.js';
import { QueueName } from '../../app/queue/queues.js';
import { KmaError } from './kma.client.js';
import { POLL_JOB, type WeatherService } from './weather.service.js';
import type { WeatherPollResult } from './weather.types.js';

/**
 * Polls KMA warnings every `intervalSeconds` (a job scheduler); `pollWeatherAlertsNow` adds the same job
 * on demand. Retryable KMA failures retry with exponential backoff; auth/config errors fail at once.
 */
export function weatherPollJob(weather: WeatherService, intervalSeconds: number): JobDefinition<unknown, WeatherPollResult> {
  return {
    queue: QueueName.WEATHER,
    name: POLL_JOB,
    everyMs: intervalSeconds * 1000,
    schedulerJobOptions: { attempts: 4, backoff: { type: 'exponential', delay: 10_000 } },
    handle: async () => {
      try {
        return { ...(await weather.poll()) };
      } catch (err) {
        if (err instanceof KmaError && !err.retryable) throw new UnrecoverableError(err.message);
        throw err;
      }
    },
  };
}
