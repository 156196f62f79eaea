-- Issue #14, PostgreSQL's CPU per label (bench/labeling --only floor, scratch server with
-- pg_stat_statements track = all and auto_explain of the plans actually used): 0016's label cost
-- about 3.0 ms of PostgreSQL CPU at 100 labelers × 20 labels and 4.5 ms at 200 × 30, 390 → 720
-- buffers a label. It grew with the tables because of plans, not work: every statement of
-- concord_submit_label is planned once per connection (force_generic_plan), on whatever the
-- tables held then (on a fresh database: almost nothing, and a table never analysed is planned
-- at its current size), and that plan is kept until the table is analysed. So
--   * the lease window (16 slices from the queue index) was a bitmap scan of the project's whole
--     queue and a sort (5,000 index entries for 16 rows at 200 × 30);
--   * its anti-joins read every read of the labeler through the second column of
--     reads_one_per_reader instead of probing (slice, labeler) once per slice;
--   * "has this labeler read this slice", with is_repeat a parameter, could use neither partial
--     unique index: a sequential scan of reads on every label.
-- The rest was statements run on every label that had nothing to do: the gold check's six
-- anti-joins (5% of leases) ran before asking whether the project has a gold slice at all; the
-- settle statement ran on every read, due or not; conditions with a subquery inside an IF are
-- one executor run each time they are evaluated, even where a plain test before them decides.
--
-- Now: (1) the label path's statements are index probes by construction, whatever the tables
-- held when a connection planned them: concord_submit_label plans with sequential, bitmap, hash,
-- merge and materialised scans off, a per-slice check is a subquery the planner cannot turn into
-- a join (one index probe per slice walked), and where two partial indexes of assignments could
-- serve a lookup the query is written so that only the right one can (their estimates tie on
-- near-empty tables). (2) The queue pass is one statement again: the first slice of
-- slices_lease_queue, in index order, open to this labeler and not locked, leased in the same
-- statement. (3) Work runs only when it can matter: the gold pass once the project has a gold
-- slice, the settle once the slice's reads are in, the expiry once a lease is past its time.
-- (4) Fewer statements for the same steps (each pays its executor start): the slice's project
-- and the request id's earlier label in one; the reading time in the read's insert; the lease's
-- close returns whether the slice is due and the labeler's progress; the read's trigger takes
-- the lease's place and the reader's skip from the slice update.
-- Measured (same runs, schema before this migration beside it; PostgreSQL's CPU per label):
-- 100 × 20: 2.4–3.0 ms → 1.5–2.0; 200 × 30: 3.6–4.3 → 1.3–2.1, the spread the machine's other
-- load; buffers per label 390–610 → 430, now flat, most of them the queue pass stepping over
-- the slices other labels in flight hold (SKIP LOCKED).
-- Every rule stays where it was: the reads check constraint, the unique indexes, the counters'
-- triggers, the append-only audit, the passes (RQ2, AS6, AS9, AS3, AS4) and their order.

-- [AS11] As 0016's; the read lookup is made only for a lease leaving OPEN on its slice (an IF
-- with a subquery is an executor run each time, and every lease taken evaluated it).
create or replace function concord_count_lease() returns trigger language plpgsql as $$
declare
  v_read_took_it boolean := false;
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status = 'OPEN' and not old.is_gold and not old.is_calibration then
    if tg_op = 'UPDATE' and new.status <> 'OPEN' and new.slice_id = old.slice_id then
      v_read_took_it := exists (select 1 from reads r where r.slice_id = old.slice_id and r.user_id = old.user_id
                                  and not r.is_repeat and r.assignment_id = old.id);
    end if;
    if not v_read_took_it then
      update slices set leases_open = leases_open - 1 where id = old.slice_id;
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.status = 'OPEN' and not new.is_gold and not new.is_calibration then
    update slices set leases_open = leases_open + 1 where id = new.slice_id;
  end if;
  return null;
end $$;

-- As 0016's, in one statement where it was three: the lease's place [AS11], the count and
-- whether the reader had skipped the slice all come from the slice row's update.
create or replace function concord_count_read() returns trigger language plpgsql as $$
declare
  still_open boolean;
  slice_project uuid;
  skipped boolean;
begin
  if not new.is_repeat then
    update slices set reads_done = reads_done + 1,
                      leases_open = leases_open - (
                        select coalesce(max((a.slice_id = new.slice_id and a.user_id = new.user_id
                                             and a.status = 'OPEN' and not a.is_gold and not a.is_calibration)::int), 0)
                          from assignments a where a.id = new.assignment_id)
     where id = new.slice_id
    returning reads_done < reads_required, project_id,
              exists (select 1 from skips k where k.slice_id = new.slice_id and k.user_id = new.user_id)
      into still_open, slice_project, skipped;
    -- The counters are per project: a read filed under another project would skew them.
    if slice_project is distinct from new.project_id then
      raise exception 'read for slice % names project %, the slice is in %', new.slice_id, new.project_id, slice_project;
    end if;
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
  -- One shard per server process (0015).
  insert into project_open_slices as o (project_id, shard, n) values (slice_project, (pg_backend_pid() % 64)::smallint, -1)
  on conflict (project_id, shard) do update set n = o.n - 1;
  return new;
end $$;

-- As 0011's: a closing slice leaves the count of each reader who touched it by gold or
-- calibration only. Most slices have neither: two index probes first, instead of the insert
-- (its executor start, its union, its anti-joins) on every slice that closes.
create or replace function concord_uncount_gold_on_close() returns trigger language plpgsql as $$
begin
  if exists (select 1 from gold_reads g where g.slice_id = new.id)
     or exists (select 1 from calibration_reads k where k.slice_id = new.id) then
    insert into labeler_counts as c (project_id, user_id, open_touched)
    select new.project_id, t.user_id, -1
      from (select g.user_id from gold_reads g where g.slice_id = new.id
            union select k.user_id from calibration_reads k where k.slice_id = new.id) t
     where not exists (select 1 from reads r where r.slice_id = new.id and r.user_id = t.user_id and not r.is_repeat)
       and not exists (select 1 from skips k where k.slice_id = new.id and k.user_id = t.user_id)
     order by t.user_id
    on conflict (project_id, user_id) do update set open_touched = c.open_touched + excluded.open_touched;
  end if;
  return null;
end $$;

-- Replaced: the lease attempt now also returns its slice's fields for the lease's JSON, so the
-- caller needs no statement of its own to build it.
drop function concord_next_leases(uuid, uuid, int, uuid, uuid, boolean);
drop function concord_try_lease(projects, uuid, uuid, uuid, boolean);

-- One lease attempt, as 0016's (p_pending_*: the read this transaction is about to store [LB7]).
-- p_slice: the leased slice as concord_assignment_json shows it (0012).
create function concord_try_lease(
  p_project projects, p_user uuid, p_pending_assignment uuid, p_pending_slice uuid, p_pending_repeat boolean,
  out p_status text, out p_out assignments, out p_slice jsonb)
language plpgsql as $$
declare
  v_slice uuid;
  v_candidate uuid;
  v_found boolean;
  v_eval boolean := false;
  -- Candidates locked and found full: one row locked at a time, so concurrent submits do not
  -- starve each other of open slices.
  v_checked uuid[];
  v_pass int;
  v_attempt int;
  v_leased record;
begin
  -- [RQ10] A paused reader finishes what they hold but is given nothing new.
  if (select e.action from reader_pause_events e where e.project_id = p_project.id and e.user_id = p_user
       order by e.id desc limit 1) = 'PAUSE' then
    p_status := 'NONE'; return;
  end if;
  -- [RQ15] Until they pass the calibration set: the API serves its slices.
  if p_project.calibration_required then
    if (select o.passed from calibration_outcomes o
         where o.project_id = p_project.id and o.user_id = p_user order by o.id desc limit 1) is distinct from true then
      p_status := 'TS'; return;
    end if;
  end if;
  -- [RQ2][AS10] A gold lease holds no place on the slice; only while the queue has work. Asked
  -- in this order: the draw, whether the project has a gold slice at all (one index probe), then
  -- whether the queue has work (a walk of open slices) and the pool; the lease is the same.
  if p_project.gold_rate > 0 and random() < p_project.gold_rate then
    if exists (select 1 from gold_slices g where g.project_id = p_project.id)
       and exists (select 1 from slices s where s.project_id = p_project.id
                     and s.reads_done < s.reads_required
               and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat
                               union all select 1 from skips k where k.slice_id = s.id and k.user_id = p_user
                               union all select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user
                               union all select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user
                               union all select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
               and s.reads_done + (select count(*) from assignments a
                                    where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required) then
      -- goldCandidate in gold.queries.ts: a random pool from a random point of the index.
      with start as (select gen_random_uuid() as id),
      pool as (
        (select g.slice_id from gold_slices g, start where g.slice_id >= start.id and g.project_id = p_project.id
            and not exists (select 1 from reads r where r.slice_id = g.slice_id and r.user_id = p_user)
            and not exists (select 1 from gold_reads gr where gr.slice_id = g.slice_id and gr.user_id = p_user)
            and not exists (select 1 from skips k where k.slice_id = g.slice_id and k.user_id = p_user)
            and not exists (select 1 from calibration_reads c where c.slice_id = g.slice_id and c.user_id = p_user)
            and not exists (select 1 from assignments a where a.slice_id = g.slice_id and a.user_id = p_user and a.status = 'OPEN')
          order by g.slice_id limit 16)
        union all
        (select g.slice_id from gold_slices g, start where g.slice_id < start.id and g.project_id = p_project.id
            and not exists (select 1 from reads r where r.slice_id = g.slice_id and r.user_id = p_user)
            and not exists (select 1 from gold_reads gr where gr.slice_id = g.slice_id and gr.user_id = p_user)
            and not exists (select 1 from skips k where k.slice_id = g.slice_id and k.user_id = p_user)
            and not exists (select 1 from calibration_reads c where c.slice_id = g.slice_id and c.user_id = p_user)
            and not exists (select 1 from assignments a where a.slice_id = g.slice_id and a.user_id = p_user and a.status = 'OPEN')
          order by g.slice_id limit 16))
      select p.slice_id into v_slice from pool p join slices s on s.id = p.slice_id
       where s.reads_done >= s.reads_required
          or (select count(*) from project_members m join user_roles ur on ur.user_id = m.user_id and ur.role = 'LABELER'
               where m.project_id = p_project.id and m.user_id <> p_user
                 and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = m.user_id and not r.is_repeat)
                 and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = m.user_id)
                 and not exists (select 1 from gold_reads gr where gr.slice_id = s.id and gr.user_id = m.user_id)
                 and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = m.user_id)
             ) >= s.reads_required - s.reads_done
       order by random() limit 1;
      if v_slice is not null then
        insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
        values (p_project.id, v_slice, p_user, false, false, true, false, now() + make_interval(secs => p_project.lease_seconds))
        returning * into p_out;
        p_slice := (select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                                              'window_center', s.window_center, 'window_width', s.window_width)
                      from slices s where s.id = v_slice);
        p_status := 'LEASED'; return;
      end if;
    end if;
  end if;
  -- [AS6] Repeats: a slice read at least `repeat_washout` reads ago, not yet repeated. The read
  -- this transaction is about to store counts as done (the newest read, its lease closed).
  if p_project.repeat_rate > 0 and random() < p_project.repeat_rate then
    with mine as (
      select x.slice_id, row_number() over (order by x.id desc) as age
        from (select r.slice_id, r.id from reads r where r.project_id = p_project.id and r.user_id = p_user and not r.is_repeat
              union all
              select p_pending_slice, 9223372036854775807 where p_pending_slice is not null and not p_pending_repeat) x)
    select m.slice_id into v_slice from mine m
     where m.age > p_project.repeat_washout
       and not exists (select 1 from reads r where r.slice_id = m.slice_id and r.user_id = p_user and r.is_repeat)
       and not (p_pending_repeat and m.slice_id = p_pending_slice)
       and not exists (select 1 from assignments a where a.slice_id = m.slice_id and a.user_id = p_user and a.status = 'OPEN'
                         and a.id is distinct from p_pending_assignment)
     order by random() limit 1;
    if v_slice is not null then
      insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
      values (p_project.id, v_slice, p_user, true, false, false, false, now() + make_interval(secs => p_project.lease_seconds))
      returning * into p_out;
      p_slice := (select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                                            'window_center', s.window_center, 'window_width', s.window_width)
                    from slices s where s.id = v_slice);
      p_status := 'LEASED'; return;
    end if;
  end if;
  -- [AS9] On a share of leases the evaluation set first, then [AS3] the model's batch, then the
  -- queue. Candidates can fill up between the scan and the lock: each is re-counted once locked
  -- (a fresh statement, so it sees leases committed meanwhile). Locks are held to the end of the
  -- label's transaction, so one row is locked per attempt.
  -- The evaluation pass looks at every open slice for one of a test patient: only where there is one.
  if p_project.evaluation_share > 0 and random() < p_project.evaluation_share then
    v_eval := exists (select 1 from patients pa where pa.project_id = p_project.id and pa.is_test);
  end if;
  -- The two passes only where either can find something (a test patient drawn, a current model).
  for v_pass in 1..2 loop
    exit when not v_eval and p_project.current_model_version_id is null;
    continue when v_pass = 1 and not v_eval;
    -- No current model, no batch: the pass would find nothing.
    continue when v_pass = 2 and p_project.current_model_version_id is null;
    v_checked := '{}';
    for v_attempt in 1..20 loop
      v_found := false;
      v_slice := null;
      v_candidate := null;
      if v_pass = 1 then
        select s.id into v_candidate from slices s
           where s.project_id = p_project.id
             and exists (select 1 from series se join studies st on st.id = se.study_id
                           join patients pa on pa.id = st.patient_id and pa.is_test where se.id = s.series_id)
             and s.reads_done + s.leases_open < s.reads_required
             -- A slice already final (labels imported) adds nothing to the set's completion.
             and not exists (select 1 from final_labels f where f.slice_id = s.id)
             and s.reads_done < s.reads_required
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat
                             union all select 1 from skips k where k.slice_id = s.id and k.user_id = p_user
                             union all select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user
                             union all select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user
                             union all select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
             and s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
             and s.id <> all(v_checked)
           order by s.queue_order limit 1 for no key update of s skip locked;
      else
        select s.id into v_candidate from projects p
            join uncertainty_scores u on u.model_version_id = p.current_model_version_id and u.rank is not null
            join slices s on s.id = u.slice_id
           where p.id = p_project.id
             and s.reads_done < s.reads_required
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat
                             union all select 1 from skips k where k.slice_id = s.id and k.user_id = p_user
                             union all select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user
                             union all select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user
                             union all select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
             and s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
             and s.id <> all(v_checked)
           order by u.rank limit 1 for no key update of s skip locked;
      end if;
      v_found := v_candidate is not null;
      if v_found then
        -- The exact count of live leases decides, in the insert's own statement: it starts after
        -- the lock is held, so it sees leases committed meanwhile.
        insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
        select p_project.id, v_candidate, p_user, false, v_pass = 2, false, false, now() + make_interval(secs => p_project.lease_seconds)
         where (select s.reads_done + (select count(*) from assignments a
                                        where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
                  from slices s where s.id = v_candidate)
        returning * into p_out;
        if found then
          p_slice := (select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                                                'window_center', s.window_center, 'window_width', s.window_width)
                        from slices s where s.id = v_candidate);
          p_status := 'LEASED'; return;
        end if;
      end if;
      exit when not v_found;
      v_checked := v_checked || v_candidate;
    end loop;
  end loop;
  -- [AS4] The queue in project order: the first slice of slices_lease_queue (reads done + open
  -- leases < reads required) this labeler has not read, skipped, gold- or calibration-read or
  -- leased, that no transaction in flight holds, leased in the same statement. The index is
  -- walked in its order and each slice probed as it comes (one index probe per check), so a
  -- lease reads the slices up to the first that fits, whatever the size of the queue or of the
  -- labeler's history. The checks are one "not exists" over a union: a union is a subquery the
  -- planner keeps per row, where five "not exists" become anti-joins it may plan as a read of
  -- all the labeler's rows. [AS5][AS11] The row is locked before it is leased, and a row another
  -- transaction changed since this statement began is re-checked on its latest version (READ
  -- COMMITTED's re-check of a locked row): the counter it passes is the slice's own, up to date
  -- under the lock, and never below its live leases (it counts leases past their time until they
  -- are marked EXPIRED), so no recount can refuse what it lets through.
  with c as (
    select s.id, s.series_id, s.position, s.window_center, s.window_width
      from slices s
     where s.project_id = p_project.id and s.reads_done + s.leases_open < s.reads_required
       and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat
                       union all select 1 from skips k where k.slice_id = s.id and k.user_id = p_user
                       union all select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user
                       union all select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user
                       union all select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
     order by s.queue_order, s.id limit 1 for no key update of s skip locked)
  insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
  select p_project.id, c.id, p_user, false, false, false, false, now() + make_interval(secs => p_project.lease_seconds) from c
  returning assignments as lease,
            (select jsonb_build_object('id', c.id, 'series_id', c.series_id, 'position', c.position,
                                       'window_center', c.window_center, 'window_width', c.window_width) from c) as slice
    into v_leased;
  if found then
    p_out := v_leased.lease; p_slice := v_leased.slice;
    p_status := 'LEASED'; return;
  end if;
  p_slice := null;
  p_status := case when exists (select 1 from slices s where s.project_id = p_project.id
                                  and s.reads_done < s.reads_required
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat
                             union all select 1 from skips k where k.slice_id = s.id and k.user_id = p_user
                             union all select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user
                             union all select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user
                             union all select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
             and s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required)
                   then 'BUSY' else 'NONE' end;
end $$;

-- [AS1][AS7] As 0016's, given the project's row (the label's first statement read it with the
-- slice); a fresh lease's JSON is built from what concord_try_lease returned.
create function concord_next_leases(
  p_project projects, p_user uuid, p_want int,
  p_pending_assignment uuid default null, p_pending_slice uuid default null, p_pending_repeat boolean default false
) returns jsonb
language plpgsql as $$
declare
  v_want int := greatest(1, least(3, p_want));
  v_open jsonb := '[]'::jsonb;
  v_n int := 0;
  v_try record;
  v_row assignments;
begin
  -- The labeler's open leases (assignments_user_open), then those of this project: "is not
  -- distinct from" is the same test as "=" on a column that is never null, but not one an index
  -- can take, so no plan made on near-empty tables can read the project's open leases instead
  -- (assignments_open_expiry: one per labeler at work).
  for v_row in
    select * from assignments a
     where a.user_id = p_user and a.status = 'OPEN' and a.project_id is not distinct from p_project.id
       and a.expires_at > now() and a.id is distinct from p_pending_assignment
     order by a.leased_at, a.id
  loop
    exit when v_n >= v_want;
    v_open := v_open || jsonb_build_array((select to_jsonb(v_row) || jsonb_build_object('slice', (
                     select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                                               'window_center', s.window_center, 'window_width', s.window_width)
                       from slices s where s.id = (v_row).slice_id))));
    v_n := v_n + 1;
  end loop;
  if v_n >= v_want then
    return jsonb_build_object('leases', v_open, 'complete', true);
  end if;
  -- expireLeases, as 0016, when there is a lease to mark (the update's executor start opens every
  -- index of assignments, on every label). The first such lease in assignments_open_expiry's
  -- order: the other partial indexes on open leases cannot give that order without a sort, so
  -- no plan made on near-empty tables scans every open lease of the project here.
  if (select a.expires_at from assignments a
       where a.project_id = p_project.id and a.status = 'OPEN' and a.expires_at <= now()
         and a.id is distinct from p_pending_assignment
       order by a.expires_at limit 1) is not null then
    update assignments set status = 'EXPIRED', closed_at = now()
     where id in (select a.id from assignments a join slices s on s.id = a.slice_id
                   where a.project_id = p_project.id and a.status = 'OPEN' and a.expires_at <= now()
                     and a.id is distinct from p_pending_assignment
                   order by a.expires_at limit 100
                   for update of a skip locked for no key update of s skip locked);
  end if;
  while v_n < v_want loop
    -- An assignment, not a query: a function call evaluated directly, with no executor run of its own.
    v_try := concord_try_lease(p_project, p_user, p_pending_assignment, p_pending_slice, p_pending_repeat);
    if v_try.p_status <> 'LEASED' then
      return jsonb_build_object('leases', v_open, 'complete', v_try.p_status = 'NONE', 'stopped', v_try.p_status);
    end if;
    v_open := v_open || jsonb_build_array(to_jsonb(v_try.p_out) || jsonb_build_object('slice', v_try.p_slice));
    v_n := v_n + 1;
  end loop;
  return jsonb_build_object('leases', v_open, 'complete', true);
end $$;

-- [LB1]–[LB4][LB7][TM1] One regular read, as 0016's: checks, the next leases, then the read
-- (its reading time [RQ11] computed in the insert), closing its lease, settling the slice once
-- its reads are in, and the labeler's progress. Fewer statements for the same steps: each
-- statement a PL/pgSQL function runs pays for its executor start (locks, expression setup),
-- which was most of a keyed lookup's cost.
create or replace function concord_submit_label(
  p_slice uuid, p_user uuid, p_value int, p_request text, p_screen real, p_swap boolean, p_want int
) returns jsonb
-- Planned once per connection, generically (0016), and as index probes: the plan of every
-- statement on this path (the functions it calls and the triggers it fires included) is the
-- same whatever the tables held when the connection first ran it. Each statement reads rows by
-- a key, or walks an index in its order to the first row that fits; given sequential, bitmap,
-- hash, merge or materialised scans, a plan made on near-empty tables read whole tables once
-- they had grown (see the top of this file).
language plpgsql
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_bitmapscan = off
set enable_hashjoin = off
set enable_mergejoin = off
set enable_material = off
as $$
declare
  v_first record;
  v_project projects;
  v_prior_value int;
  v_closed record;
  v_a assignments;
  v_repeat boolean;
  v_due boolean;
  v_ids bigint[];
  v_values smallint[];
  v_read_a bigint;
  v_read_b bigint;
  v_value_a smallint;
  v_i int;
  v_consensus boolean := false;
  v_opened boolean := false;
  v_outcome text;
  v_status text;
  v_value int;
  v_next jsonb;
  v_result jsonb;
begin
  -- The slice's project and, with a request id, an earlier label under it (reads, gold_reads,
  -- calibration_reads), in one statement.
  select p as project, x.slice_id, x.value into v_first
    from slices s join projects p on p.id = s.project_id
    left join lateral (
      select r.slice_id, r.value::int from reads r where r.user_id = p_user and r.client_request_id = p_request
      union all
      select g.slice_id, g.value::int from gold_reads g where g.user_id = p_user and g.client_request_id = p_request
      union all
      select c.slice_id, c.value::int from calibration_reads c where c.user_id = p_user and c.client_request_id = p_request
      limit 1) x on true
   where s.id = p_slice;
  -- Same answer for unknown slices and slices not assigned to you: ids cannot be probed.
  if not found then return jsonb_build_object('status', 'NO_ASSIGNMENT'); end if;
  v_project := v_first.project;
  if v_first.slice_id is not null then
    if v_first.slice_id <> p_slice or v_first.value <> p_value then
      return jsonb_build_object('status', 'REQUEST_ID_REUSED');
    end if;
    v_status := 'DUPLICATE'; v_value := v_first.value;
  end if;
  if v_status is null then
    -- Serialise this labeler's submits for this slice (assignments_slice_user).
    select * into v_a from assignments a where a.slice_id = p_slice and a.user_id = p_user
     order by (a.status = 'OPEN') desc, a.leased_at desc limit 1 for update;
    if v_a.is_gold or v_a.is_calibration then
      return jsonb_build_object('status', 'TS', 'project_id', v_project.id);
    end if;
    v_repeat := coalesce(v_a.is_repeat and v_a.status = 'OPEN', false);
    -- The labeler's read of this slice of the same kind: one probe of the partial unique index
    -- of that kind (with the kind a parameter, neither index could be used).
    if v_repeat then
      select r.value into v_prior_value from reads r where r.slice_id = p_slice and r.user_id = p_user and r.is_repeat;
    else
      select r.value into v_prior_value from reads r where r.slice_id = p_slice and r.user_id = p_user and not r.is_repeat;
    end if;
    if v_prior_value is not null then
      if v_prior_value <> p_value then return jsonb_build_object('status', 'ALREADY_LABELLED'); end if;
      v_status := 'DUPLICATE'; v_value := v_prior_value;
    elsif v_a.id is null or v_a.status not in ('OPEN', 'EXPIRED') then
      return jsonb_build_object('status', 'NO_ASSIGNMENT');
    end if;
  end if;
  if v_status is not null then
    -- A duplicate writes nothing: its next leases are the labeler's as they stand.
    v_result := jsonb_build_object('status', v_status, 'project_id', v_project.id, 'value', v_value, 'outcome', 'DUPLICATE');
    if p_want > 0 then
      v_result := v_result || jsonb_build_object('next', concord_next_leases(v_project, p_user, p_want));
    end if;
    return v_result;
  end if;
  -- The next leases first, as if this read were stored: nothing another label waits for is held yet.
  if p_want > 0 then
    v_next := concord_next_leases(v_project, p_user, p_want, v_a.id, p_slice, v_repeat);
  end if;
  -- [RQ11] readSeconds in timing.queries.ts (reads_reader, gold_reads_reader), in the insert.
  insert into reads (project_id, slice_id, user_id, assignment_id, value, is_repeat, client_request_id, seconds, screen_seconds)
  values (v_project.id, p_slice, p_user, v_a.id, p_value, v_repeat, p_request,
          greatest(0, extract(epoch from now() - greatest(
            v_a.leased_at,
            (select max(r.created_at) from reads r where r.project_id = v_project.id and r.user_id = p_user),
            (select max(g.created_at) from gold_reads g where g.project_id = v_project.id and g.user_id = p_user)))::float8),
          p_screen);
  -- The close also says whether the slice's reads are in (its row is this transaction's since
  -- the read's trigger updated it, so the answer cannot change before commit) and, for the
  -- labeler's queue:size event, their progress as the read's trigger left it (labelerProgress in
  -- assignment.queries.ts; the settle below changes neither count).
  update assignments set status = 'DONE', closed_at = now() where id = v_a.id
  returning (select s.reads_done >= s.reads_required from slices s where s.id = p_slice) as due,
            coalesce((select sum(o.n) from project_open_slices o where o.project_id = v_project.id), 0)::int
              - coalesce((select c.open_touched from labeler_counts c where c.project_id = v_project.id and c.user_id = p_user), 0) as queue_size,
            coalesce((select c.reads from labeler_counts c where c.project_id = v_project.id and c.user_id = p_user), 0) as reads_done
    into v_closed;
  v_due := v_closed.due;
  -- settleSlice in labels.queries.ts: once the slice's reads are in (before, it settles nothing),
  -- on every path (repeats included, where it settles nothing), unless a final label or an
  -- adjudication item is there already. The first read (by id) against the first that
  -- disagrees with it: none, a final label; one, an adjudication item (in random order).
  if v_due then
    select array_agg(r.id), array_agg(r.value) into v_ids, v_values from reads r
     where r.slice_id = p_slice and not r.is_repeat
       and not exists (select 1 from final_labels f where f.slice_id = p_slice)
       and not exists (select 1 from adjudication_items i where i.slice_id = p_slice);
    if v_ids is not null then
      for v_i in 1..cardinality(v_ids) loop
        if v_read_a is null or v_ids[v_i] < v_read_a then v_read_a := v_ids[v_i]; v_value_a := v_values[v_i]; end if;
      end loop;
      for v_i in 1..cardinality(v_ids) loop
        if v_values[v_i] <> v_value_a and (v_read_b is null or v_ids[v_i] < v_read_b) then v_read_b := v_ids[v_i]; end if;
      end loop;
      if v_read_b is null then
        insert into final_labels (slice_id, project_id, value, source)
        values (p_slice, v_project.id, v_value_a, case when cardinality(v_ids) = 1 then 'SINGLE_READ' else 'CONSENSUS' end);
        v_consensus := true;
      else
        insert into adjudication_items (project_id, slice_id, read_a_id, read_b_id)
        values (v_project.id, p_slice, case when p_swap then v_read_b else v_read_a end, case when p_swap then v_read_a else v_read_b end);
        v_opened := true;
      end if;
    end if;
  end if;
  v_outcome := case when v_repeat then 'REPEAT' when v_consensus then 'CONSENSUS' when v_opened then 'ADJUDICATION_OPENED' else 'PENDING' end;
  v_result := jsonb_build_object('status', 'OK', 'project_id', v_project.id, 'value', p_value, 'outcome', v_outcome,
                                 'queue_size', v_closed.queue_size, 'reads_done', v_closed.reads_done);
  if p_want > 0 then
    v_result := v_result || jsonb_build_object('next', v_next);
  end if;
  return v_result;
end $$;
