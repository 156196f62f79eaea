-- Where a slice came from and whether its pixels went through a lossy encoder (ingest SPEC IN13,
-- IN14). A slice split from an enhanced multi-frame object keeps the de-identified UID of that
-- object and its 1-based frame number, so exports and structured reports can point back to the
-- source frame. A lead may exclude lossy slices (lossy JPEG, JPEG-LS near-lossless, JPEG 2000 /
-- HTJ2K irreversible, or Lossy Image Compression = 01).
alter table slices
  add column lossy boolean not null default false,
  add column source_sop_uid text,
  add column source_frame int check (source_frame >= 1),
  add constraint slices_source_frame_has_source check (source_frame is null or source_sop_uid is not null);
