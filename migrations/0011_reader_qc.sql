-- Reader quality control (issue #16): gold-standard slices mixed invisibly into queues, gold reads
-- kept apart from independent reads, lease→submit times, and flag/pause of unreliable readers.
-- Rules: apps/api/src/reader-qc/SPEC.md.

-- A slice whose label is known. One row per slice, written once: a changed gold label would
-- silently rewrite every reader's accuracy, so a wrong one is retired by a lead, not edited.
create table gold_slices (
  slice_id    uuid primary key references slices(id),
  project_id  uuid not null references projects(id),
  value       smallint not null check (value in (0, 1)),
  source      text not null check (source in ('LEAD', 'FINAL', 'IMPORT')),
  added_by    uuid references users(id),          -- null: the command line
  added_at    timestamptz not null default now()
);
-- Gold serving starts at a random slice id and walks this index (RQ2): O(pool), not O(gold set).
create index gold_slices_project on gold_slices(project_id, slice_id);
create trigger gold_slices_append_only before update or delete on gold_slices
  for each row execute function concord_forbid_change();

-- A gold lease holds no place on the slice (it is not an independent read) [RQ3].
alter table assignments add column is_gold boolean not null default false;

-- Gold reads are their own table, so no query over `reads` (agreement, final labels, training,
-- exports of independent reads) can ever count one [RQ4]. `expected` is the gold value at the time.
create table gold_reads (
  id                bigint generated always as identity primary key,
  project_id        uuid not null references projects(id),
  slice_id          uuid not null references gold_slices(slice_id),
  user_id           uuid not null references users(id),
  assignment_id     uuid references assignments(id),
  value             smallint not null check (value in (0, 1)),
  expected          smallint not null check (expected in (0, 1)),
  -- Server-measured lease→submit (from the later of lease and this reader's previous submit).
  seconds           real check (seconds >= 0),
  client_request_id text,
  created_at        timestamptz not null default now()
);
create unique index gold_reads_one_per_reader on gold_reads(slice_id, user_id);
create unique index gold_reads_idempotency on gold_reads(user_id, client_request_id) where client_request_id is not null;
create index gold_reads_reader on gold_reads(project_id, user_id, id);
create trigger gold_reads_append_only before update or delete on gold_reads
  for each row execute function concord_forbid_change();

-- Time per independent or repeat read, measured the same way; null for reads before this migration.
-- screen_seconds: what the web app says the slice was on screen, bounded, for statistics only (RQ14).
alter table reads
  add column seconds real check (seconds >= 0),
  add column screen_seconds real check (screen_seconds between 0 and 3600);
alter table gold_reads add column screen_seconds real check (screen_seconds between 0 and 3600);

-- A gold read counts as one of the reader's reads (their own progress moves exactly as for any
-- read) and, on a slice still open, touches it: it leaves their queue like a read one [RQ5].
create function concord_count_gold_read() returns trigger language plpgsql as $$
declare
  touches int := 0;
begin
  select case when s.reads_done < s.reads_required
               and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = new.user_id and not r.is_repeat)
               and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = new.user_id)
              then 1 else 0 end
    into touches from slices s where s.id = new.slice_id for share;
  insert into labeler_counts as c (project_id, user_id, open_touched, reads)
  values (new.project_id, new.user_id, touches, 1)
  on conflict (project_id, user_id) do update
    set open_touched = c.open_touched + excluded.open_touched, reads = c.reads + 1;
  return new;
end $$;
create trigger gold_reads_count after insert on gold_reads for each row execute function concord_count_gold_read();

-- A slice closing leaves the queue count of everyone who gold-read it while it was open, as it
-- does for readers and skippers (0004): the counter stays exact.
create or replace function concord_uncount_gold_on_close() returns trigger language plpgsql as $$
begin
  insert into labeler_counts as c (project_id, user_id, open_touched)
  select new.project_id, g.user_id, -1
    from gold_reads g
   where g.slice_id = new.id
     and not exists (select 1 from reads r where r.slice_id = g.slice_id and r.user_id = g.user_id and not r.is_repeat)
     and not exists (select 1 from skips k where k.slice_id = g.slice_id and k.user_id = g.user_id)
   order by g.user_id
  on conflict (project_id, user_id) do update set open_touched = c.open_touched + excluded.open_touched;
  return null;
end $$;
create trigger slices_gold_close after update of reads_done on slices for each row
  when (old.reads_done < old.reads_required and new.reads_done >= new.reads_required)
  execute function concord_uncount_gold_on_close();

alter table projects
  -- Share of a labeler's fresh leases served from gold slices [RQ2].
  add column gold_rate real not null default 0.05 check (gold_rate between 0 and 0.5),
  -- A reader is flagged when their rolling gold accuracy's whole interval lies below this [RQ9].
  add column gold_flag_below real check (gold_flag_below > 0 and gold_flag_below < 1),
  add column pause_flagged_readers boolean not null default false;

-- Pauses and resumes of a reader in a project, append-only; the latest row is the state [RQ10].
create table reader_pause_events (
  id          bigint generated always as identity primary key,
  project_id  uuid not null references projects(id),
  user_id     uuid not null references users(id),
  action      text not null check (action in ('PAUSE', 'RESUME')),
  actor_id    uuid references users(id),             -- null: paused automatically when flagged
  reason      text not null check (length(reason) between 1 and 500),
  created_at  timestamptz not null default now()
);
create index reader_pause_events_reader on reader_pause_events(project_id, user_id, id desc);
create trigger reader_pause_events_append_only before update or delete on reader_pause_events
  for each row execute function concord_forbid_change();

-- Onboarding (RQ15–RQ17): a calibration set of slices with their label and the guide's reasoning.
-- A labeler of a project that requires it answers the whole set, with feedback after each answer,
-- before any blinded read; calibration reads are their own table and never enter agreement,
-- final labels or training. The latest outcome per reader decides (append-only).
alter table projects
  add column calibration_required boolean not null default false,
  add column calibration_pass_at real not null default 0.8 check (calibration_pass_at > 0 and calibration_pass_at <= 1);

create table calibration_slices (
  slice_id    uuid primary key references slices(id),
  project_id  uuid not null references projects(id),
  value       smallint not null check (value in (0, 1)),
  reasoning   text not null check (length(reasoning) between 1 and 2000),
  seq         bigint generated always as identity,
  added_by    uuid references users(id),
  added_at    timestamptz not null default now()
);
create index calibration_slices_project on calibration_slices(project_id, seq);
create trigger calibration_slices_append_only before update or delete on calibration_slices
  for each row execute function concord_forbid_change();

alter table assignments add column is_calibration boolean not null default false;

create table calibration_reads (
  id                bigint generated always as identity primary key,
  project_id        uuid not null references projects(id),
  slice_id          uuid not null references calibration_slices(slice_id),
  user_id           uuid not null references users(id),
  assignment_id     uuid references assignments(id),
  value             smallint not null check (value in (0, 1)),
  expected          smallint not null check (expected in (0, 1)),
  client_request_id text,
  created_at        timestamptz not null default now()
);
create unique index calibration_reads_one_per_reader on calibration_reads(slice_id, user_id);
create unique index calibration_reads_idempotency on calibration_reads(user_id, client_request_id) where client_request_id is not null;
create index calibration_reads_reader on calibration_reads(project_id, user_id);
create trigger calibration_reads_append_only before update or delete on calibration_reads
  for each row execute function concord_forbid_change();

create table calibration_outcomes (
  id          bigint generated always as identity primary key,
  project_id  uuid not null references projects(id),
  user_id     uuid not null references users(id),
  passed      boolean not null,
  correct     int not null,
  answered    int not null,
  actor_id    uuid references users(id),     -- null: decided by the threshold; else the lead who unlocked
  created_at  timestamptz not null default now()
);
create index calibration_outcomes_reader on calibration_outcomes(project_id, user_id, id desc);
create trigger calibration_outcomes_append_only before update or delete on calibration_outcomes
  for each row execute function concord_forbid_change();

-- A calibration read is not one of the reader's reads, but an open slice they calibrated on leaves
-- their queue (they know its answer now), so it touches it once, like a gold read (RQ5, RQ16).
create function concord_count_calibration_read() returns trigger language plpgsql as $$
declare
  touches int := 0;
begin
  select case when s.reads_done < s.reads_required
               and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = new.user_id and not r.is_repeat)
               and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = new.user_id)
               and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = new.user_id)
              then 1 else 0 end
    into touches from slices s where s.id = new.slice_id for share;
  if touches > 0 then
    insert into labeler_counts as c (project_id, user_id, open_touched)
    values (new.project_id, new.user_id, 1)
    on conflict (project_id, user_id) do update set open_touched = c.open_touched + 1;
  end if;
  return new;
end $$;
create trigger calibration_reads_count after insert on calibration_reads for each row execute function concord_count_calibration_read();

-- Gold reads touch a slice only if a calibration read has not already.
create or replace function concord_count_gold_read() returns trigger language plpgsql as $$
declare
  touches int := 0;
begin
  select case when s.reads_done < s.reads_required
               and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = new.user_id and not r.is_repeat)
               and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = new.user_id)
               and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = new.user_id)
              then 1 else 0 end
    into touches from slices s where s.id = new.slice_id for share;
  insert into labeler_counts as c (project_id, user_id, open_touched, reads)
  values (new.project_id, new.user_id, touches, 1)
  on conflict (project_id, user_id) do update
    set open_touched = c.open_touched + excluded.open_touched, reads = c.reads + 1;
  return new;
end $$;

-- Closing a slice takes it off the count of each reader who touched it by gold or calibration
-- only (readers and skippers are handled by 0004's read trigger), once per reader.
create or replace function concord_uncount_gold_on_close() returns trigger language plpgsql as $$
begin
  insert into labeler_counts as c (project_id, user_id, open_touched)
  select new.project_id, t.user_id, -1
    from (select g.user_id from gold_reads g where g.slice_id = new.id
          union select k.user_id from calibration_reads k where k.slice_id = new.id) t
   where not exists (select 1 from reads r where r.slice_id = new.id and r.user_id = t.user_id and not r.is_repeat)
     and not exists (select 1 from skips k where k.slice_id = new.id and k.user_id = t.user_id)
   order by t.user_id
  on conflict (project_id, user_id) do update set open_touched = c.open_touched + excluded.open_touched;
  return null;
end $$;
