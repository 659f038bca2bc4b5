import { Migration } from '@mikro-orm/migrations';

export class Migration20261126050000_resumes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table resumes (
      id int unsigned not null auto_increment primary key,
      owner_id int unsigned not null,
      title varchar(200) not null,
      visibility varchar(10) not null default 'PRIVATE',
      content longtext not null,
      evidence longtext null,
      version int not null default 1,
      generated_by varchar(100) not null,
      github_username varchar(39) null,
      view_count int unsigned not null default 0,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      key resumes_owner_idx (owner_id, id),
      key resumes_public_recent_idx (visibility, id),
      constraint resumes_owner_fk foreign key (owner_id) references users (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table resume_versions (
      resume_id int unsigned not null,
      version int not null,
      title varchar(200) not null,
      content longtext not null,
      generated_by varchar(100) not null,
      created_at datetime(3) not null,
      primary key (resume_id, version),
      constraint resume_versions_resume_fk foreign key (resume_id) references resumes (id) on delete cascade
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    this.addSql(`create table resume_jobs (
      id int unsigned not null auto_increment primary key,
      user_id int unsigned not null,
      resume_id int unsigned null,
      kind varchar(10) not null,
      status varchar(10) not null default 'QUEUED',
      stage varchar(20) not null default 'queued',
      progress int not null default 0,
      error varchar(500) null,
      error_code varchar(40) null,
      input longtext not null,
      created_at datetime(3) not null,
      updated_at datetime(3) not null,
      key resume_jobs_user_idx (user_id, id),
      key resume_jobs_resume_idx (resume_id),
      constraint resume_jobs_user_fk foreign key (user_id) references users (id) on delete cascade,
      constraint resume_jobs_resume_fk foreign key (resume_id) references resumes (id) on delete set null
    ) engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`);
    // One row per user who ran an LLM job since the last reset; the daily job zeroes them in key-range chunks.
    this.addSql(`create table llm_usage (
      user_id int unsigned not null primary key,
      jobs_used int not null default 0
    ) engine=InnoDB`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table llm_usage');
    this.addSql('drop table resume_jobs');
    this.addSql('drop table resume_versions');
    this.addSql('drop table resumes');
  }
}
