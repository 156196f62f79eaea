'use client';
/** Accounts and their roles: create, grant or withdraw a role, clear a login's failure waits. */
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError, gql } from '../../lib/graphql';
import { CREATE_USER, SET_USER_ROLES, UNLOCK_USER, USERS } from '../../lib/queries';
import { queryKeys } from '../../lib/query-keys';
import type { Role, UserRow } from '../../lib/shapes';
import { ErrorNotice } from '../../components/Notice';
import type { Err } from './errors';

const ALL_ROLES: Role[] = ['ADMIN', 'LEAD', 'ADJUDICATOR', 'LABELER'];

export function Users({ projectId }: { projectId: string | null }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<Err>(null);
  const [form, setForm] = useState({ username: '', password: '', roles: ['LABELER'] as Role[] });
  const [unlocked, setUnlocked] = useState<string | null>(null);

  const { data: users, error: loadError } = useQuery({ queryKey: queryKeys.users(), queryFn: async () => (await gql(USERS)).users });
  useEffect(() => {
    if (loadError) setError(describeError(loadError));
  }, [loadError]);
  const load = () => void queryClient.invalidateQueries({ queryKey: queryKeys.users() });

  async function toggle(u: UserRow, role: Role) {
    const roles = u.roles.includes(role) ? u.roles.filter((r) => r !== role) : [...u.roles, role];
    setError(null);
    try {
      await gql(SET_USER_ROLES, { userId: u.id, roles });
      load();
    } catch (e) {
      setError(describeError(e));
    }
  }

  async function unlock(u: UserRow) {
    setError(null);
    setUnlocked(null);
    try {
      await gql(UNLOCK_USER, { userId: u.id });
      setUnlocked(u.username);
    } catch (e) {
      setError(describeError(e));
    }
  }

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await gql(CREATE_USER, { ...form, projectIds: projectId ? [projectId] : [] });
      setForm({ username: '', password: '', roles: ['LABELER'] });
      load();
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <section className="panel" aria-label="Users">
      <h3>Users and roles</h3>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <table>
        <thead>
          <tr>
            <th>User</th>
            {ALL_ROLES.map((r) => (
              <th key={r}>{r.toLowerCase()}</th>
            ))}
            <th>Projects</th>
            <th>Login</th>
          </tr>
        </thead>
        <tbody>
          {users?.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              {ALL_ROLES.map((r) => (
                <td key={r}>
                  <input type="checkbox" aria-label={`${u.username} ${r}`} checked={u.roles.includes(r)} onChange={() => void toggle(u, r)} />
                </td>
              ))}
              <td className="muted">{u.projects.map((p) => p.name).join(', ')}</td>
              <td>
                <button type="button" aria-label={`Unlock login of ${u.username}`} title="Clears the waits after failed logins" onClick={() => void unlock(u)}>
                  Unlock
                </button>
                {unlocked === u.username && <span className="muted"> Unlocked.</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={create} className="form-grid" style={{ marginTop: 12 }}>
        <label>
          User name
          <input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        </label>
        <fieldset style={{ border: 'none', padding: 0 }}>
          <legend className="muted">Roles</legend>
          {ALL_ROLES.map((r) => (
            <label key={r} style={{ display: 'inline-flex', gap: 4, marginRight: 8 }}>
              <input
                type="checkbox"
                checked={form.roles.includes(r)}
                onChange={() => setForm({ ...form, roles: form.roles.includes(r) ? form.roles.filter((x) => x !== r) : [...form.roles, r] })}
              />
              {r.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
    </section>
  );
}
