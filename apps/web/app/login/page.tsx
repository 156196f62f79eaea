'use client';
import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { describeError, gql } from '../../lib/graphql';
import { TOKEN_KEY, useSession } from '../../lib/session';
import { LOGIN } from '../../lib/queries';
import { ErrorNotice } from '../../components/Notice';

export default function LoginPage() {
  const router = useRouter();
  const { refresh } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const data = await gql(LOGIN, { username, password });
      window.sessionStorage.setItem(TOKEN_KEY, data.login.token);
      await refresh();
      router.replace('/');
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <h1>Concord</h1>
      <p className="muted">Cervical-spine MRI labeling</p>
      <form onSubmit={submit}>
        <label>
          User name
          <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <ErrorNotice error={error} />
    </div>
  );
}
