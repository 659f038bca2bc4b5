import { IsEnum, Max, Min } from 'class-validator';
import { Field, Float, InputType } from 'type-graphql';
import { Province } from '../geo/province.js';
import { IsNickname } from './user.validators.js';

@InputType({ description: 'Changes to your own profile; omitted fields stay as they are, null clears the home location.' })
export class UpdateProfileInput {
  @Field(() => String, {
    nullable: true,
    description: 'New nickname: 2-20 letters (Hangul included), digits or _; unique case-insensitively.',
  })
  @IsNickname()
  nickname?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Home latitude (WGS84). Stored, never returned. Give it together with homeLongitude.',
  })
  @Min(-90, { message: 'must be between -90 and 90' })
  @Max(90, { message: 'must be between -90 and 90' })
  homeLatitude?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Home longitude (WGS84). Stored, never returned. Give it together with homeLatitude.',
  })
  @Min(-180, { message: 'must be between -180 and 180' })
  @Max(180, { message: 'must be between -180 and 180' })
  homeLongitude?: number | null;

  @Field(() => Province, {
    nullable: true,
    description: 'Home province; derived from the home location instead when a reverse geocoder is configured.',
  })
  @IsEnum(Province, { message: 'is not a province' })
  homeProvince?: Province | null;
}
