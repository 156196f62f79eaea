-- Issue #14: a label and the next lease in one round trip. The statements labels.service.ts and
-- assignment.service.ts sent one by one (slice, idempotency lookups, assignment lock, own reads,
-- read, close, settle, resume / expire / lease, the labeler's progress) run here server-side, with
-- the same rules: the triggers and constraints still enforce at most N reads, one read per
-- labeler and the append-only audit; this code only decides what to ask them.
--
-- Errors a labeler can cause come back as a `status` (nothing written), not as exceptions, so the
-- API keeps its codes and messages in one place; constraint violations (the slice filled while
-- the lease was lapsed; a request id racing itself) still raise and are mapped as before.
-- Gold and calibration leases are answered `status = 'TS'`: the API runs their (rarer) path.

-- [AS2][AS5] Where a lease query asks whether a slice is open to this labeler, the predicate is
-- openToLabeler's (assignment.queries.ts), written out: the planner then uses the partial index
-- slices_queue and plans the anti-joins (a SQL function with subqueries is not inlined).

-- The lease as the API returns it: the assignment row and the slice fields its resolvers show.
create function concord_assignment_json(a assignments) returns jsonb language sql stable as $$
  select to_jsonb(a) || jsonb_build_object('slice', (
    select jsonb_build_object('id', s.id, 'series_id', s.series_id, 'position', s.position,
                              'window_center', s.window_center, 'window_width', s.window_width)
      from slices s where s.id = a.slice_id))
$$;

-- hasRoom in assignment.queries.ts: re-counted after the row lock is held.
create function concord_slice_has_room(p_slice uuid) returns boolean language sql volatile as $$
  select s.reads_done + (select count(*) from assignments a
                          where a.slice_id = s.id and a.status = 'OPEN' and a.expires_at > now() and not a.is_gold and not a.is_calibration) < s.reads_required
    from slices s where s.id = p_slice
$$;

-- One lease attempt, as tryLease in assignment.service.ts: 'LEASED' (p_out set), 'NONE' (nothing
-- is left for this labeler, or they are paused), 'BUSY' (every open slice is locked by leases in
-- flight) or 'TS' (calibration still required: the API's path leases it).
create function concord_try_lease(p_project projects, p_user uuid, out p_status text, out p_out assignments)
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
  v_eval := p_project.evaluation_share > 0 and random() < p_project.evaluation_share;
  for v_pass in 1..3 loop
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
      elsif v_pass = 2 then
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
      else
        select s.id into v_candidate from slices s
           where s.project_id = p_project.id
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
-- `complete` is false when the API must top up (calibration, or every slice locked just now).
create function concord_next_leases(p_project_id uuid, p_user uuid, p_want int) returns jsonb
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
  -- expireLeases: expired leases stop counting. Rows another submit holds are skipped: this
  -- transaction already holds its own lease and slice, and waiting here could close a deadlock
  -- (every lease query checks expires_at itself, so skipping one changes no answer).
  update assignments set status = 'EXPIRED', closed_at = now()
   where id in (select a.id from assignments a
                 where a.project_id = p_project_id and a.status = 'OPEN' and a.expires_at <= now()
                 for update skip locked);
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

-- [LB1]–[LB4][TM1] One regular read: idempotency, the lease check, the read, closing the lease,
-- settling the slice, the labeler's progress and (p_want > 0) the next leases. Every submit that
-- stores a read runs the same statements whether or not it completes the slice; only the row the
-- settle statement inserts differs.
create function concord_submit_label(
  p_slice uuid, p_user uuid, p_value int, p_request text, p_screen real, p_swap boolean, p_want int
) returns jsonb
language plpgsql as $$
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
    -- Serialise this labeler's submits for this slice.
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
  if v_status is null then
    -- [RQ11] readSeconds in timing.queries.ts.
    select extract(epoch from now() - greatest(
             v_a.leased_at,
             (select max(r.created_at) from reads r where r.user_id = p_user and r.project_id = v_project),
             (select max(g.created_at) from gold_reads g where g.user_id = p_user and g.project_id = v_project)
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
    v_status := 'OK'; v_value := p_value;
    v_outcome := case when v_repeat then 'REPEAT' when v_consensus then 'CONSENSUS' when v_opened then 'ADJUDICATION_OPENED' else 'PENDING' end;
  end if;
  v_result := jsonb_build_object('status', v_status, 'project_id', v_project, 'value', v_value, 'outcome', coalesce(v_outcome, 'DUPLICATE'));
  if v_status = 'OK' then
    -- labelerProgress in assignment.queries.ts: what the labeler's queue:size event carries.
    v_result := v_result || (
      select jsonb_build_object(
               'queue_size', coalesce((select sum(n) from project_open_slices where project_id = v_project), 0)::int - coalesce(c.open_touched, 0),
               'reads_done', coalesce(c.reads, 0))
        from (select 1) one
        left join labeler_counts c on c.project_id = v_project and c.user_id = p_user);
  end if;
  if p_want > 0 then
    v_result := v_result || jsonb_build_object('next', concord_next_leases(v_project, p_user, p_want));
  end if;
  return v_result;
end $$;
