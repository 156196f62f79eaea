-- Liveness of running training jobs (services/trainer/src/jobs/liveness.ts). pg-boss learns that
-- a worker died only at the job's expiry (hours for a round). A running job beats here every few
-- seconds through the ordinary pool; a trainer fails the active jobs whose run has stopped beating,
-- and pg-boss retries them. A beat names its run (the job's started_on, as text to keep the
-- microseconds), so a run that lost its job can neither refresh nor delete the new run's beat.
create table training_heartbeats (
  job_id     uuid primary key,
  started_on text not null,
  beat_at    timestamptz not null default now()
);
