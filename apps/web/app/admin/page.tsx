'use client';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import { Empty, Forbidden } from '../../components/Notice';
import { Users } from './users-panel';
import { Settings } from './settings-panel';
import { Ingest } from './ingest-panel';

export default function AdminPage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/admin');
  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="administration" />;
  return (
    <div className="page">
      <h1>Administration</h1>
      <Users projectId={projectId} />
      {projectId ? (
        <>
          <Settings projectId={projectId} />
          <Ingest projectId={projectId} />
        </>
      ) : (
        <Empty>No project yet: create one with the CLI (`npm run concord`), then reload.</Empty>
      )}
    </div>
  );
}
