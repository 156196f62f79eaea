-- Active-learning settings become settable through GraphQL (updateProject). al_batch_size,
-- al_max_per_patient and al_min_gap have had checks since 0001; promotion_tolerance had none,
-- so NaN or any number could be stored and would silently decide every promotion.
--
-- The promotion gate compares test AUCs, which lie in [0, 1]: a tolerance of 1 already means
-- "always promote" and -1 "never promote" (the simulator and tests use both), so anything
-- outside [-1, 1] is meaningless. The API accepts the narrower 0–0.5 a study should use
-- (apps/api/src/projects/al-settings.ts). NaN fails this check, as it should.
alter table projects add constraint projects_promotion_tolerance_range
  check (promotion_tolerance between -1 and 1);
