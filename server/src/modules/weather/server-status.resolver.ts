import { Ctx, Extensions, FieldResolver, Resolver } from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import { ServerStatus } from '../system/system.types.js';
import type { WeatherService } from './weather.service.js';
import { WeatherPollerStatus } from './weather.types.js';

/** Adds the KMA poller's health to `serverStatus` (the weather module owns that data). */
@Resolver(() => ServerStatus)
export class ServerStatusWeatherResolver {
  constructor(private readonly weather: WeatherService) {}

  @Extensions({ perViewer: true })
  @FieldResolver(() => WeatherPollerStatus, {
    description: 'The KMA warning poller: IDLE, OK, FAILING or UNKNOWN; the failure message is shown to admins only.',
  })
  async weatherPoller(@Ctx() ctx: Context): Promise<WeatherPollerStatus> {
    const status = await this.weather.status();
    return ctx.user?.role === 'ADMIN' ? status : { ...status, lastError: null };
  }
}
