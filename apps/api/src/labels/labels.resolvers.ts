import type { Resolvers } from '../graphql/generated.js';
import { ConcordError, ErrorCode } from '../errors/codes.js';
import { isUuid, requireRole } from '../auth/guard.js';
import { selectsField } from '../graphql/selection.js';
import { MAX_LOOKAHEAD } from '../assignment/assignment.service.js';
import { labelerProgress } from '../assignment/assignment.queries.js';
import { skipSlice, submitLabel } from './labels.service.js';
import { afterLabel } from './after-label.js';

export const labelsResolvers: Resolvers = {
  Mutation: {
    submitLabel: async (_p, { sliceId, value, clientRequestId, screenSeconds, lookahead }, ctx, info) => {
      const u = requireRole(ctx.user, ['LABELER']);
      if (!isUuid(sliceId)) throw new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
      if (lookahead != null && !(lookahead >= 1 && lookahead <= MAX_LOOKAHEAD)) {
        throw new ConcordError(ErrorCode.BAD_INPUT, `lookahead is how many leases to return: 1 to ${MAX_LOOKAHEAD}.`);
      }
      // Leases only for a client that asked for them: a lease holds a place on a slice.
      const lease = lookahead ?? (selectsField(info, ['next', 'upcoming']) ? 1 : 0);
      const r = await submitLabel(ctx.sql, {
        sliceId,
        userId: u.id,
        value,
        clientRequestId: clientRequestId ?? null,
        screenSeconds: screenSeconds ?? null,
        lease,
      });
      const answersProgress = selectsField(info, ['progress']);
      if (!r.duplicate) {
        ctx.onLabelStored?.();
        // [RT5] The requesting tab reads its progress from this answer; the labeler's other sockets hear it.
        afterLabel(ctx, r.projectId, u.id, r.outcome, r.progress, answersProgress ? ctx.socketId : undefined);
      }
      const progress = r.progress ?? (answersProgress ? await labelerProgress(ctx.sql, r.projectId, u.id) : null);
      return {
        ok: true,
        sliceId: r.sliceId,
        value: r.value,
        duplicate: r.duplicate,
        feedback: r.feedback ?? null,
        next: r.next?.[0] ?? null,
        upcoming: r.next ?? null,
        progress,
      };
    },
    skipSlice: async (_p, { sliceId, reason }, ctx) => {
      const u = requireRole(ctx.user, ['LABELER']);
      if (!isUuid(sliceId)) throw new ConcordError(ErrorCode.NO_ASSIGNMENT, 'You do not hold this slice. Ask for the next slice.');
      const r = await skipSlice(ctx.sql, { sliceId, userId: u.id, reason });
      void ctx.hub.sendQueueSize(r.projectId, u.id);
      return true;
    },
  },
};
