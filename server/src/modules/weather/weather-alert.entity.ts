import { BigIntType, Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { Node } from '../../app/graphql/relay.js';
import { Province } from '../geo/province.js';
import { AlertCommand, AlertKind, AlertLevel } from './weather.codes.js';

@ObjectType('WeatherAlert', { implements: Node, description: 'One KMA announcement (특보) for one zone, mapped to a province.' })
@Entity({ tableName: 'weather_alerts' })
export class WeatherAlert {
  [OptionalProps]?: 'globalId' | 'demo' | 'cancelled' | 'active' | 'createdAt' | 'province' | 'startsAt' | 'endsAt';

  @PrimaryKey({ type: 'integer', unsigned: true, autoincrement: true })
  id!: number;

  @Field(() => ID, { name: 'id', description: 'Opaque global id.' })
  get globalId(): string {
    return toGlobalId('WeatherAlert', this.id);
  }

  @Property({ type: 'string', length: 5 })
  stnId!: string;

  @Property({ type: new BigIntType('number'), unsigned: true })
  tmFc!: number;

  @Property({ type: 'integer', unsigned: true })
  tmSeq!: number;

  @Field({ description: 'True for an announcement of the built-in demo timeline (show it as "데모 데이터").' })
  get demo(): boolean {
    return this.stnId === 'DEMO';
  }

  @Field({ description: 'KMA warning zone code (특보구역코드), e.g. L1100200; S… codes are sea zones.' })
  @Property({ type: 'string', length: 10 })
  areaCode!: string;

  @Field({ description: 'KMA warning zone name, e.g. 서울동북권.' })
  @Property({ type: 'string', length: 50 })
  areaName!: string;

  @Field(() => Province, { nullable: true, description: 'Province of the zone; null for sea zones off no province.' })
  @Enum({ items: () => Province, nullable: true })
  province: Province | null = null;

  @Property({ type: 'smallint' })
  warnVar!: number;

  @Field(() => AlertKind, { description: 'Kind of warning.' })
  @Enum({ items: () => AlertKind })
  kind!: AlertKind;

  @Field(() => AlertLevel, { description: '주의보 (ADVISORY) or 경보 (WARNING).' })
  @Enum({ items: () => AlertLevel })
  level!: AlertLevel;

  @Field(() => AlertCommand, { description: 'What this announcement did.' })
  @Enum({ items: () => AlertCommand })
  command!: AlertCommand;

  @Field(() => Date, { description: 'When KMA announced it (tmFc).' })
  @Property({ type: 'datetime', length: 3 })
  issuedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it takes effect (startTime), for issues.' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  startsAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it ends (endTime), for lifts.' })
  @Property({ type: 'datetime', length: 3, nullable: true })
  endsAt: Date | null = null;

  @Field({ description: 'True when KMA withdrew this announcement (취소된 특보).' })
  @Property({ type: 'boolean' })
  cancelled: boolean = false;

  @Field({ description: 'True while this announcement is the one in force for its zone and kind.' })
  @Property({ type: 'boolean' })
  active: boolean = false;

  @Property({ type: 'datetime', length: 3 })
  createdAt: Date = new Date();
}
