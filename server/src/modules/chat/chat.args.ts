import { Matches } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { TextLength } from '../../app/graphql/validators.js';

export const MESSAGE_MAX = 1000;

@ArgsType()
export class SendMessageArgs {
  @Field(() => ID, { description: 'The room.' })
  roomId: string;

  @Field(() => String, { description: 'The text.' })
  @TextLength(1, MESSAGE_MAX, { unit: 'codePoints' })
  body: string;

  @Field(() => String, {
    nullable: true,
    description: 'Sender-chosen id (up to 64 ASCII characters) that makes retries idempotent.',
  })
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'must be 1 to 64 printable ASCII characters' })
  clientMessageId?: string | null;
}
