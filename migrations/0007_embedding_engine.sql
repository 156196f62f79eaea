-- Cached embeddings are keyed by the engine that computed them (RS4), not by backbone alone:
-- a GPU (TF32/cuDNN) and a wasm run of the same weights give slightly different vectors, and a
-- head must never train on a mix. Rows cached before this migration were all computed by the
-- wasm engine in float32.
alter table embeddings add column engine text not null default 'wasm-fp32';
alter table embeddings alter column engine drop default;
alter table embeddings drop constraint embeddings_pkey;
alter table embeddings add primary key (backbone, engine, slice_id);
