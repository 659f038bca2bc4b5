import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../../app/graphql/relay.js';
import { User } from '../users/user.entity.js';
import { Mission, MissionSubmission, VerificationKind } from './mission.entity.js';

@ObjectType({ description: 'How proofs of a mission are checked (the CODE and the exact mission point are never shown).' })
export class MissionVerification {
  @Field(() => VerificationKind, { description: 'PHOTO, LOCATION, WEATHER or CODE.' })
  kind: VerificationKind;

  // The mission point itself is not exposed: no field returns coordinates (the description names the place).
  @Field({ description: 'Whether proofs must be made near the mission point.' })
  hasPoint: boolean;

  @Field(() => Int, { nullable: true, description: 'Allowed distance from the point, in meters.' })
  radiusMeters: number | null;

  @Field(() => String, { nullable: true, description: 'WEATHER: the condition the live observation must match.' })
  weatherCondition: string | null;
}

@ObjectType({ description: 'A started mission; submit a proof before it expires. Each attempt takes one proof.' })
export class MissionAttempt {
  @Field(() => ID, { description: 'Opaque attempt id for `submitMissionProof`.' })
  id: string;

  @Field(() => Date, { description: 'When the attempt expires unused.' })
  expiresAt: Date;

  @Field(() => Mission, { description: 'The mission.' })
  mission: Mission;
}

@ObjectType({ description: "What a photo's EXIF data says, for the reviewer. Advisory: EXIF can be stripped or forged." })
export class PhotoCheck {
  @Field({ description: 'Whether the image carries EXIF data at all.' })
  hasExif: boolean;

  @Field(() => Date, { nullable: true, description: 'When the photo says it was taken (KST assumed without a zone).' })
  takenAt: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether that time is inside the mission window; null when unknown.' })
  takenWithinWindow: boolean | null;

  @Field(() => Float, { nullable: true, description: 'Distance from the mission point in km (0.1 km steps); null when unknown.' })
  distanceKm: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the photo was taken within the mission radius; null when unknown.' })
  takenWithinRadius: boolean | null;
}

@ObjectType({ description: 'A place on the points leaderboard.' })
export class LeaderboardEntry {
  @Field(() => Int, { description: '1 for the most points; equal points share a rank.' })
  rank: number;

  @Field(() => User, { description: 'The user.' })
  user: User;

  @Field(() => Int, { description: 'Their points.' })
  points: number;
}

export const MissionConnection = connectionType(Mission, 'Mission');
export const MissionSubmissionConnection = connectionType(MissionSubmission, 'MissionSubmission');
