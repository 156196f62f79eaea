-- Issue #15: the training queue is a table Concord owns. pg-boss kept its jobs in a private
-- schema the trainer had to read around (its liveness, fencing and settling all queried
-- pgboss.job directly); this table holds the same states with the columns those rules need and
-- nothing else. packages/training/src/jobs.queries.ts is the only code that writes it.

-- Retry policy per queue: tests and operators shorten it without a code change.
create table job_queues (
  name                 text primary key,
  retry_limit          int not null default 3 check (retry_limit >= 0),
  retry_delay_seconds  int not null default 30 check (retry_delay_seconds >= 0),
  retry_backoff        boolean not null default true,
  -- An active job older than this is failed even while it beats: a round is bounded.
  expire_seconds       int not null default 14400 check (expire_seconds > 0)
);
insert into job_queues (name) values ('concord-training');

create table training_jobs (
  id           uuid primary key default gen_random_uuid(),
  project_id   uuid not null references projects(id) on delete cascade,
  state        text not null default 'created'
               check (state in ('created', 'retry', 'active', 'completed', 'failed')),
  retry_count  int not null default 0,
  -- Not runnable before this (a retry waits out its delay).
  start_after  timestamptz not null default now(),
  created_on   timestamptz not null default now(),
  -- The run holding an active job: a fencing token. A run whose job was reaped and handed on
  -- finds another run_id and writes and settles nothing.
  run_id       uuid,
  started_on   timestamptz,
  beat_at      timestamptz,
  completed_on timestamptz,
  output       jsonb,
  check ((state = 'active') = (run_id is not null))
);
-- [TR13] One waiting and one running job per project.
create unique index training_jobs_one_waiting on training_jobs (project_id) where state in ('created', 'retry');
create unique index training_jobs_one_running on training_jobs (project_id) where state = 'active';
create index training_jobs_runnable on training_jobs (start_after) where state in ('created', 'retry');

-- Rounds waiting in pg-boss when this migration runs are carried over, not lost.
do $$
begin
  if to_regclass('pgboss.job') is not null then
    insert into training_jobs (project_id, state, retry_count, created_on)
    select distinct on (p.id) p.id, 'created', 0, j.created_on
      from pgboss.job j join projects p on p.id::text = j.singleton_key
     where j.name = 'concord-training' and j.state::text in ('created', 'retry', 'active')
     order by p.id, j.created_on;
  end if;
end $$;

-- Beats now live on the job row (beat_at, run_id).
drop table training_heartbeats;
