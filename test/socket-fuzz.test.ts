/**
 * [SG1][SG2] Every event the server listens to, fuzzed with every JSON type and hostile shapes
 * from a real Socket.io client, then raw malformed packets; the API must answer each with a
 * coded refusal (when asked to acknowledge), never crash, and still serve /health and a valid
 * join afterwards. Hostile objects that cannot cross the wire (throwing getters, proxies) go
 * through the guard directly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { startTestApi, seedProject } from './helpers/api.js';
import { eventually } from './helpers/eventually.js';
import { CLIENT_EVENTS } from '../apps/api/src/realtime/client-events.js';
import { guarded } from '../apps/api/src/realtime/socket-guard.js';

const t = await startTestApi('sockfuzz');
const s = await seedProject(t, { slicesPerSeries: 1, users: { fz: ['LABELER'], fzlead: ['LEAD'] } });
const other = await seedProject(t, { slicesPerSeries: 1, users: { outsider: ['LABELER'] } });

function connect(token: string): Promise<Socket> {
  const socket = io(t.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function healthy(): Promise<void> {
  const r = await fetch(`${t.url}/health`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { ok: true });
}

function deep(n: number): unknown {
  let v: unknown = { projectId: s.projectId };
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const HOSTILE: [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['zero', 0],
  ['negative', -1],
  ['float', 1.5],
  ['huge number', 1e308],
  ['empty string', ''],
  ['string', 'x'],
  ['uuid string', s.projectId],
  ['empty array', []],
  ['array', [1, 'a', null]],
  ['empty object', {}],
  ['projectId null', { projectId: null }],
  ['projectId number', { projectId: 123 }],
  ['projectId toString object', { projectId: { toString: 'x' } }],
  ['projectId valueOf object', { projectId: { valueOf: 'x', toString: 'x' } }],
  ['projectId array', { projectId: [s.projectId] }],
  ['projectId not a uuid', { projectId: 'not-a-uuid' }],
  ['projectId huge string', { projectId: 'a'.repeat(200_000) }],
  ['random uuid', { projectId: randomUUID() }],
  ['another project', { projectId: other.projectId }],
  ['__proto__ key', JSON.parse(`{"__proto__":{"polluted":true},"projectId":"${s.projectId}x"}`)],
  ['constructor.prototype', { constructor: { prototype: { polluted: true } }, projectId: 1 }],
  ['huge array', new Array(100_000).fill(0)],
  ['deep nesting', deep(2_000)],
  ['binary', Buffer.from([1, 2, 3])],
  ['binary projectId', { projectId: Buffer.from(s.projectId) }],
  ['placeholder lookalike', { _placeholder: true, num: 99 }],
];

test('[SG1] every client event × every JSON type and hostile shape: a coded refusal, the process lives', async () => {
  const events = [...Object.keys(CLIENT_EVENTS), 'event', 'unknown-event', 'hasOwnProperty', 'constructor', 'toString'];
  const socket = await connect(s.users.fz.token);
  let answered = 0;
  for (const event of events) {
    const known = Object.hasOwn(CLIENT_EVENTS, event);
    for (const [name, payload] of HOSTILE) {
      // With an acknowledgement: a refusal with a code and a message (unknown events: ignored).
      if (!known) socket.emit(event, payload, () => {});
      const ack = known ? await socket.timeout(5000).emitWithAck(event, payload) : undefined;
      if (known) {
        assert.equal(ack?.ok, false, `${event} × ${name} was accepted`);
        assert.equal(typeof ack.error.code, 'string', `${event} × ${name}: coded`);
        assert.equal(typeof ack.error.message, 'string');
        assert.ok(!/\n\s+at /.test(ack.error.message), 'no stack in the answer');
        answered++;
      }
      // Without one, and with extra arguments: nothing to answer, nothing to crash.
      socket.emit(event, payload);
      socket.emit(event, payload, payload, 42);
      socket.emit(event);
    }
  }
  assert.equal(answered, Object.keys(CLIENT_EVENTS).length * HOSTILE.length);
  // The foreign project and random ids get the same refusal as a non-member should.
  const a = await socket.emitWithAck('join', { projectId: other.projectId });
  const b = await socket.emitWithAck('join', { projectId: randomUUID() });
  assert.deepEqual(a, b);
  await healthy();
  // The same socket still joins its own project.
  assert.deepEqual(await socket.timeout(5000).emitWithAck('join', { projectId: s.projectId }), { ok: true });
  socket.disconnect();
});

test('[SG1] raw malformed Socket.io packets end at most that connection', async () => {
  const raw = [
    '42garbage',
    '42["join",',
    '42[',
    '42[{}]',
    '42[null]',
    '42[1]',
    '42["__proto__",{}]',
    '42["join"]',
    '420["join",{"projectId":{"toString":"x"}}]',
    '451-["join",{"_placeholder":true,"num":99}]',
    '451-["join",{"_placeholder":true,"num":"x"}]',
    '43',
    '4x',
    '49',
    '4',
    '',
    `42${'['.repeat(50_000)}`,
    '42["join",{"projectId":"' + 'x'.repeat(500_000) + '"}]',
  ];
  for (const packet of raw) {
    const socket = await connect(s.users.fz.token);
    const closed = new Promise<void>((r) => socket.once('disconnect', () => r()));
    (socket.io.engine as unknown as { send(d: string): void }).send(packet);
    // Either the server drops this connection or it ignores the packet; a ping settles which.
    await Promise.race([
      closed,
      socket
        .timeout(2000)
        .emitWithAck('join', { projectId: s.projectId })
        .catch(() => undefined),
    ]);
    socket.disconnect();
    await healthy();
  }
  const socket = await connect(s.users.fz.token);
  assert.deepEqual(await socket.timeout(5000).emitWithAck('join', { projectId: s.projectId }), { ok: true });
  socket.disconnect();
});

test('[SG2] the guard survives objects that throw when read, and acknowledgements that throw', async () => {
  const logged: unknown[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    let reached = 0;
    const handler = guarded(
      CLIENT_EVENTS.join,
      async () => {
        reached++;
      },
      (e) => logged.push(e),
    );
    const throwingGetter = Object.defineProperty({}, 'projectId', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const throwingToString = {
      projectId: {
        toString() {
          throw new Error('boom');
        },
      },
    };
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
        ownKeys() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    for (const payload of [throwingGetter, throwingToString, proxy, { projectId: proxy }]) {
      const acks: unknown[] = [];
      assert.doesNotThrow(() => handler(payload, (r: unknown) => acks.push(r)));
      await new Promise((r) => setImmediate(r));
      assert.equal(acks.length, 1, 'answered once');
      assert.equal((acks[0] as { ok: boolean }).ok, false);
      assert.equal((acks[0] as { error: { code: string } }).error.code, 'BAD_INPUT');
    }
    // A handler that throws something odd, and an ack that throws: logged, never thrown out.
    const failing = guarded(
      CLIENT_EVENTS.join,
      async () => {
        throw Object.create(null);
      },
      (e) => logged.push(e),
    );
    const acks: unknown[] = [];
    failing({ projectId: s.projectId }, (r: unknown) => acks.push(r));
    failing({ projectId: s.projectId }, () => {
      throw new Error('ack failed');
    });
    failing({ projectId: s.projectId });
    await eventually(() => acks.length >= 1 && logged.length >= 3, { timeoutMs: 5000, intervalMs: 5, what: 'the failing handlers to answer and log' });
    // One more turn of the event loop: an unhandled rejection would be reported by now.
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(acks, [
      { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong on the server. Try again; if it persists, tell your admin.' } },
    ]);
    assert.equal(reached, 0, 'no hostile payload reached the handler');
    assert.equal(unhandled.length, 0, 'no unhandled rejection');
    assert.ok(logged.length >= 3, 'failures are logged');
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  await healthy();
});
