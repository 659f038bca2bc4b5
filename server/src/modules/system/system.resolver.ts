import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Public } from '../../app/graphql/auth.js';
import type { Context } from '../../app/graphql/context.js';
import { Node } from '../../app/graphql/relay.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { TextLength } from '../../app/graphql/validators.js';
import type { SystemService } from './system.service.js';
import { SystemTopic, type PingedPayload } from './system.topics.js';
import { Ping, ServerStatus } from './system.types.js';

@ArgsType()
class PingArgs {
  @Field({ description: 'Up to 200 characters.' })
  @TextLength(0, 200, { trim: false })
  message: string;
}

@Resolver()
export class SystemResolver {
  constructor(
    private readonly system: SystemService,
    private readonly nodes: NodeRegistry,
  ) {}

  @Query(() => ServerStatus, { description: 'Health of the API, its stores and the worker.' })
  serverStatus(): Promise<ServerStatus> {
    return this.system.status();
  }

  @Query(() => Node, {
    nullable: true,
    description: 'Fetches any object by its global id; null when it does not exist or is hidden from you.',
  })
  node(@Arg('id', () => ID, { description: 'A global id.' }) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    return this.nodes.fetch(ctx, id);
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Sends a ping to every `pinged` subscriber on every API instance (a pub/sub check).' })
  async ping(@Args(() => PingArgs) { message }: PingArgs): Promise<boolean> {
    await this.system.ping(message);
    return true;
  }

  @Subscription(() => Ping, { topics: SystemTopic.PINGED, description: 'Pings sent by `ping`, from any API instance.' })
  pinged(@Root() payload: PingedPayload): Ping {
    return { ...payload, at: new Date(payload.at) };
  }
}
