/**
 * Which cached queries each realtime event makes stale (web SPEC WEB15). The map is keyed by every
 * `ServerEvent` type, so a new event type does not compile until it says what it invalidates;
 * an event whose own fields are the news (presence, a labeler's counts, training progress)
 * invalidates nothing and its page shows the fields. No React here: test/query-invalidation.test.ts.
 */
import type { ServerEvent, ServerEventType } from '@concord/contracts';
import { queryKeys, type QueryKey } from './query-keys';

type EventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;
type Invalidations = { [T in ServerEventType]: (e: EventOf<T>) => readonly QueryKey[] };

export const INVALIDATIONS: Invalidations = {
  presence: () => [],
  'queue:size': () => [],
  // The leases already held stay; the ones leased next come in the new order.
  'queue:reprioritised': () => [],
  // Every decision and every opened item also sends `progress`, which refreshes the lead's figures.
  'adjudication:queue': (e) => [queryKeys.adjudicationQueue(e.projectId)],
  // A read moves agreement, the evaluation set's fill, the versions' evaluation and reader QC.
  progress: (e) => [queryKeys.dashboard(e.projectId), queryKeys.readerPerformance(e.projectId)],
  // The running counts are in the event; a finished batch has its final status and time.
  'ingest:progress': (e) => (e.finished ? [queryKeys.ingestBatches(e.projectId)] : []),
  'training:progress': () => [],
  'training:round': (e) => [queryKeys.dashboard(e.projectId), queryKeys.stoppingSignal(e.projectId)],
  'reader:flagged': (e) => [queryKeys.readerPerformance(e.projectId)],
};

export function invalidatedBy(e: ServerEvent): readonly QueryKey[] {
  // One entry per type, so the entry for e.type takes e; TypeScript cannot narrow the lookup itself.
  return (INVALIDATIONS[e.type] as (e: ServerEvent) => readonly QueryKey[])(e);
}
