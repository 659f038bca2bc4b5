import { Extensions, Field, Int, InterfaceType } from 'type-graphql';
import { VoteValue } from './vote.types.js';

/** Declared once for every votable type (Post, Comment, Resume); resolved by `VotableResolver`. */
@InterfaceType('Votable', { description: 'Something people can like or dislike.' })
export abstract class Votable {
  @Field(() => Int, { description: 'Likes.' })
  likeCount: number;

  @Field(() => Int, { description: 'Dislikes.' })
  dislikeCount: number;

  @Extensions({ perViewer: true })
  @Field(() => VoteValue, { nullable: true, description: 'Your vote; null when anonymous.' })
  myVote: VoteValue | null;
}

/** Declared once for every commentable type (Post, Resume); resolved by `CommentableResolver`. */
@InterfaceType('Commentable', { description: 'Something people can comment on.' })
export abstract class Commentable {
  @Field(() => Int, { description: 'Comments not deleted.' })
  commentCount: number;
}
