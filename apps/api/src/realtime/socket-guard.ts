import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { ErrorCode, isConcordError } from '../errors/codes.js';

/** What every client event is answered with, through its acknowledgement when it asked for one. */
export type SocketAck<T = Record<string, never>> = ({ ok: true } & T) | { ok: false; error: { code: ErrorCode; message: string } };

const INTERNAL_MESSAGE = 'Something went wrong on the server. Try again; if it persists, tell your admin.';

/** Turns anything thrown into an answer: ConcordErrors keep their code and message, the rest is INTERNAL. */
export function ackForError(e: unknown, log: (e: unknown) => void): SocketAck {
  if (isConcordError(e)) return { ok: false, error: { code: e.code, message: e.message } };
  log(e);
  return { ok: false, error: { code: ErrorCode.INTERNAL, message: INTERNAL_MESSAGE } };
}

/**
 * The one wrapper around every socket handler [SG1][SG2]: the payload is parsed by its schema
 * before the handler sees it (so no hostile object, getter or toString reaches our code), the
 * acknowledgement is called at most once and only if it is a function, and nothing thrown or
 * rejected inside, not even by a throwing ack, escapes to the process.
 */
export function guarded<S extends z.ZodType, R extends Record<string, unknown>>(
  schema: S,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to acknowledge returns void
  handler: (payload: z.infer<S>) => Promise<R | void>,
  log: (e: unknown) => void,
): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const last = args.length ? args[args.length - 1] : undefined;
    const ack = typeof last === 'function' ? (last as (r: unknown) => void) : undefined;
    const payload = ack && args.length === 1 ? undefined : args[0];
    let answered = false;
    const answer = (r: SocketAck<R>) => {
      if (answered || !ack) return;
      answered = true;
      try {
        ack(r);
      } catch (e) {
        log(e);
      }
    };
    const run = async () => {
      let parsed: z.infer<S>;
      try {
        const result = schema.safeParse(payload);
        if (!result.success) {
          answer({ ok: false, error: { code: ErrorCode.BAD_INPUT, message: describe(result.error) } });
          return;
        }
        parsed = result.data;
      } catch {
        // A getter that throws, a proxy: zod reads the value, and that reading failed.
        answer({ ok: false, error: { code: ErrorCode.BAD_INPUT, message: 'The message could not be read.' } });
        return;
      }
      const r = await handler(parsed);
      answer({ ok: true, ...(r ?? {}) } as SocketAck<R>);
    };
    run().catch((e) => answer(ackForError(e, log) as SocketAck<R>));
  };
}

/** A short, safe description of what was wrong: field paths and zod's messages, never the input. */
function describe(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.map((k) => String(k)).join('.') : 'message'}: ${i.message}`);
  return `Bad message (${first.join('; ')}).`.slice(0, 300);
}

/** Registers `handler` for `event` on `socket` through `guarded`. */
export function onGuarded<S extends z.ZodType, R extends Record<string, unknown>>(
  socket: Socket,
  event: string,
  schema: S,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to acknowledge returns void
  handler: (payload: z.infer<S>) => Promise<R | void>,
  log: (e: unknown) => void,
): void {
  socket.on(event, guarded(schema, handler, log));
}
