-- DICOM Structured Reports back to the hospital (apps/api/src/structured-report/SPEC.md).

-- Re-identification is a per-project decision, off by default: only while it is on does ingest
-- keep the original UIDs and patient identity of each slice (SR10). Changes are audited
-- (audit_log action REIDENTIFICATION_SETTING).
alter table projects add column allow_reidentification boolean not null default false;

-- The original identity of an ingested slice, kept only for projects that allow it, so an SR
-- written for the site's own PACS can reference the images it already holds. Nothing else in
-- Concord reads this table; exports, images and logs never show it.
create table slice_origins (
  slice_id          uuid primary key references slices(id),
  project_id        uuid not null references projects(id),
  study_uid         text not null,
  series_uid        text not null,
  sop_uid           text not null,
  sop_class_uid     text not null,
  patient_id        text,
  patient_name      text,
  created_at        timestamptz not null default now()
);
create index slice_origins_project on slice_origins(project_id);

-- One row per distinct content of a study's SR (SR6): the same content keeps its SOP Instance
-- UID and its content date; new content gets the next instance number in the same series.
-- Append-only, so an instance once written is never re-dated or renumbered.
create table structured_reports (
  id            bigint generated always as identity primary key,
  project_id    uuid not null references projects(id),
  study_id      uuid not null references studies(id),
  reidentified  boolean not null,
  content_hash  text not null,
  instance_number int not null check (instance_number > 0),
  series_uid    text not null,
  sop_uid       text not null unique,
  created_at    timestamptz not null default now(),
  unique (study_id, reidentified, content_hash),
  unique (study_id, reidentified, instance_number)
);
create trigger structured_reports_append_only before update or delete on structured_reports
  for each row execute function concord_forbid_change();
