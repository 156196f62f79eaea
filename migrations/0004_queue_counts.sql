-- A labeler's queue is the project's open slices (reads_done < reads_required) minus the open
-- slices they have read or skipped. Counting that per label scanned the whole project (about
-- 20 ms at 60k slices, on every label); both terms are now counters kept by triggers, so
-- queue:size and myProgress are two primary-key lookups and stay exact.

-- Open slices per project, spread over 16 shards so that concurrent reads closing slices
-- rarely wait for one another; the count is the sum.
create table project_open_slices (
  project_id uuid not null references projects(id),
  shard      smallint not null,
  n          int not null,
  primary key (project_id, shard)
);

-- Per labeler and project: open slices they have read (independently) or skipped, and all
-- their reads, repeats included.
create table labeler_counts (
  project_id   uuid not null references projects(id),
  user_id      uuid not null references users(id),
  open_touched int not null default 0,
  reads        int not null default 0,
  primary key (project_id, user_id)
);

-- Closing a slice looks up everyone who skipped it.
create index skips_slice on skips(slice_id);

-- Replaces 0001's version: still counts the read on the slice row (the row lock serialises
-- reads of one slice, which is what keeps these counts right), then moves the counters.
create or replace function concord_count_read() returns trigger language plpgsql as $$
declare
  still_open boolean;
  slice_project uuid;
  skipped boolean;
begin
  if not new.is_repeat then
    update slices set reads_done = reads_done + 1 where id = new.slice_id
    returning reads_done < reads_required, project_id into still_open, slice_project;
    -- The counters are per project: a read filed under another project would skew them.
    if slice_project is distinct from new.project_id then
      raise exception 'read for slice % names project %, the slice is in %', new.slice_id, new.project_id, slice_project;
    end if;
    skipped := exists (select 1 from skips k where k.slice_id = new.slice_id and k.user_id = new.user_id);
  end if;
  if new.is_repeat or still_open then
    -- The common case, one row: a repeat, or a read leaving the slice open, which the reader
    -- has now touched (unless an earlier skip of theirs counted it already).
    insert into labeler_counts as c (project_id, user_id, open_touched, reads)
    values (new.project_id, new.user_id, case when new.is_repeat or skipped then 0 else 1 end, 1)
    on conflict (project_id, user_id) do update
      set open_touched = c.open_touched + excluded.open_touched, reads = c.reads + 1;
    return new;
  end if;
  -- This read closed the slice: it leaves the count of everyone who had touched it (the reader
  -- too, if an earlier skip of theirs counted it). One statement, rows in user order, so two
  -- reads closing slices touched by the same people cannot deadlock.
  insert into labeler_counts as c (project_id, user_id, open_touched, reads)
  select slice_project, t.user_id,
         case when t.user_id <> new.user_id or skipped then -1 else 0 end,
         case when t.user_id = new.user_id then 1 else 0 end
    from (select r.user_id from reads r where r.slice_id = new.slice_id and not r.is_repeat
          union select k.user_id from skips k where k.slice_id = new.slice_id) t
   order by t.user_id
  on conflict (project_id, user_id) do update
    set open_touched = c.open_touched + excluded.open_touched, reads = c.reads + excluded.reads;
  insert into project_open_slices as o (project_id, shard, n) values (slice_project, floor(random() * 16)::smallint, -1)
  on conflict (project_id, shard) do update set n = o.n - 1;
  return new;
end $$;

create function concord_count_skip() returns trigger language plpgsql as $$
declare
  is_open boolean;
begin
  -- The share lock orders this skip against a read closing the slice: either that read sees
  -- this skip and takes it off again, or this sees the slice closed and adds nothing.
  select reads_done < reads_required into is_open from slices where id = new.slice_id for share;
  if is_open
     and not exists (select 1 from reads r where r.slice_id = new.slice_id and r.user_id = new.user_id and not r.is_repeat)
     and not exists (select 1 from skips k where k.slice_id = new.slice_id and k.user_id = new.user_id and k.id <> new.id) then
    insert into labeler_counts as c (project_id, user_id, open_touched)
    select project_id, new.user_id, 1 from slices where id = new.slice_id
    on conflict (project_id, user_id) do update set open_touched = c.open_touched + 1;
  end if;
  return new;
end $$;
create trigger skips_count after insert on skips for each row execute function concord_count_skip();

create function concord_count_new_slices() returns trigger language plpgsql as $$
begin
  insert into project_open_slices as o (project_id, shard, n)
  select project_id, floor(random() * 16)::smallint, count(*) from added
   where reads_done < reads_required group by project_id
  on conflict (project_id, shard) do update set n = o.n + excluded.n;
  return null;
end $$;
create trigger slices_count_insert after insert on slices referencing new table as added
  for each statement execute function concord_count_new_slices();

-- reads_required changes only before labelling starts today, so this rarely has anything to
-- do; it keeps the counts right if that ever changes.
create function concord_recount_slice() returns trigger language plpgsql as $$
declare
  delta int := case when new.reads_done < new.reads_required then 1 else -1 end;
begin
  insert into project_open_slices as o (project_id, shard, n) values (new.project_id, floor(random() * 16)::smallint, delta)
  on conflict (project_id, shard) do update set n = o.n + excluded.n;
  insert into labeler_counts as c (project_id, user_id, open_touched)
  select new.project_id, t.user_id, delta
    from (select r.user_id from reads r where r.slice_id = new.id and not r.is_repeat
          union select k.user_id from skips k where k.slice_id = new.id) t
   order by t.user_id
  on conflict (project_id, user_id) do update set open_touched = c.open_touched + excluded.open_touched;
  return null;
end $$;
create trigger slices_recount after update of reads_required on slices for each row
  when ((old.reads_done < old.reads_required) is distinct from (new.reads_done < new.reads_required))
  execute function concord_recount_slice();

create function concord_uncount_slice() returns trigger language plpgsql as $$
begin
  insert into project_open_slices as o (project_id, shard, n) values (old.project_id, floor(random() * 16)::smallint, -1)
  on conflict (project_id, shard) do update set n = o.n - 1;
  return null;
end $$;
-- Only unread, unskipped slices can be deleted (reads and skips reference them).
create trigger slices_uncount after delete on slices for each row
  when (old.reads_done < old.reads_required) execute function concord_uncount_slice();

-- Counts for what is already there.
insert into project_open_slices (project_id, shard, n)
select project_id, 0, count(*) from slices where reads_done < reads_required group by project_id;

insert into labeler_counts (project_id, user_id, open_touched, reads)
select coalesce(o.project_id, a.project_id), coalesce(o.user_id, a.user_id), coalesce(o.n, 0), coalesce(a.n, 0)
  from (select s.project_id, t.user_id, count(*)::int as n
          from (select slice_id, user_id from reads where not is_repeat union select slice_id, user_id from skips) t
          join slices s on s.id = t.slice_id
         where s.reads_done < s.reads_required
         group by s.project_id, t.user_id) o
  full join (select project_id, user_id, count(*)::int as n from reads group by project_id, user_id) a
    on a.project_id = o.project_id and a.user_id = o.user_id;
