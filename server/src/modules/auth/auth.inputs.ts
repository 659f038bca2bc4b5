import { Field, InputType } from 'type-graphql';
import { IsEmailAddress, IsNickname, IsPassword } from '../users/user.validators.js';

@InputType({ description: 'A new account.' })
export class SignUpInput {
  @Field({ description: 'Email address; trimmed and lower-cased, unique.' })
  @IsEmailAddress()
  email!: string;

  @Field({ description: '8 to 72 bytes (UTF-8).' })
  @IsPassword()
  password!: string;

  @Field({ description: '2-20 letters (Hangul included), digits or _; unique case-insensitively.' })
  @IsNickname()
  nickname!: string;
}

@InputType({ description: 'Email and password of an existing account.' })
export class LogInInput {
  @Field({ description: 'Email address (case and surrounding spaces do not matter).' })
  email!: string;

  @Field({ description: 'The password.' })
  password!: string;
}
