-- Model evaluation a lead can publish from (issue #11): a protected evaluation set recorded once,
-- audit-sampled selections, promotions recorded with their basis.

-- The evaluation set: frozen once (by a lead, or automatically before the first round), never
-- changed. A new set is a new row; the old one is retired and its versions' results stay with it.
create table evaluation_sets (
  id          uuid primary key default gen_random_uuid(),
  project_id  uuid not null references projects(id),
  frozen_at   timestamptz not null default now(),
  frozen_by   uuid references users(id),     -- null: frozen automatically before the first round
  rule        jsonb not null,                -- the sizing rule and the strata it produced
  retired_at  timestamptz
);
create unique index evaluation_sets_one_live on evaluation_sets(project_id) where retired_at is null;

create table evaluation_set_patients (
  set_id      uuid not null references evaluation_sets(id),
  patient_id  uuid not null references patients(id),
  primary key (set_id, patient_id)
);
-- Membership is written once, when the set is frozen.
create trigger evaluation_set_patients_append_only before update or delete on evaluation_set_patients
  for each row execute function concord_forbid_change();

-- Projects whose test set was frozen before this migration keep it, recorded as a set.
with frozen as (
  insert into evaluation_sets (project_id, frozen_at, rule)
  select p.id, coalesce(min(pa.created_at), now()), '{"backfilled": true}'::jsonb
    from projects p join patients pa on pa.project_id = p.id and pa.is_test
   group by p.id
  returning id, project_id)
insert into evaluation_set_patients (set_id, patient_id)
select f.id, pa.id from frozen f join patients pa on pa.project_id = f.project_id and pa.is_test;

-- Why a slice was selected: ACTIVE (uncertainty) or AUDIT (uniform draw, the unbiased share).
alter table selection_log add column mode text not null default 'ACTIVE' check (mode in ('ACTIVE', 'AUDIT'));

alter table projects
  add column al_audit_share real not null default 0.2 check (al_audit_share between 0 and 1),
  -- Share of a labeler's fresh leases offered from the evaluation set first, so it completes early.
  add column evaluation_share real not null default 0.25 check (evaluation_share between 0 and 1),
  -- Patient-level sensitivity the slice threshold is chosen for, on validation.
  add column target_sensitivity real not null default 0.95 check (target_sensitivity > 0 and target_sensitivity <= 1);

alter table model_versions
  -- Cached evaluation on the project's evaluation set; recomputed when its labels change.
  add column evaluation jsonb,
  add column promotion_basis text check (promotion_basis in ('VALIDATION', 'MANUAL')),
  add column promotion_decided_at timestamptz,
  add column promotion_decided_by uuid references users(id),
  add column promotion_note text;
