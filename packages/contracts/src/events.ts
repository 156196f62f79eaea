/**
 * Every realtime event, defined once and shared by the API, the trainer (which publishes
 * through PostgreSQL NOTIFY) and the web app. Clients `switch (e.type)`.
 *
 * Blinding: events sent to labelers carry only their own numbers. Nothing here that reaches
 * a labeler may carry another reader's label, read counts of a slice, model output or cohort.
 */
import type { Role } from './roles.js';

export type PresenceUser = { userId: string; username: string; roles: Role[] };

/** An ingest batch's running counts: the CLI's progress bar and the `ingest:progress` event. */
export interface IngestProgress {
  batchId: string;
  done: number;
  total: number;
  accepted: number;
  skipped: number;
  rejected: number;
  finished: boolean;
}

export type ServerEvent =
  | { type: 'presence'; projectId: string; online: { role: Role; count: number; usernames: string[] }[] }
  | { type: 'queue:size'; projectId: string; size: number; readsDone: number }
  | { type: 'queue:reprioritised'; projectId: string }
  | { type: 'adjudication:queue'; projectId: string; size: number }
  | {
      type: 'progress';
      projectId: string;
      slices: number;
      readsDone: number;
      readsRequired: number;
      finalLabels: number;
      openAdjudications: number;
      positiveFinal: number;
    }
  | ({ type: 'ingest:progress'; projectId: string } & IngestProgress)
  | {
      type: 'training:progress';
      projectId: string;
      jobId: string;
      stage: TrainingStage;
      done: number;
      total: number;
      epoch?: number;
      loss?: number;
      valLoss?: number;
    }
  | { type: 'reader:flagged'; projectId: string; userId: string; reader: string; paused: boolean; accuracy: number; low: number; high: number; n: number }
  | {
      type: 'training:round';
      projectId: string;
      modelVersionId: string;
      round: number;
      status: 'CANDIDATE' | 'CURRENT';
      auc: number | null;
      accuracy: number | null;
      labelCount: number;
    };

export type TrainingStage = 'embedding' | 'training' | 'fine-tuning' | 're-embedding' | 'scoring' | 'evaluating' | 'selecting' | 'done' | 'failed';

export type ServerEventType = ServerEvent['type'];

/** Who may receive each event type. Enforced by the realtime hub, checked by tests. */
export const EVENT_AUDIENCE: Record<ServerEventType, readonly Role[]> = {
  presence: ['LEAD', 'ADMIN', 'ADJUDICATOR', 'LABELER'],
  'queue:size': ['LABELER'],
  'queue:reprioritised': ['LABELER'],
  'adjudication:queue': ['ADJUDICATOR', 'LEAD', 'ADMIN'],
  progress: ['LEAD', 'ADMIN'],
  'ingest:progress': ['ADMIN', 'LEAD'],
  'training:progress': ['LEAD', 'ADMIN'],
  'training:round': ['LEAD', 'ADMIN'],
  'reader:flagged': ['LEAD', 'ADMIN'],
};

/** PostgreSQL NOTIFY channel used by processes without sockets (trainer, CLI) to publish events. */
export const EVENTS_CHANNEL = 'concord_events';
