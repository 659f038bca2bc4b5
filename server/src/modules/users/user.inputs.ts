import { Field, Float, InputType } from 'type-graphql';
import { Province } from '../geo/province.js';

@InputType({ description: 'Changes to your own profile; omitted fields stay as they are, null clears the home location.' })
export class UpdateProfileInput {
  @Field(() => String, {
    nullable: true,
    description: 'New nickname: 2-20 letters (Hangul included), digits or _; unique case-insensitively.',
  })
  nickname?: string | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Home latitude (WGS84). Stored, never returned. Give it together with homeLongitude.',
  })
  homeLatitude?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Home longitude (WGS84). Stored, never returned. Give it together with homeLatitude.',
  })
  homeLongitude?: number | null;

  @Field(() => Province, {
    nullable: true,
    description: 'Home province; derived from the home location instead when a reverse geocoder is configured.',
  })
  homeProvince?: Province | null;
}
