-- Concord schema: ingest -> slices -> assignment -> reads -> adjudication -> final labels
-- -> training -> uncertainty. Invariants live here as constraints and triggers so that no
-- code path (GraphQL, socket, CLI, trainer) can break them.

create extension if not exists pgcrypto;

-- Append-only tables call this from BEFORE UPDATE/DELETE triggers.
create function concord_forbid_change() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only', tg_table_name using errcode = 'P0001';
end $$;

-- ---------------------------------------------------------------- users and auth
create table users (
  id            uuid primary key default gen_random_uuid(),
  username      text not null unique check (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
  password_hash text not null,
  disabled      boolean not null default false,
  created_at    timestamptz not null default now()
);

create table user_roles (
  user_id uuid not null references users(id),
  role    text not null check (role in ('ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER')),
  primary key (user_id, role)
);

-- Every grant and revoke, append-only: user_roles is the current state, this is history.
create table role_audit (
  id         bigint generated always as identity primary key,
  user_id    uuid not null references users(id),
  role       text not null,
  action     text not null check (action in ('GRANT', 'REVOKE')),
  actor_id   uuid references users(id),
  created_at timestamptz not null default now()
);
create trigger role_audit_append_only before update or delete on role_audit
  for each row execute function concord_forbid_change();

create table sessions (
  token_hash text primary key,          -- sha256 of the bearer token; the token itself is never stored
  user_id    uuid not null references users(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user on sessions(user_id);

create table login_attempts (
  id         bigint generated always as identity primary key,
  username   text not null,
  ip         text not null,
  success    boolean not null,
  created_at timestamptz not null default now()
);
create index login_attempts_recent on login_attempts(username, created_at desc);
create index login_attempts_ip on login_attempts(ip, created_at desc);

-- ---------------------------------------------------------------- projects
create table projects (
  id                    uuid primary key default gen_random_uuid(),
  name                  text not null unique check (length(name) between 1 and 200),
  reads_per_slice       smallint not null default 2 check (reads_per_slice between 1 and 5),
  lease_seconds         int not null default 600 check (lease_seconds between 10 and 86400),
  reason_codes          text[] not null default array['CSF_EFFACEMENT_ONLY', 'CORD_DEFORMITY', 'ARTEFACT', 'WRONG_LEVEL', 'NO_COMPRESSION'],
  -- Series-picking rules; see ingest/series-rules.ts for the shape and defaults.
  series_rules          jsonb not null default '{}'::jsonb,
  repeat_rate           real not null default 0 check (repeat_rate >= 0 and repeat_rate <= 0.5),
  repeat_washout        int not null default 20 check (repeat_washout >= 0),
  adjudicator_may_have_read boolean not null default false,
  retrain_every         int not null default 200 check (retrain_every >= 0),
  al_strategy           text not null default 'entropy' check (al_strategy in ('entropy', 'bald', 'margin', 'random')),
  al_batch_size         int not null default 50 check (al_batch_size > 0),
  al_max_per_patient    int not null default 3 check (al_max_per_patient > 0),
  al_min_gap            int not null default 2 check (al_min_gap >= 0),
  screening_k           int not null default 1 check (screening_k >= 0),
  promotion_tolerance   real not null default 0.01,
  current_model_version_id uuid,       -- fk added below, after model_versions exists
  created_at            timestamptz not null default now()
);

create table project_members (
  project_id uuid not null references projects(id),
  user_id    uuid not null references users(id),
  primary key (project_id, user_id)
);
create index project_members_user on project_members(user_id);

-- ---------------------------------------------------------------- ingest
create table ingest_batches (
  id          uuid primary key default gen_random_uuid(),
  project_id  uuid not null references projects(id),
  source      text not null,            -- what the admin gave: a path label or a DICOMweb base URL
  status      text not null default 'RUNNING' check (status in ('RUNNING', 'DONE', 'FAILED')),
  total       int not null default 0,
  accepted    int not null default 0,
  skipped     int not null default 0,
  rejected    int not null default 0,
  created_by  uuid references users(id),
  started_at  timestamptz not null default now(),
  finished_at timestamptz
);

create table ingest_files (
  id          bigint generated always as identity primary key,
  batch_id    uuid not null references ingest_batches(id),
  path        text not null,            -- relative to the ingested root; may be a zip member
  sha256      text,
  status      text not null check (status in ('ACCEPTED', 'SKIPPED', 'REJECTED')),
  reason      text not null,            -- machine code, e.g. NOT_AXIAL, TRUNCATED
  detail      text,                     -- human sentence, never patient data
  slice_id    uuid,
  created_at  timestamptz not null default now()
);
create index ingest_files_batch on ingest_files(batch_id, id);

create table patients (
  id          uuid primary key default gen_random_uuid(),
  project_id  uuid not null references projects(id),
  pseudonym   text not null,            -- HMAC of the original PatientID with the project secret
  cohort      text check (cohort in ('CONTROL', 'DCM')),   -- hidden from labelers
  is_test     boolean not null default false,              -- frozen evaluation set, never selected by AL
  created_at  timestamptz not null default now(),
  unique (project_id, pseudonym)
);

create table studies (
  id          uuid primary key default gen_random_uuid(),
  project_id  uuid not null references projects(id),
  patient_id  uuid not null references patients(id),
  study_uid   text not null,            -- de-identified
  created_at  timestamptz not null default now(),
  unique (project_id, study_uid)
);

create table series (
  id              uuid primary key default gen_random_uuid(),
  project_id      uuid not null references projects(id),
  study_id        uuid not null references studies(id),
  series_uid      text not null,        -- de-identified
  description     text,
  echo_time       real,
  repetition_time real,
  normal          real[],               -- unit slice normal from ImageOrientationPatient
  rows            int not null,
  cols            int not null,
  created_at      timestamptz not null default now(),
  unique (project_id, series_uid)
);

create table slices (
  id              uuid primary key default gen_random_uuid(),
  project_id      uuid not null references projects(id),
  series_id       uuid not null references series(id),
  sop_uid         text not null,        -- de-identified SOP Instance UID
  position        int not null,         -- 0-based index along the slice normal
  location        real not null,        -- mm along the normal
  file_key        text not null,        -- content address in the file store (de-identified DICOM)
  window_center   real,
  window_width    real,
  reads_required  smallint not null check (reads_required between 1 and 5),
  reads_done      smallint not null default 0,
  created_at      timestamptz not null default now(),
  unique (project_id, sop_uid),
  -- At most the project's number of independent reads, whatever path inserts them.
  check (reads_done between 0 and reads_required)
);
create index slices_series_pos on slices(series_id, position);
create index slices_open on slices(project_id, position) where reads_done < reads_required;

-- ---------------------------------------------------------------- assignment and reads
create table assignments (
  id          uuid primary key default gen_random_uuid(),
  project_id  uuid not null references projects(id),
  slice_id    uuid not null references slices(id),
  user_id     uuid not null references users(id),
  is_repeat   boolean not null default false,
  status      text not null default 'OPEN' check (status in ('OPEN', 'DONE', 'SKIPPED', 'EXPIRED', 'RELEASED')),
  prioritised boolean not null default false,   -- surfaced by active learning; shown as a badge only
  leased_at   timestamptz not null default now(),
  expires_at  timestamptz not null,
  closed_at   timestamptz
);
-- One live lease per labeler and slice.
create unique index assignments_one_open on assignments(slice_id, user_id) where status = 'OPEN';
create index assignments_user_open on assignments(user_id, project_id) where status = 'OPEN';
create index assignments_slice_open on assignments(slice_id) where status = 'OPEN';

create table reads (
  id                bigint generated always as identity primary key,
  project_id        uuid not null references projects(id),
  slice_id          uuid not null references slices(id),
  user_id           uuid not null references users(id),
  assignment_id     uuid references assignments(id),
  value             smallint not null check (value in (0, 1)),
  is_repeat         boolean not null default false,
  client_request_id text,
  created_at        timestamptz not null default now()
);
-- One independent read per labeler per slice; repeats are separate and never count.
create unique index reads_one_per_reader on reads(slice_id, user_id) where not is_repeat;
create unique index reads_one_repeat on reads(slice_id, user_id) where is_repeat;
create unique index reads_idempotency on reads(user_id, client_request_id) where client_request_id is not null;
create index reads_project on reads(project_id, created_at);
create trigger reads_append_only before update or delete on reads
  for each row execute function concord_forbid_change();

-- Counting reads on the slice row serialises concurrent inserts for one slice and lets
-- the slices check constraint refuse a read beyond reads_required.
create function concord_count_read() returns trigger language plpgsql as $$
begin
  if not new.is_repeat then
    update slices set reads_done = reads_done + 1 where id = new.slice_id;
  end if;
  return new;
end $$;
create trigger reads_count after insert on reads for each row execute function concord_count_read();

create table skips (
  id            bigint generated always as identity primary key,
  project_id    uuid not null references projects(id),
  slice_id      uuid not null references slices(id),
  user_id       uuid not null references users(id),
  assignment_id uuid references assignments(id),
  reason        text not null check (length(reason) between 1 and 500),
  created_at    timestamptz not null default now()
);
create index skips_user_slice on skips(user_id, slice_id);
create trigger skips_append_only before update or delete on skips
  for each row execute function concord_forbid_change();

-- ---------------------------------------------------------------- adjudication and final labels
create table adjudication_items (
  id          uuid primary key default gen_random_uuid(),
  project_id  uuid not null references projects(id),
  slice_id    uuid not null unique references slices(id),
  -- Reads shown as Reader A and Reader B, in an order drawn at random when the item opens.
  read_a_id   bigint not null references reads(id),
  read_b_id   bigint not null references reads(id),
  opened_at   timestamptz not null default now()
);
create index adjudication_items_project on adjudication_items(project_id, opened_at);

create table adjudications (
  id           bigint generated always as identity primary key,
  item_id      uuid not null unique references adjudication_items(id),
  user_id      uuid not null references users(id),
  value        smallint not null check (value in (0, 1)),
  reason_code  text not null,
  note         text check (length(note) <= 2000),
  created_at   timestamptz not null default now()
);
create trigger adjudications_append_only before update or delete on adjudications
  for each row execute function concord_forbid_change();

create table final_labels (
  slice_id    uuid primary key references slices(id),
  project_id  uuid not null references projects(id),
  value       smallint not null check (value in (0, 1)),
  source      text not null check (source in ('CONSENSUS', 'ADJUDICATION', 'SINGLE_READ')),
  decided_at  timestamptz not null default now()
);
create index final_labels_project on final_labels(project_id, decided_at);
create trigger final_labels_append_only before update or delete on final_labels
  for each row execute function concord_forbid_change();

-- General audit trail for actions without a table of their own (exports, settings, training).
create table audit_log (
  id          bigint generated always as identity primary key,
  project_id  uuid references projects(id),
  actor_id    uuid references users(id),
  action      text not null,
  entity_id   text,
  payload     jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now()
);
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function concord_forbid_change();

-- ---------------------------------------------------------------- training and active learning
create table model_versions (
  id            uuid primary key default gen_random_uuid(),
  project_id    uuid not null references projects(id),
  round         int not null,
  status        text not null check (status in ('CANDIDATE', 'CURRENT', 'RETIRED')),
  backbone      text not null,          -- e.g. resnet50-imagenet@<weights hash> or resnet50-random
  weights_hash  text,
  backend       text not null,          -- tfjs backend used: tensorflow, wasm, cpu
  strategy      text not null,
  label_count   int not null,
  split         jsonb not null,         -- patient ids per split
  metrics       jsonb not null,         -- slice and patient metrics on the frozen test set
  head          jsonb,                  -- trained head weights (small: 2048x512 + 512x512 + 512)
  created_at    timestamptz not null default now(),
  promoted_at   timestamptz,
  unique (project_id, round)
);
alter table projects add constraint projects_current_model
  foreign key (current_model_version_id) references model_versions(id);

-- Frozen backbone features, computed once per (backbone, slice).
create table embeddings (
  slice_id   uuid not null references slices(id),
  backbone   text not null,
  vector     bytea not null,            -- float32 little endian
  created_at timestamptz not null default now(),
  primary key (backbone, slice_id)
);

create table predictions (
  model_version_id uuid not null references model_versions(id),
  slice_id         uuid not null references slices(id),
  probability      real not null,
  primary key (model_version_id, slice_id)
);

-- Written by the trainer, read by assignment: only the project's current model counts.
create table uncertainty_scores (
  model_version_id uuid not null references model_versions(id),
  slice_id         uuid not null references slices(id),
  strategy         text not null,
  score            real not null,
  rank             int,                 -- rank in the diverse batch; null when not selected
  primary key (model_version_id, slice_id)
);
create index uncertainty_selected on uncertainty_scores(model_version_id, rank) where rank is not null;

create table selection_log (
  id               bigint generated always as identity primary key,
  project_id       uuid not null references projects(id),
  slice_id         uuid not null references slices(id),
  model_version_id uuid references model_versions(id),
  strategy         text not null,
  score            real,
  rank             int not null,
  created_at       timestamptz not null default now()
);
create trigger selection_log_append_only before update or delete on selection_log
  for each row execute function concord_forbid_change();
