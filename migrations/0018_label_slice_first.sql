-- Issue #14: no deadlock between two labels whose next leases cross [LB9].
--
-- concord_submit_label (0016, 0017) took the labeler's next lease before storing the read: the
-- lease locks the leased slice's row (FOR NO KEY UPDATE … SKIP LOCKED) and the read's trigger
-- then updates the labelled slice's row. When X labels S1 and leases S2 while Y labels S2 and
-- leases S1, each transaction holds the row the other's read waits for. PostgreSQL breaks the
-- cycle only after deadlock_timeout (1 s), rolling one back (the service runs it again): a
-- second-long label, seen in bench/labeling as a p99 of about 1,000 ms on phases of 100–200
-- labels on small projects (20 labelers, 90 slices), where pg_stat_database counted one deadlock
-- each, and forced in test/label-deadlock.test.ts.
--
-- Now the function locks the labelled slice's row first (one index probe), before the lease: the
-- only wait for a slice row comes while the transaction holds none. Everything else is 0017's.

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
  -- [LB9] This slice's row before the next lease. The lease locks the row of the slice it leases
  -- and the read's trigger then updates this one; taken in that order, two labels whose next
  -- leases crossed (each leasing the slice the other was labelling) each held the row the other
  -- waited for, a deadlock PostgreSQL finds only after deadlock_timeout (1 s). Now a label waits
  -- for a slice row only here, holding no other (its lease skips rows others hold), so no cycle
  -- runs through slice rows. The row is held from here to commit instead of from the read: the
  -- length of the lease, which skips it meanwhile. Repeats leave the slice row alone.
  if not v_repeat then
    perform 1 from slices s where s.id = p_slice for no key update;
  end if;
  -- The next leases, as if this read were stored: the counters other labels wait for are not held yet.
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
