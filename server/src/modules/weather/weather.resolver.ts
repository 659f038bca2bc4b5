import { Arg, Authorized, Ctx, Float, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import { Province } from '../geo/province.js';
import type { CurrentWeatherService } from './current-weather.service.js';
import type { WeatherService } from './weather.service.js';
import { WeatherAlert } from './weather-alert.entity.js';
import { WeatherTopic, type AlertIssuedPayload } from './weather.topics.js';
import { WeatherObservation, WeatherPollerStatus, WeatherPollResult } from './weather.types.js';

@Resolver()
export class WeatherResolver {
  constructor(
    private readonly weather: WeatherService,
    private readonly currentWeatherService: CurrentWeatherService,
  ) {}

  @Query(() => WeatherObservation, {
    description:
      'Latest KMA observation of the 5 km grid cell containing the point (cached 10 minutes). KMA down → stale cache or SERVICE_UNAVAILABLE.',
  })
  currentWeather(
    @Arg('latitude', () => Float, { description: 'Latitude, degrees.' }) latitude: number,
    @Arg('longitude', () => Float, { description: 'Longitude, degrees.' }) longitude: number,
  ): Promise<WeatherObservation> {
    return this.currentWeatherService.observe(latitude, longitude);
  }

  @Query(() => [WeatherAlert], { description: 'KMA warnings, newest first (at most 500).' })
  weatherAlerts(
    @Arg('province', () => Province, { nullable: true, description: 'Only this province.' }) province: Province | null,
    @Arg('activeOnly', () => Boolean, { defaultValue: true, description: 'Only the announcements in force now.' }) activeOnly: boolean,
    @Ctx() ctx: Context,
  ): Promise<WeatherAlert[]> {
    return this.weather.alerts(ctx, province ?? null, activeOnly);
  }

  @Authorized('ADMIN')
  @Query(() => WeatherPollerStatus, { description: 'Admin: health of the KMA warning poller.' })
  weatherPollerStatus(): Promise<WeatherPollerStatus> {
    return this.weather.status();
  }

  @Authorized('ADMIN')
  @Mutation(() => WeatherPollResult, {
    description: 'Admin: runs one KMA warning poll through the worker queue and answers when it finishes.',
  })
  pollWeatherAlertsNow(): Promise<WeatherPollResult> {
    return this.weather.pollNow();
  }

  @Subscription(() => WeatherAlert, {
    topics: WeatherTopic.ALERT_ISSUED,
    filter: ({ payload, args }) => !args.province || (payload as AlertIssuedPayload).province === args.province,
    description: 'Each newly announced warning (not lifts), optionally only for one province.',
  })
  async weatherAlertIssued(
    @Arg('province', () => Province, { nullable: true, description: 'Only this province.' }) _province: Province | null,
    @Root() payload: AlertIssuedPayload,
    @Ctx() ctx: Context,
  ): Promise<WeatherAlert> {
    const alert = await ctx.em.findOne(WeatherAlert, { id: payload.id });
    return alert!;
  }
}
