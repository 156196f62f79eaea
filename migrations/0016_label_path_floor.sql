-- Issue #14, the floor (bench/labeling --only floor on a scratch server with pg_stat_statements
-- track = all, wait events sampled): much of a label's time in concord_submit_label was spent
-- waiting for row locks. The read was stored first, so the label's slice row (reads_done) and
-- the labeler counters of everyone who had read it stayed locked through the whole next-lease
-- search that followed, and the other reader of that slice, submitting at the same moment,
-- waited for all of it. Three lookups also read far more than they needed: the labeler's
-- assignment for the slice (no index on slice and user without the OPEN predicate: a scan of
-- every assignment), the reading time's "your latest read in this project" (reads_project walks
-- every reader's reads) and the lease sweep (on tables without statistics yet, every open lease
-- of the project through assignments_user_open: 150 buffers a label). The slice row was
-- written three times a label, each a new row version in every slices index.
--
-- Now: (1) the next lease is taken first, while nothing contended is held (its candidates are
-- locked with SKIP LOCKED, so it never waits), and the read, the lease's close, the settle and
-- the counters come last, just before commit; the lease search treats the read about to be
-- stored as stored [LB7]. (2) The read gives its lease's place back in the slice update that
-- counts it (two slice writes a label, not three) [AS11]. (3) Indexes for the two lookups; the
-- sweep reads assignments_open_expiry in order. Every rule stays where it was: the reads check
-- constraint, the unique indexes, the counters' triggers and the append-only audit.

-- The labeler's assignment for a slice, whatever its status (submit's first lock).
create index assignments_slice_user on assignments(slice_id, user_id);
-- A prefix of assignments_one_open (slice_id, user_id) where status = 'OPEN', which serves the
-- same lookups: one index less to write on every lease and every close.
drop index assignments_slice_open;
-- The reader's latest read in a project (reading time, RQ11) and their reads for repeats (AS6).
create index reads_reader on reads(project_id, user_id, created_at);

-- [AS11] As 0015's, except a lease leaving OPEN whose independent read is already stored: that
-- read's trigger (concord_count_read) took the lease off the counter when it stored the read.
create or replace function concord_count_lease() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status = 'OPEN' and not old.is_gold and not old.is_calibration
     and not (tg_op = 'UPDATE' and new.status <> 'OPEN' and new.slice_id = old.slice_id
              and exists (select 1 from reads r where r.slice_id = old.slice_id and r.user_id = old.user_id
                             and not r.is_repeat and r.assignment_id = old.id)) then
    update slices set leases_open = leases_open - 1 where id = old.slice_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.status = 'OPEN' and not new.is_gold and not new.is_calibration then
    update slices set leases_open = leases_open + 1 where id = new.slice_id;
  end if;
  return null;
end $$;

-- As 0015's, with the lease's place given to the read in the same update (above).
create or replace function concord_count_read() returns trigger language plpgsql as $$
declare
  still_open boolean;
  slice_project uuid;
  skipped boolean;
  lease_closes int;
begin
  if not new.is_repeat then
    -- [AS11] The reader's open regular lease on this slice gives its place to this read here, in
    -- the same slice row version, not in a second update when the lease is closed (which then
    -- leaves the counter alone: concord_count_lease).
    -- By key alone: with the OPEN test in the WHERE clause, a plan made on a nearly empty table
    -- walked a whole partial index on OPEN instead.
    select coalesce(max((a.slice_id = new.slice_id and a.user_id = new.user_id
                         and a.status = 'OPEN' and not a.is_gold and not a.is_calibration)::int), 0)
      into lease_closes from assignments a where a.id = new.assignment_id;
    update slices set reads_done = reads_done + 1, leases_open = leases_open - lease_closes where id = new.slice_id
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
  -- One shard per server process, not a random one of 16: two transactions collided on a shard
  -- row often (20 connections), and the first held it to its commit (the next lease included),
  -- which made that insert the slowest statement of a label and let two closing reads deadlock
  -- on a shard row they both created. A process runs one transaction at a time.
  insert into project_open_slices as o (project_id, shard, n) values (slice_project, (pg_backend_pid() % 64)::smallint, -1)
  on conflict (project_id, shard) do update set n = o.n - 1;
  return new;
end $$;

-- Replaced by versions that know the read this transaction is about to store.
drop function concord_next_leases(uuid, uuid, int);
drop function concord_try_lease(projects, uuid);

-- One lease attempt, as 0015's, for a transaction that will store a read after it:
-- p_pending_assignment is the lease that read closes (not the labeler's any more),
-- p_pending_slice / p_pending_repeat the slice it is on and whether it is a repeat.
create function concord_try_lease(
  p_project projects, p_user uuid, p_pending_assignment uuid, p_pending_slice uuid, p_pending_repeat boolean,
  out p_status text, out p_out assignments)
language plpgsql as $$
declare
  v_slice uuid;
  v_candidate uuid;
  v_found boolean;
  v_eval boolean;
  -- Candidates locked and found full: one row locked at a time, so concurrent submits do not
  -- starve each other of open slices (nextSlice locks 8 in a short transaction of its own).
  v_checked uuid[];
  v_pass int;
  v_attempt int;
  -- The queue pass walks slices_lease_queue in windows of 16: from the window's start, to its end.
  v_window uuid[];
  v_window_n int;
  v_from_order bigint := -9223372036854775808;
  v_from_id uuid := '00000000-0000-0000-0000-000000000000';
  v_last_order bigint;
  v_last_id uuid;
  -- concord_slice_has_room's answer, asked inline: a SQL function called from PL/pgSQL is
  -- planned again on every call, a statement of the function's own only once per connection.
  v_room boolean;
begin
  -- [RQ10] A paused reader finishes what they hold but is given nothing new.
  if (select e.action from reader_pause_events e where e.project_id = p_project.id and e.user_id = p_user
       order by e.id desc limit 1) = 'PAUSE' then
    p_status := 'NONE'; return;
  end if;
  -- [RQ15] Until they pass the calibration set: the API serves its slices.
  if p_project.calibration_required and (select o.passed from calibration_outcomes o
       where o.project_id = p_project.id and o.user_id = p_user order by o.id desc limit 1) is distinct from true then
    p_status := 'TS'; return;
  end if;
  -- [RQ2][AS10] A gold lease holds no place on the slice; only while the queue has work.
  if p_project.gold_rate > 0 and random() < p_project.gold_rate
     and exists (select 1 from slices s where s.project_id = p_project.id
                   and s.reads_done < s.reads_required
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat)
             and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = p_user)
             and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user)
             and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user)
             and not exists (select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
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
      p_status := 'LEASED'; return;
    end if;
  end if;
  -- [AS6] Repeats: a slice read at least `repeat_washout` reads ago, not yet repeated.
  if p_project.repeat_rate > 0 and random() < p_project.repeat_rate then
    -- The read this transaction is about to store counts as done (the newest read, its lease closed).
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
      p_status := 'LEASED'; return;
    end if;
  end if;
  -- [AS9] On a share of leases the evaluation set first, then [AS3] the model's batch, then the
  -- queue. Candidates can fill up between the scan and the lock: each is re-counted once locked
  -- (a fresh statement, so it sees leases committed meanwhile). Locks are held to the end of the
  -- label's transaction, so one row is locked per attempt.
  -- The evaluation pass looks at every open slice for one of a test patient: only where there is one.
  v_eval := p_project.evaluation_share > 0 and random() < p_project.evaluation_share
            and exists (select 1 from patients pa where pa.project_id = p_project.id and pa.is_test);
  for v_pass in 1..2 loop
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
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat)
             and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = p_user)
             and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user)
             and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user)
             and not exists (select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
             and s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
             and s.id <> all(v_checked)
           order by s.queue_order limit 1 for no key update of s skip locked;
        v_found := v_candidate is not null;
        if v_found then
          select s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
            into v_room from slices s where s.id = v_candidate;
          if v_room then v_slice := v_candidate; end if;
        end if;
      else
        select s.id into v_candidate from projects p
            join uncertainty_scores u on u.model_version_id = p.current_model_version_id and u.rank is not null
            join slices s on s.id = u.slice_id
           where p.id = p_project.id
             and s.reads_done < s.reads_required
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat)
             and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = p_user)
             and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user)
             and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user)
             and not exists (select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
             and s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
             and s.id <> all(v_checked)
           order by u.rank limit 1 for no key update of s skip locked;
        v_found := v_candidate is not null;
        if v_found then
          select s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
            into v_room from slices s where s.id = v_candidate;
          if v_room then v_slice := v_candidate; end if;
        end if;
      end if;
      if v_slice is not null then
        insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
        values (p_project.id, v_slice, p_user, false, v_pass = 2, false, false, now() + make_interval(secs => p_project.lease_seconds))
        returning * into p_out;
        p_status := 'LEASED'; return;
      end if;
      exit when not v_found;
      v_checked := v_checked || v_candidate;
    end loop;
  end loop;
  -- [AS4] The queue in project order. slices_lease_queue holds only slices with a place left
  -- (reads done + open leases < reads required), so the walk no longer passes every slice whose
  -- places are all leased; it goes window by window (16 slices in index order, then the checks
  -- on those alone), so the plan cannot turn into "check every open slice, then sort", which
  -- it did on tables the planner had no statistics for (0.9 ms per open slice per lease).
  v_checked := '{}';
  v_attempt := 0;
  loop
    select array_agg(w.id), count(*), max(w.queue_order) into v_window, v_window_n, v_last_order
      from (select s.id, s.queue_order from slices s
             where s.project_id = p_project.id and s.reads_done + s.leases_open < s.reads_required
               and (s.queue_order, s.id) > (v_from_order, v_from_id)
             order by s.queue_order, s.id limit 16) w;
    exit when v_window_n = 0;
    select s.id into v_candidate from slices s
     where s.id = any(v_window)
       and s.reads_done + s.leases_open < s.reads_required
       and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat)
       and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = p_user)
       and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user)
       and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user)
       and not exists (select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
       and s.id <> all(v_checked)
     order by s.queue_order, s.id limit 1 for no key update of s skip locked;
    if v_candidate is null then
      -- Nothing for this labeler in the window (read, leased to them, or locked just now): on to the next.
      exit when v_window_n < 16;
      select s.id into v_last_id from slices s where s.id = any(v_window) and s.queue_order = v_last_order order by s.id desc limit 1;
      v_from_order := v_last_order;
      v_from_id := v_last_id;
      continue;
    end if;
    -- The counter also counts leases past their time not yet marked EXPIRED: the exact count decides.
    select s.reads_done + (select count(*) from assignments a
                            where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
      into v_room from slices s where s.id = v_candidate;
    if v_room then
      insert into assignments (project_id, slice_id, user_id, is_repeat, prioritised, is_gold, is_calibration, expires_at)
      values (p_project.id, v_candidate, p_user, false, false, false, false, now() + make_interval(secs => p_project.lease_seconds))
      returning * into p_out;
      p_status := 'LEASED'; return;
    end if;
    v_checked := v_checked || v_candidate;
    v_attempt := v_attempt + 1;
    exit when v_attempt >= 20;
  end loop;
  p_status := case when exists (select 1 from slices s where s.project_id = p_project.id
                                  and s.reads_done < s.reads_required
             and not exists (select 1 from reads r where r.slice_id = s.id and r.user_id = p_user and not r.is_repeat)
             and not exists (select 1 from skips k where k.slice_id = s.id and k.user_id = p_user)
             and not exists (select 1 from gold_reads g where g.slice_id = s.id and g.user_id = p_user)
             and not exists (select 1 from calibration_reads c where c.slice_id = s.id and c.user_id = p_user)
             and not exists (select 1 from assignments a where a.slice_id = s.id and a.user_id = p_user and a.status = 'OPEN')
             and s.reads_done + (select count(*) from assignments a
                                  where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required)
                   then 'BUSY' else 'NONE' end;
end $$;

-- [AS1][AS7] The labeler's open leases oldest first, topped up to p_want (≤ 3) with fresh leases.
-- p_pending_*: as concord_try_lease; the pending lease is neither listed nor expired here.
create function concord_next_leases(
  p_project_id uuid, p_user uuid, p_want int,
  p_pending_assignment uuid default null, p_pending_slice uuid default null, p_pending_repeat boolean default false
) returns jsonb
language plpgsql as $$
-- The lease as the API returns it (concord_assignment_json's shape, 0012) is built inline: a SQL
-- function called from PL/pgSQL is planned again on every call.
declare
  v_project projects;
  v_open jsonb := '[]'::jsonb;
  v_n int := 0;
  v_try record;
  v_row assignments;
begin
  for v_row in
    select * from assignments a
     where a.project_id = p_project_id and a.user_id = p_user and a.status = 'OPEN' and a.expires_at > now()
       and a.id is distinct from p_pending_assignment
     order by a.leased_at, a.id
  loop
    exit when v_n >= greatest(1, least(3, p_want));
    v_open := v_open || jsonb_build_array((select to_jsonb(v_row) || jsonb_build_object('slice', (
                     select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                                               'window_center', s.window_center, 'window_width', s.window_width)
                       from slices s where s.id = (v_row).slice_id))));
    v_n := v_n + 1;
  end loop;
  if v_n >= greatest(1, least(3, p_want)) then
    return jsonb_build_object('leases', v_open, 'complete', true);
  end if;
  select * into v_project from projects p where p.id = p_project_id;
  -- expireLeases, as 0015 (rows another transaction holds are skipped, never waited on), read in
  -- assignments_open_expiry's order: on tables without statistics yet the planner otherwise
  -- walked every open lease of the project through assignments_user_open (150 buffers a label).
  -- At most 100 a call: a mass expiry is marked over the next labels (leases past their time
  -- hold no place meanwhile: every count of live leases checks expires_at itself).
  update assignments set status = 'EXPIRED', closed_at = now()
   where id in (select a.id from assignments a join slices s on s.id = a.slice_id
                 where a.project_id = p_project_id and a.status = 'OPEN' and a.expires_at <= now()
                   and a.id is distinct from p_pending_assignment
                 order by a.expires_at limit 100
                 for update of a skip locked for no key update of s skip locked);
  while v_n < greatest(1, least(3, p_want)) loop
    select * into v_try from concord_try_lease(v_project, p_user, p_pending_assignment, p_pending_slice, p_pending_repeat);
    if v_try.p_status <> 'LEASED' then
      return jsonb_build_object('leases', v_open, 'complete', v_try.p_status = 'NONE', 'stopped', v_try.p_status);
    end if;
    v_open := v_open || jsonb_build_array((select to_jsonb(v_try.p_out) || jsonb_build_object('slice', (
                     select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                                               'window_center', s.window_center, 'window_width', s.window_width)
                       from slices s where s.id = (v_try.p_out).slice_id))));
    v_n := v_n + 1;
  end loop;
  return jsonb_build_object('leases', v_open, 'complete', true);
end $$;

-- [LB1]–[LB4][LB7][TM1] One regular read, as 0012's, in a different order: checks (nothing
-- written), then the next leases (p_want > 0), then the read, closing its lease, settling the
-- slice and the labeler's progress, so the rows other labels wait for (the slice's, the labeler
-- counters) are held from here to commit only.
create or replace function concord_submit_label(
  p_slice uuid, p_user uuid, p_value int, p_request text, p_screen real, p_swap boolean, p_want int
) returns jsonb
-- Every statement inside (the functions it calls and the triggers it fires included) is planned
-- once per connection, generically: by default PostgreSQL plans each five times for the values
-- at hand before it settles on the generic plan, and the lease queries with their five
-- anti-joins cost more to plan than to run (a third of the database's time per label on the
-- bench's pool, measured with pg_stat_statements.track_planning). Their plans do not depend on
-- the values: the same indexes serve every project and labeler.
language plpgsql set plan_cache_mode = force_generic_plan as $$
declare
  v_project uuid;
  v_prior_slice uuid;
  v_prior_value int;
  v_a assignments;
  v_repeat boolean;
  v_seconds float8;
  v_consensus boolean;
  v_opened boolean;
  v_outcome text;
  v_status text;
  v_value int;
  v_next jsonb;
  v_result jsonb;
begin
  select s.project_id into v_project from slices s where s.id = p_slice;
  -- Same answer for unknown slices and slices not assigned to you: ids cannot be probed.
  if v_project is null then return jsonb_build_object('status', 'NO_ASSIGNMENT'); end if;
  if p_request is not null then
    select x.slice_id, x.value into v_prior_slice, v_prior_value from (
      select r.slice_id, r.value::int from reads r where r.user_id = p_user and r.client_request_id = p_request
      union all
      select g.slice_id, g.value::int from gold_reads g where g.user_id = p_user and g.client_request_id = p_request
      union all
      select c.slice_id, c.value::int from calibration_reads c where c.user_id = p_user and c.client_request_id = p_request
    ) x limit 1;
    if v_prior_slice is not null then
      if v_prior_slice <> p_slice or v_prior_value <> p_value then
        return jsonb_build_object('status', 'REQUEST_ID_REUSED');
      end if;
      v_status := 'DUPLICATE'; v_value := v_prior_value;
    end if;
  end if;
  if v_status is null then
    -- Serialise this labeler's submits for this slice (assignments_slice_user).
    select * into v_a from assignments a where a.slice_id = p_slice and a.user_id = p_user
     order by (a.status = 'OPEN') desc, a.leased_at desc limit 1 for update;
    if v_a.is_gold or v_a.is_calibration then
      return jsonb_build_object('status', 'TS', 'project_id', v_project);
    end if;
    v_repeat := coalesce(v_a.is_repeat and v_a.status = 'OPEN', false);
    select r.value into v_prior_value from reads r
     where r.slice_id = p_slice and r.user_id = p_user and r.is_repeat = v_repeat order by r.id limit 1;
    if v_prior_value is not null then
      if v_prior_value <> p_value then return jsonb_build_object('status', 'ALREADY_LABELLED'); end if;
      v_status := 'DUPLICATE'; v_value := v_prior_value;
    elsif v_a.id is null or v_a.status not in ('OPEN', 'EXPIRED') then
      return jsonb_build_object('status', 'NO_ASSIGNMENT');
    end if;
  end if;
  if v_status is not null then
    -- A duplicate writes nothing: its next leases are the labeler's as they stand.
    v_result := jsonb_build_object('status', v_status, 'project_id', v_project, 'value', v_value, 'outcome', 'DUPLICATE');
    if p_want > 0 then
      v_result := v_result || jsonb_build_object('next', concord_next_leases(v_project, p_user, p_want));
    end if;
    return v_result;
  end if;
  -- The next leases first, as if this read were stored: nothing another label waits for is held yet.
  if p_want > 0 then
    v_next := concord_next_leases(v_project, p_user, p_want, v_a.id, p_slice, v_repeat);
  end if;
  -- [RQ11] readSeconds in timing.queries.ts (reads_reader, gold_reads_reader).
  select extract(epoch from now() - greatest(
           v_a.leased_at,
           (select max(r.created_at) from reads r where r.project_id = v_project and r.user_id = p_user),
           (select max(g.created_at) from gold_reads g where g.project_id = v_project and g.user_id = p_user)
         ))::float8 into v_seconds;
  insert into reads (project_id, slice_id, user_id, assignment_id, value, is_repeat, client_request_id, seconds, screen_seconds)
  values (v_project, p_slice, p_user, v_a.id, p_value, v_repeat, p_request, greatest(0, v_seconds), p_screen);
  update assignments set status = 'DONE', closed_at = now() where id = v_a.id;
  -- settleSlice in labels.queries.ts, run on every path (repeats included, where it settles nothing).
  with s as (
    select reads_done >= reads_required
           and not exists (select 1 from final_labels where slice_id = p_slice)
           and not exists (select 1 from adjudication_items where slice_id = p_slice) as due
      from slices where id = p_slice),
  r as (select id, value from reads where slice_id = p_slice and not is_repeat),
  a as (select id, value from r order by id limit 1),
  b as (select r.id from r, a where r.value <> a.value order by r.id limit 1),
  fin as (
    insert into final_labels (slice_id, project_id, value, source)
    select p_slice, v_project, a.value, case when (select count(*) from r) = 1 then 'SINGLE_READ' else 'CONSENSUS' end
      from a, s where s.due and not exists (select 1 from b)
    returning 1),
  item as (
    insert into adjudication_items (project_id, slice_id, read_a_id, read_b_id)
    select v_project, p_slice, case when p_swap then b.id else a.id end, case when p_swap then a.id else b.id end
      from a, b, s where s.due
    returning 1)
  select exists (select 1 from fin), exists (select 1 from item) into v_consensus, v_opened;
  v_outcome := case when v_repeat then 'REPEAT' when v_consensus then 'CONSENSUS' when v_opened then 'ADJUDICATION_OPENED' else 'PENDING' end;
  -- labelerProgress in assignment.queries.ts: what the labeler's queue:size event carries.
  v_result := jsonb_build_object('status', 'OK', 'project_id', v_project, 'value', p_value, 'outcome', v_outcome) || (
    select jsonb_build_object(
             'queue_size', coalesce((select sum(n) from project_open_slices where project_id = v_project), 0)::int - coalesce(c.open_touched, 0),
             'reads_done', coalesce(c.reads, 0))
      from (select 1) one
      left join labeler_counts c on c.project_id = v_project and c.user_id = p_user);
  if p_want > 0 then
    v_result := v_result || jsonb_build_object('next', v_next);
  end if;
  return v_result;
end $$;
