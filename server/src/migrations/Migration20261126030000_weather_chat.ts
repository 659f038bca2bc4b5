import { Migration } from '@mikro-orm/migrations';

export class Migration20261126030000_weather_chat extends Migration {
  override async up(): Promise<void> {
    // One row per KMA announcement and zone (getPwnCd row); a re-poll of the same data hits the unique key.
    this.addSql(`create table weather_alerts (
      id int unsigned not null auto_increment primary key,
      stn_id varchar(5) character set ascii not null,
      tm_fc bigint unsigned not null,
      tm_seq int unsigned not null,
      area_code varchar(10) character set ascii not null,
      area_name varchar(50) not null,
      province varchar(10) null,
      warn_var smallint not null,
      kind varchar(15) not null,
      level varchar(10) not null,
      command varchar(15) not null,
      issued_at datetime(3) not null,
      starts_at datetime(3) null,
      ends_at datetime(3) null,
      cancelled tinyint(1) not null default 0,
      active tinyint(1) not null default 0,
      created_at datetime(3) not null,
      unique key weather_alerts_announcement_zone_unique (stn_id, tm_fc, tm_seq, area_code, warn_var),
      key weather_alerts_zone_idx (area_code, warn_var, tm_fc, tm_seq),
      key weather_alerts_province_active_idx (province, active)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    // One room per province, ever: opened, archived and reopened in place (the unique key stops duplicates).
    this.addSql(`create table chat_rooms (
      id int unsigned not null auto_increment primary key,
      province varchar(10) not null,
      title varchar(100) not null,
      status varchar(10) not null,
      opened_at datetime(3) not null,
      archived_at datetime(3) null,
      last_alert_at datetime(3) null,
      pinned_card longtext null,
      last_seq int unsigned not null default 0,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      unique key chat_rooms_province_unique (province),
      key chat_rooms_status_idx (status)
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table chat_messages (
      id bigint unsigned not null auto_increment primary key,
      room_id int unsigned not null,
      seq int unsigned not null,
      author_id int unsigned not null,
      body text not null,
      client_message_id varchar(64) character set ascii null,
      created_at datetime(3) not null,
      unique key chat_messages_room_seq_unique (room_id, seq),
      unique key chat_messages_client_id_unique (room_id, author_id, client_message_id),
      constraint chat_messages_room_fk foreign key (room_id) references chat_rooms (id) on delete cascade,
      constraint chat_messages_author_fk foreign key (author_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists chat_messages');
    this.addSql('drop table if exists chat_rooms');
    this.addSql('drop table if exists weather_alerts');
  }
}
