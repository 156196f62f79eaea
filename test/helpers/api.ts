import { after } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { freshDatabase } from './db.js';
import { startApiServer, type RunningApi, type StartOptions } from '../../apps/api/src/server/start.js';
import { createUser } from '../../apps/api/src/users/users.queries.js';
import { createProject } from '../../apps/api/src/projects/projects.queries.js';
import type { Sql } from '@concord/db';
import type { Role } from '../../apps/api/src/realtime/roles.js';
import type { ServerEvent } from '@concord/contracts';

export interface TestApi {
  api: RunningApi;
  sql: Sql;
  url: string;
  dbUrl: string;
  dataDir: string;
}

/** A real API on a free port over a fresh database; closed when the test file ends. */
export async function startTestApi(label: string, opts: Pick<StartOptions, 'config' | 'webOrigins' | 'sqlDebug'> = {}): Promise<TestApi> {
  const { url: dbUrl, sql, onBeforeDrop } = await freshDatabase(label);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `concord-${label}-`));
  const api = await startApiServer({ databaseUrl: dbUrl, dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', ...opts });
  onBeforeDrop(() => api.close());
  return { api, sql, url: api.url, dbUrl, dataDir };
}

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

/** Data or a thrown error naming the GraphQL error code, for tests that expect success. */
export async function gqlOk<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const r = await gql<T>(url, query, variables, token);
  if (r.errors?.length) throw new Error(`GraphQL error ${r.errors[0].extensions?.code}: ${r.errors[0].message}`);
  return r.data as T;
}

export function errorCode(r: GqlResult): string | undefined {
  return r.errors?.[0]?.extensions?.code;
}

export async function login(url: string, username: string, password = 'password123'): Promise<string> {
  const d = await gqlOk<{ login: { token: string } }>(url, 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}', {
    u: username,
    p: password,
  });
  return d.login.token;
}

export interface SeededProject {
  projectId: string;
  sliceIds: string[];
  seriesIds: string[];
  users: Record<string, { id: string; token: string }>;
}

/**
 * A project with `series` series of `slicesPerSeries` slices (file keys point at one tiny
 * stored file) and users by name → roles. Rows are inserted with SQL: assignment does not
 * care how slices arrived.
 */
export async function seedProject(
  t: TestApi,
  opts: { slicesPerSeries?: number; series?: number; reads?: number; users: Record<string, Role[]>; name?: string },
): Promise<SeededProject> {
  const p = await createProject(t.sql, { name: opts.name ?? `P-${randomUUID().slice(0, 8)}`, readsPerSlice: opts.reads ?? 2 });
  const users = await addUsers(t, p.id, opts.users);
  const sliceIds: string[] = [];
  const seriesIds: string[] = [];
  for (let s = 0; s < (opts.series ?? 1); s++) {
    const [pat] =
      await t.sql`insert into patients (project_id, pseudonym, cohort) values (${p.id}, ${'PSN' + s + randomUUID().slice(0, 6)}, ${s % 2 ? 'DCM' : 'CONTROL'}) returning id`;
    const [st] =
      await t.sql`insert into studies (project_id, patient_id, study_uid) values (${p.id}, ${pat.id}, ${'2.25.' + Date.now() + s + Math.floor(Math.random() * 1e9)}) returning id`;
    const [se] =
      await t.sql`insert into series (project_id, study_id, series_uid, description, rows, cols) values (${p.id}, ${st.id}, ${'2.25.9' + Date.now() + s + Math.floor(Math.random() * 1e9)}, 'T2 AX', 8, 8) returning id`;
    seriesIds.push(se.id);
    for (let i = 0; i < (opts.slicesPerSeries ?? 5); i++) {
      const [sl] = await t.sql`
        insert into slices (project_id, series_id, sop_uid, position, location, file_key, reads_required)
        values (${p.id}, ${se.id}, ${'2.25.1' + Date.now() + s + '.' + i + Math.floor(Math.random() * 1e9)}, ${i}, ${i * 3}, ${'0'.repeat(64)}, ${opts.reads ?? 2})
        returning id`;
      sliceIds.push(sl.id);
    }
  }
  return { projectId: p.id, sliceIds, seriesIds, users };
}

/** Users of one project by name → roles (password `password123`), each logged in. */
export async function addUsers(t: TestApi, projectId: string, roles: Record<string, Role[]>): Promise<SeededProject['users']> {
  const users: SeededProject['users'] = {};
  for (const [name, r] of Object.entries(roles)) {
    const u = await createUser(t.sql, { username: name, password: 'password123', roles: r, projectIds: [projectId] });
    users[name] = { id: u.id, token: await login(t.url, name) };
  }
  return users;
}

export const NEXT_SLICE = `query($p:ID!){ nextSlice(projectId:$p){ id leaseExpiresAt slice { id imageUrl position series { id slices { id position imageUrl } } } } }`;
export const SUBMIT = `mutation($s:ID!,$v:Int!,$c:ID){ submitLabel(sliceId:$s,value:$v,clientRequestId:$c){ ok sliceId value duplicate } }`;

/** A Socket.io client that records every event; joined to the project before it resolves. */
export async function connectSocket(
  url: string,
  token: string,
  projectId: string,
): Promise<{ socket: Socket; events: ServerEvent[]; waitFor(pred: (e: ServerEvent) => boolean, ms?: number): Promise<ServerEvent> }> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  const events: ServerEvent[] = [];
  const waiters: { pred: (e: ServerEvent) => boolean; resolve: (e: ServerEvent) => void }[] = [];
  socket.on('event', (e: ServerEvent) => {
    events.push(e);
    for (const w of [...waiters])
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
  const ack = await socket.timeout(5000).emitWithAck('join', { projectId });
  if (!ack?.ok) throw new Error(`join refused: ${ack?.error?.code}`);
  after(() => {
    socket.disconnect();
  });
  return {
    socket,
    events,
    waitFor(pred, ms = 5000) {
      const found = events.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        // Cleared on arrival: a pending long timeout kept the test file's process alive for its whole length.
        const timer = setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) {
            waiters.splice(i, 1);
            reject(new Error('timed out waiting for socket event'));
          }
        }, ms);
        const w = {
          pred,
          resolve: (e: ServerEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        waiters.push(w);
      });
    },
  };
}
