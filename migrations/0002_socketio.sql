-- Socket.io across API nodes (@socket.io/postgres-adapter): payloads above NOTIFY's 8000-byte
-- limit travel through this table; the adapter deletes old rows itself.
create table if not exists socket_io_attachments (
  id          bigserial unique,
  created_at  timestamptz default now(),
  payload     bytea
);
