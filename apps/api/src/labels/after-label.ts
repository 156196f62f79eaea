import type { RequestContext } from '../server/context.js';
import { checkFlagAfterGoldRead } from '../reader-qc/reader-qc.service.js';

/**
 * Realtime fan-out after a read or a decision. Runs after the response is decided, and its
 * failures are logged, not thrown: a label is stored whether or not a socket hears of it.
 * The labeler's own queue size goes only to them, and only after their own action [BL1].
 */
export function afterLabel(
  ctx: RequestContext,
  projectId: string,
  labelerId: string | null,
  outcome: 'PENDING' | 'CONSENSUS' | 'ADJUDICATION_OPENED' | 'REPEAT' | 'DUPLICATE' | 'ADJUDICATED' | 'GOLD' | 'CALIBRATION',
  /** The labeler's progress as the label's own statement returned it: sent as is, not re-counted. */
  progress?: { queueSize: number; readsDone: number },
  /** The labeler's socket whose tab made the request and has `progress` in its answer: not told again [RT5]. */
  answeredSocket?: string,
): void {
  const work = async () => {
    if (labelerId && progress)
      ctx.hub.emitToUser(
        projectId,
        labelerId,
        { type: 'queue:size', projectId, size: progress.queueSize, readsDone: progress.readsDone },
        false,
        answeredSocket,
      );
    else if (labelerId) await ctx.hub.sendQueueSize(projectId, labelerId);
    if (outcome === 'ADJUDICATION_OPENED') await ctx.hub.broadcastAdjudicationQueue(projectId);
    await ctx.hub.broadcastProgress(projectId);
    if (outcome === 'CONSENSUS' || outcome === 'ADJUDICATED') await ctx.onFinalLabel?.(projectId);
    // [RQ9] Leads hear of a reader whose gold accuracy just fell below their threshold.
    if (outcome === 'GOLD' && labelerId) {
      const flag = await checkFlagAfterGoldRead(ctx.sql, projectId, labelerId);
      if (flag) {
        ctx.hub.emit({
          type: 'reader:flagged',
          projectId,
          userId: flag.userId,
          reader: flag.reader,
          paused: flag.paused,
          accuracy: flag.window.value,
          low: flag.window.low,
          high: flag.window.high,
          n: flag.window.slices,
        });
      }
    }
  };
  work().catch((e) => ctx.log?.(e));
}
