import { IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { ConnectionArgs } from '../../app/graphql/relay.js';
import { MissionStatus, SubmissionStatus, VerificationKind } from './mission.entity.js';

@InputType({ description: 'How proofs are checked; which other fields are needed depends on `kind`.' })
export class VerificationInput {
  @Field(() => VerificationKind, { description: 'PHOTO, LOCATION, WEATHER or CODE.' })
  kind: VerificationKind;

  @Field(() => Float, { nullable: true, description: 'Mission point latitude (LOCATION; optional for WEATHER and PHOTO).' })
  @IsOptional()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'Mission point longitude.' })
  @IsOptional()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => Int, { nullable: true, description: 'Allowed distance from the mission point, in meters (10 to 100,000).' })
  @IsOptional()
  @Min(10)
  @Max(100000)
  radiusMeters?: number | null;

  @Field(() => String, { nullable: true, description: 'WEATHER: RAIN, SNOW, PRECIPITATION, CLEAR, TEMP_GTE:<°C> or TEMP_LTE:<°C>.' })
  @IsOptional()
  @MaxLength(40)
  weatherCondition?: string | null;

  @Field(() => String, { nullable: true, description: 'CODE: the secret code (4 to 64 characters); stored hashed, never returned.' })
  @IsOptional()
  @MinLength(4)
  @MaxLength(64)
  code?: string | null;
}

@InputType({ description: 'A new mission.' })
export class CreateMissionInput {
  @Field({ description: 'Short title (1 to 100 characters).' })
  @MinLength(1)
  @MaxLength(100)
  title: string;

  @Field({ description: 'What to do (up to 5,000 characters).' })
  @MaxLength(5000)
  description: string;

  @Field(() => Date, { description: 'First instant proofs are accepted.' })
  startsAt: Date;

  @Field(() => Date, { description: 'Proofs are accepted until this instant (exclusive); after startsAt.' })
  endsAt: Date;

  @Field(() => Int, { description: 'Points per completion (1 to 1,000,000).' })
  @Min(1)
  @Max(1000000)
  rewardPoints: number;

  @Field(() => Int, { nullable: true, description: 'How many completions are rewarded (first come); omit or null for unlimited.' })
  @IsOptional()
  @Min(1)
  @Max(1000000)
  capacity?: number | null;

  @Field(() => VerificationInput, { description: 'How proofs are checked.' })
  verification: VerificationInput;
}

@InputType({ description: 'Changes to a mission; omitted fields stay as they are.' })
export class UpdateMissionInput {
  @Field({ nullable: true, description: 'New title.' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(100)
  title?: string;

  @Field({ nullable: true, description: 'New description.' })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field(() => Date, { nullable: true, description: 'New start.' })
  @IsOptional()
  startsAt?: Date;

  @Field(() => Date, { nullable: true, description: 'New end.' })
  @IsOptional()
  endsAt?: Date;

  @Field(() => Int, { nullable: true, description: 'New reward for later completions.' })
  @IsOptional()
  @Min(1)
  @Max(1000000)
  rewardPoints?: number;

  @Field(() => Int, { nullable: true, description: 'New capacity; null for unlimited. Cannot go below the completions so far.' })
  @IsOptional()
  @Min(1)
  @Max(1000000)
  capacity?: number | null;

  @Field(() => VerificationInput, {
    nullable: true,
    description: 'A new verification rule (replaces the old one; a CODE rule needs its code again).',
  })
  @IsOptional()
  verification?: VerificationInput;
}

@InputType({ description: 'Evidence for an attempt; which fields are needed depends on the mission kind.' })
export class MissionProofInput {
  @Field(() => Float, { nullable: true, description: 'Where you are (LOCATION, WEATHER).' })
  @IsOptional()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'Where you are (LOCATION, WEATHER).' })
  @IsOptional()
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: 'The secret code (CODE).' })
  @IsOptional()
  @MaxLength(200)
  code?: string | null;

  @Field(() => String, { nullable: true, description: 'Id answered by `POST /uploads` (PHOTO).' })
  @IsOptional()
  @MaxLength(64)
  uploadId?: string | null;
}

@ArgsType()
export class MissionsArgs extends ConnectionArgs {
  @Field(() => MissionStatus, { nullable: true, description: 'Only missions in this state; all when omitted.' })
  status?: MissionStatus | null;
}

@ArgsType()
export class MissionSubmissionsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only proofs of this mission.' })
  missionId?: string | null;

  @Field(() => SubmissionStatus, {
    defaultValue: SubmissionStatus.PENDING_REVIEW,
    description: 'Only proofs in this state (default: the review queue).',
  })
  status: SubmissionStatus = SubmissionStatus.PENDING_REVIEW;
}
