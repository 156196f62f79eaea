-- Assignment must find the next open slice without sorting the whole project: each slice gets
-- a queue position at insert, and a partial index over open slices in that order lets
-- `order by queue_order limit n` stop after the first few rows.

alter table series add column seq bigint generated always as identity;

alter table projects add column queue_order text not null default 'SERIES'
  check (queue_order in ('SERIES', 'RANDOM'));

alter table slices add column queue_order bigint;

-- SERIES: series in ingest order, slices by position, so a reader moves through a series.
-- RANDOM: a fixed random permutation, for projects that want reading order decorrelated.
create function concord_slice_queue_order(mode text, series_seq bigint, pos int) returns bigint
language sql immutable as $$
  select case when mode = 'RANDOM' then (random() * 9e15)::bigint else series_seq * 100000 + pos end
$$;

create function concord_set_queue_order() returns trigger language plpgsql as $$
begin
  if new.queue_order is null then
    new.queue_order := concord_slice_queue_order(
      (select queue_order from projects where id = new.project_id),
      (select seq from series where id = new.series_id),
      new.position);
  end if;
  return new;
end $$;
create trigger slices_queue_order before insert on slices for each row execute function concord_set_queue_order();

update slices s set queue_order = se.seq * 100000 + s.position from series se where se.id = s.series_id;
alter table slices alter column queue_order set not null;

drop index if exists slices_open;
create index slices_queue on slices(project_id, queue_order) where reads_done < reads_required;

-- Lease expiry runs on every nextSlice: find the expired OPEN leases of a project by range scan.
create index assignments_open_expiry on assignments(project_id, expires_at) where status = 'OPEN';
