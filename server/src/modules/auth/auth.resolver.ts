import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Public } from '../../app/graphql/auth.js';
import type { Context } from '../../app/graphql/context.js';
import type { AuthService } from './auth.service.js';
import type { KakaoAuthService } from './kakao.service.js';
import { LogInInput, SignUpInput } from './auth.inputs.js';
import { AuthPayload, KakaoLoginUrl } from './auth.types.js';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly kakao: KakaoAuthService,
  ) {}

  @Public()
  @Mutation(() => AuthPayload, { description: 'Creates an account with email and password and signs it in.' })
  signUp(
    @Arg('input', () => SignUpInput, { description: 'The new account.' }) input: SignUpInput,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return this.auth.signUp(ctx, input);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Signs in with email and password. Wrong email or password give the same UNAUTHENTICATED; repeated failures RATE_LIMITED.',
  })
  logIn(@Arg('input', () => LogInInput, { description: 'Credentials.' }) input: LogInInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return this.auth.logIn(ctx, input);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Exchanges a refresh token for a new pair; the old token stops working. Re-using a rotated token signs out that session.',
  })
  refreshSession(
    @Arg('refreshToken', { description: 'The current refresh token.' }) refreshToken: string,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return this.auth.refresh(ctx, refreshToken);
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Revokes a session (or every session of its user); false when the token was not active.' })
  logOut(
    @Arg('refreshToken', { description: 'The refresh token of the session.' }) refreshToken: string,
    @Arg('allDevices', () => Boolean, { nullable: true, defaultValue: false, description: 'Also sign out every other device.' })
    allDevices: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.auth.logOut(ctx, refreshToken, allDevices === true);
  }

  @Query(() => KakaoLoginUrl, { description: 'Starts a Kakao login: the authorize URL and its single-use state.' })
  kakaoLoginUrl(
    @Arg('redirectUri', () => String, {
      nullable: true,
      description: 'Where Kakao sends the browser back; defaults to the configured one.',
    })
    redirectUri: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<KakaoLoginUrl> {
    return this.kakao.loginUrl(ctx, redirectUri);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Completes a Kakao login with the code and state from the redirect; creates the account on first use.',
  })
  logInWithKakao(
    @Arg('code', { description: 'The authorization code from the redirect.' }) code: string,
    @Arg('state', { description: 'The state from `kakaoLoginUrl`.' }) state: string,
    @Ctx() ctx: Context,
  ): Promise<AuthPayload> {
    return this.kakao.logIn(ctx, code, state);
  }
}
