import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum WorkerState {
  OK = 'OK',
  DEGRADED = 'DEGRADED',
}
registerEnumType(WorkerState, {
  name: 'WorkerState',
  description: 'How the background worker looks from here.',
  valuesConfig: {
    OK: { description: 'Its heartbeat is recent: scheduled jobs run.' },
    DEGRADED: { description: 'No recent heartbeat: the worker is down or its schedules are not running.' },
  },
});

@ObjectType({ description: 'Health of the background worker, from its heartbeat job.' })
export class WorkerStatus {
  @Field(() => Date, { nullable: true, description: 'When the heartbeat job last ran; null if it never has.' })
  lastHeartbeatAt: Date | null;

  @Field({ description: 'True when the last heartbeat is recent (within three intervals).' })
  alive: boolean;

  @Field(() => WorkerState, { description: 'OK while the heartbeat is recent, DEGRADED when it is stale or missing.' })
  state: WorkerState;
}

@ObjectType({ description: 'Job counts of one background queue.' })
export class QueueStatus {
  @Field({ description: 'Queue name.' })
  name: string;

  @Field(() => Int, { description: 'Jobs waiting to run.' })
  waiting: number;

  @Field(() => Int, { description: 'Jobs running now.' })
  active: number;

  @Field(() => Int, { description: 'Jobs scheduled for later.' })
  delayed: number;

  @Field(() => Int, { description: 'Jobs that failed and are kept for inspection.' })
  failed: number;
}

@ObjectType({ description: 'Whether the service and its dependencies are up.' })
export class ServerStatus {
  @Field({ description: 'Server version.' })
  version: string;

  @Field({ description: 'Id of the API instance that answered.' })
  instanceId: string;

  @Field(() => Int, { description: 'Seconds since this API instance started.' })
  uptimeSeconds: number;

  @Field({ description: 'MySQL answered a query.' })
  database: boolean;

  @Field({ description: 'Redis answered a PING.' })
  redis: boolean;

  @Field(() => WorkerStatus, { description: 'Background worker health.' })
  worker: WorkerStatus;

  @Field(() => [QueueStatus], { description: 'Background queues.' })
  queues: QueueStatus[];
}

@ObjectType({ description: 'A ping relayed through Redis pub/sub to every API instance.' })
export class Ping {
  @Field({ description: 'The message sent with `ping`.' })
  message: string;

  @Field({ description: 'Id of the API instance that received the `ping` mutation.' })
  instanceId: string;

  @Field(() => Date, { description: 'When it was sent.' })
  at: Date;
}
