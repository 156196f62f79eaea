-- Two batch-aware active-learning strategies (services/trainer/SPEC.md TR24, TR25): badge
-- (uncertainty and diversity over gradient embeddings) and balanced (a quota of each batch from
-- the likeliest positives). margin stays allowed for projects that chose it; it ranks slices
-- exactly as entropy does for one sigmoid output, so the lead's screens no longer offer it.
alter table projects drop constraint projects_al_strategy_check;
alter table projects add constraint projects_al_strategy_check
  check (al_strategy in ('entropy', 'bald', 'margin', 'random', 'badge', 'balanced'));
