'use client';
import { useRequireSession } from '../../lib/session';
import { mayOpen } from '../../lib/roles';
import type { ModelVersion } from '../../lib/shapes';
import { Empty, ErrorNotice, Forbidden } from '../../components/Notice';
import { useLeadActions, useLeadDashboard, type Online } from './use-lead-dashboard';
import { ProgressCards, ProgressCharts } from './progress-panels';
import { ReaderQcPanel } from './reader-qc-panel';
import { AgreementPanel } from './agreement-panel';
import { ModelPanel } from './model-panel';
import { StoppingPanel } from './stopping-panel';
import { ScreeningPanel } from './screening-panel';
import { Exports } from './exports-panel';

/** Who is online, by role, as one line; the title lists the names. */
function Presence({ online }: { online: Online | null }) {
  return (
    <span className="muted" data-testid="presence" title={online?.map((o) => `${o.role.toLowerCase()}: ${o.usernames.join(', ') || '—'}`).join('\n')}>
      {online
        ? `Online: ${
            online
              .filter((o) => o.count > 0)
              .map((o) => `${o.count} ${o.role.toLowerCase()}${o.count === 1 ? '' : 's'}`)
              .join(' · ') || 'only you'
          }`
        : ''}
    </span>
  );
}

export default function LeadPage() {
  const { me, projectId } = useRequireSession();
  const allowed = !!me && mayOpen(me.roles, '/lead');
  const { data, progress, backlog, training, setTraining, error, setError, flagNotice, online, live } = useLeadDashboard(projectId, allowed);
  const { trainNow, promote, freeze } = useLeadActions(projectId, setError, setTraining);

  // A lead's override of the promotion gate, or a rollback: audited on the server, and undone the
  // same way. The table refetches, so every lead's dashboard shows the new current version.
  const makeCurrent = async (m: ModelVersion) => {
    const verb = m.status === 'RETIRED' ? 'Roll back to' : 'Promote';
    // Recorded with the decision (basis MANUAL): what the lead based it on, e.g. the paired comparison.
    const note = window.prompt(
      `${verb} round ${m.round}? Labelers' queues will follow its uncertainty ranking from now on.\nBasis of this decision (recorded):`,
      '',
    );
    if (note === null) return;
    await promote(m.id, note || null);
  };

  const freezeSet = async () => {
    if (!projectId) return;
    if (!window.confirm('Freeze the evaluation set now? Its patients never change afterwards and never train a model.')) return;
    await freeze();
  };

  if (!me) return <Empty>Loading…</Empty>;
  if (!allowed) return <Forbidden page="the lead dashboard" />;
  if (!projectId) return <Empty>No project yet. An admin can create one.</Empty>;
  if (!data)
    return (
      <div className="page">
        <ErrorNotice error={error} />
        {!error && <Empty>Loading dashboard…</Empty>}
      </div>
    );

  return (
    <div className="page">
      <div className="row">
        <h1>{data.project.name}</h1>
        <Presence online={online} />
        <span className={`live ${live}`}>{live}</span>
      </div>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      <ProgressCards p={progress} backlog={backlog} a={data.agreement} />
      <ProgressCharts p={progress} a={data.agreement} />
      {flagNotice && (
        <div className="notice warn" role="status" data-testid="reader-flag-notice">
          {flagNotice}
        </div>
      )}
      <ReaderQcPanel projectId={projectId} />
      <AgreementPanel a={data.agreement} />
      <ModelPanel data={data} training={training} trainNow={trainNow} makeCurrent={makeCurrent} freezeSet={freezeSet} />
      {data.modelVersions.length > 0 && <StoppingPanel projectId={projectId} />}
      <ScreeningPanel projectId={projectId} versions={data.modelVersions} defaultK={data.project.screeningK} onError={setError} />
      <Exports projectId={projectId} />
    </div>
  );
}
