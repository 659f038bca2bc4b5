import { ArgsType, Field, Float, InputType } from 'type-graphql';
import { ConnectionArgs } from '../../app/graphql/relay.js';
import { TextLength } from '../../app/graphql/validators.js';
import { PostTopic } from './post.entity.js';

export const TITLE_MAX = 100;
export const BODY_MAX = 5000;

@InputType('CreatePostInput', { description: 'A new post at a place in the area we serve (South Korea).' })
export class CreatePostInput {
  @Field({ description: 'Title, 1 to 100 characters (trimmed).' })
  @TextLength(1, TITLE_MAX)
  title: string;

  @Field({ description: 'Text, 1 to 5,000 characters (trimmed).' })
  @TextLength(1, BODY_MAX)
  body: string;

  @Field(() => Float, { description: 'Latitude in degrees (WGS84); never returned.' })
  latitude: number;

  @Field(() => Float, { description: 'Longitude in degrees (WGS84); never returned.' })
  longitude: number;

  @Field(() => PostTopic, { nullable: true, description: 'What it is about; OTHER when omitted.' })
  topic?: PostTopic | null;
}

@InputType('UpdatePostInput', { description: 'Changes to a post; omitted fields stay as they are. Latitude and longitude go together.' })
export class UpdatePostInput {
  @Field(() => String, { nullable: true, description: 'New title, 1 to 100 characters.' })
  @TextLength(1, TITLE_MAX)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New text, 1 to 5,000 characters.' })
  @TextLength(1, BODY_MAX)
  body?: string | null;

  @Field(() => Float, { nullable: true, description: 'New latitude (with longitude).' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'New longitude (with latitude).' })
  longitude?: number | null;

  @Field(() => PostTopic, { nullable: true, description: 'New topic.' })
  topic?: PostTopic | null;
}

@ArgsType()
export class PostsNearArgs extends ConnectionArgs {
  @Field(() => Float, { description: 'Latitude of the place to search around.' })
  latitude: number;

  @Field(() => Float, { description: 'Longitude of the place to search around.' })
  longitude: number;

  @Field(() => Float, { defaultValue: 5, description: 'Search radius in km, more than 0 and at most 20.' })
  radiusKm: number = 5;
}
