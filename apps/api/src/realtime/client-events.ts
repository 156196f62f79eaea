/**
 * Every event a client may send over Socket.io, each with the schema its payload must match.
 * The hub registers a handler for exactly these names, each through `guarded` (socket-guard.ts);
 * the fuzz test [SG1] walks this map, so a new event cannot skip validation.
 */
import { z } from 'zod';

export const CLIENT_EVENTS = {
  /** Subscribe to a project's rooms: needs a live session and a role in the project. */
  join: z.object({ projectId: z.uuid() }),
} as const;

export type ClientEventName = keyof typeof CLIENT_EVENTS;
export type ClientEventPayload<E extends ClientEventName> = z.infer<(typeof CLIENT_EVENTS)[E]>;
