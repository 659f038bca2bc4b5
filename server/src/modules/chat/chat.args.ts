import { Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, Int } from 'type-graphql';
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

@ArgsType()
export class RoomMessagesArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @Min(1, { message: 'must be between 1 and 100' })
  @Max(100, { message: 'must be between 1 and 100' })
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Cursor: only messages older than this one.' })
  before?: string | null;
}
