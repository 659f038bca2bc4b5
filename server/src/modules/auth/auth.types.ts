import { Field, ObjectType } from 'type-graphql';
import { User } from '../users/user.entity.js';

@ObjectType({ description: 'A signed-in session: a short-lived access token and a rotating refresh token.' })
export class AuthPayload {
  @Field({ description: 'HS256 JWT for `Authorization: Bearer …` (HTTP) or `connectionParams.authorization` (graphql-ws).' })
  accessToken!: string;

  @Field({ description: 'Opaque, single-use: `refreshSession` exchanges it for a new pair. Keep it secret.' })
  refreshToken!: string;

  @Field(() => Date, { description: 'When the access token stops working.' })
  accessTokenExpiresAt!: Date;

  @Field(() => User, { description: 'The signed-in user.' })
  user!: User;
}

@ObjectType({ description: 'Where to send the browser to sign in with Kakao.' })
export class KakaoLoginUrl {
  @Field({ description: 'Kakao authorize URL (with state and PKCE challenge).' })
  url!: string;

  @Field({ description: 'Single-use value Kakao echoes back; pass it to `logInWithKakao`. Expires after a few minutes.' })
  state!: string;
}
