-- Issue #14, measured (bench/labeling's floor, pg_stat_statements with track = all, wait events
-- sampled): a label's time went to (1) the queue lease, which checked every open slice of the
-- project and then sorted them (the anti-joins ran once per open slice: 2,500 buffers a lease at
-- 200 open slices), walking past every slice whose places were all leased; a quarter of leases
-- (evaluation_share) first did the same looking for a test patient's slice in projects that have
-- none; (2) waits on rows every label updates and holds to its commit: the project's open-slice
-- counter shard (one of 16, picked at random) and slice rows. This migration keeps every rule
-- and changes how the database finds and counts.

-- Open regular leases per slice, kept by a trigger in the transaction that opens or closes the
-- lease (which holds the slice row already), so the lease queue's index holds only slices with a
-- place left. It counts leases past their time until they are marked EXPIRED: an upper bound
-- used to find candidates; concord_slice_has_room's exact count still decides.
alter table slices add column leases_open int not null default 0;

update slices s set leases_open = o.n
  from (select slice_id, count(*)::int as n from assignments
         where status = 'OPEN' and not is_gold and not is_calibration group by slice_id) o
 where o.slice_id = s.id;

create index slices_lease_queue on slices(project_id, queue_order, id) where reads_done + leases_open < reads_required;

create function concord_count_lease() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status = 'OPEN' and not old.is_gold and not old.is_calibration then
    update slices set leases_open = leases_open - 1 where id = old.slice_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.status = 'OPEN' and not new.is_gold and not new.is_calibration then
    update slices set leases_open = leases_open + 1 where id = new.slice_id;
  end if;
  return null;
end $$;
create trigger assignments_count_lease after insert or update of status, is_gold, is_calibration, slice_id or delete on assignments
  for each row execute function concord_count_lease();

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
  -- One shard per server process, not a random one of 16: two transactions collided on a shard
  -- row often (20 connections), and the first held it to its commit (the next lease included),
  -- which made that insert the slowest statement of a label and let two closing reads deadlock
  -- on a shard row they both created. A process runs one transaction at a time.
  insert into project_open_slices as o (project_id, shard, n) values (slice_project, (pg_backend_pid() % 64)::smallint, -1)
  on conflict (project_id, shard) do update set n = o.n - 1;
  return new;
end $$;

create or replace function concord_try_lease(p_project projects, p_user uuid, out p_status text, out p_out assignments)
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
    with mine as (
      select r.slice_id, row_number() over (order by r.id desc) as age
        from reads r where r.project_id = p_project.id and r.user_id = p_user and not r.is_repeat)
    select m.slice_id into v_slice from mine m
     where m.age > p_project.repeat_washout
       and not exists (select 1 from reads r where r.slice_id = m.slice_id and r.user_id = p_user and r.is_repeat)
       and not exists (select 1 from assignments a where a.slice_id = m.slice_id and a.user_id = p_user and a.status = 'OPEN')
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
        if v_found and concord_slice_has_room(v_candidate) then v_slice := v_candidate; end if;
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
        if v_found and concord_slice_has_room(v_candidate) then v_slice := v_candidate; end if;
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
    if concord_slice_has_room(v_candidate) then
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

create or replace function concord_next_leases(p_project_id uuid, p_user uuid, p_want int) returns jsonb
language plpgsql as $$
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
     order by a.leased_at, a.id
  loop
    exit when v_n >= greatest(1, least(3, p_want));
    v_open := v_open || jsonb_build_array(concord_assignment_json(v_row));
    v_n := v_n + 1;
  end loop;
  if v_n >= greatest(1, least(3, p_want)) then
    return jsonb_build_object('leases', v_open, 'complete', true);
  end if;
  select * into v_project from projects p where p.id = p_project_id;
  -- expireLeases: expired leases stop counting (here and in slices.leases_open, whose slice row is
  -- locked with the lease, skipped like it when another transaction holds it). Rows another submit holds are skipped: this
  -- transaction already holds its own lease and slice, and waiting here could close a deadlock
  -- (every lease query checks expires_at itself, so skipping one changes no answer).
  update assignments set status = 'EXPIRED', closed_at = now()
   where id in (select a.id from assignments a join slices s on s.id = a.slice_id
                 where a.project_id = p_project_id and a.status = 'OPEN' and a.expires_at <= now()
                 for update of a skip locked for no key update of s skip locked);
  while v_n < greatest(1, least(3, p_want)) loop
    select * into v_try from concord_try_lease(v_project, p_user);
    if v_try.p_status <> 'LEASED' then
      return jsonb_build_object('leases', v_open, 'complete', v_try.p_status = 'NONE', 'stopped', v_try.p_status);
    end if;
    v_open := v_open || jsonb_build_array(concord_assignment_json(v_try.p_out));
    v_n := v_n + 1;
  end loop;
  return jsonb_build_object('leases', v_open, 'complete', true);
end $$;

-- Whether a project has a test patient at all: asked on a share of leases (concord_try_lease).
create index patients_test on patients(project_id) where is_test;
