import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { freshDatabase } from './helpers/db.js';
import { LocalFileStore } from '@concord/db';
import { ConcordError } from '@concord/contracts';
import { selectBackend, tf } from '../services/trainer/src/backend.js';
import { BACKBONES, buildBackbone } from '../services/trainer/src/model/resnet50.js';
import { loadWeights, saveModelToDir } from '../services/trainer/src/model/weights.js';
import { loadBackbone } from '../services/trainer/src/model/backbone.js';
import { backboneId, computeEmbeddings, errorFromWorker } from '../services/trainer/src/data/embeddings.js';
import { isSkippable } from '../services/trainer/src/jobs/queue.js';
import { seedProject } from '../services/trainer/src/testing/project-fixture.js';

await selectBackend('wasm');
const { sql } = await freshDatabase('trainer_weights_err');
const store = new LocalFileStore(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-err-files-')));
const SHARD = 'group1-shard1of1.bin';

// One saved tiny backbone, perturbed so that a load that did nothing would show; each test copies it.
const trained = buildBackbone(BACKBONES.tiny);
trained.setWeights(trained.getWeights().map((w, i) => tf.add(w, tf.randomNormal(w.shape, 0, 0.05, 'float32', i + 1))));
const savedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-err-'));
await saveModelToDir(trained, savedDir);
const savedHash = (await loadWeights(savedDir)).hash;

// A local http server for the http(s) tests (nothing here reaches the internet). Started before
// any test is registered: a top-level await between tests lets node:test run the file's after
// hooks (which end the database client) early.
const TOKEN = 's3cret-token';
const PASSWORD = 'hunter2pw';
const shardBytes = fs.readFileSync(path.join(savedDir, SHARD));
const server = http.createServer((req, res) => {
  const url = new URL(req.url!, 'http://localhost');
  const [, folder, file] = url.pathname.split('/');
  const send = (status: number, body: string | Buffer) => {
    res.writeHead(status);
    res.end(body);
  };
  if (file === 'model.json' && ['ok', 'noshard', 'short'].includes(folder)) return send(200, fs.readFileSync(path.join(savedDir, 'model.json')));
  if (file === 'model.json' && folder === 'garbage') return send(200, '<html>login</html>');
  if (file === SHARD && folder === 'ok') return send(200, shardBytes);
  if (file === SHARD && folder === 'short') return send(200, shardBytes.subarray(0, shardBytes.length - 4));
  if (folder === 'busy') return send(503, 'overloaded');
  send(404, 'not here');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => {
  server.closeAllConnections();
  server.close();
});

function copyOfSaved(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-err-'));
  fs.cpSync(savedDir, dir, { recursive: true });
  return dir;
}
const readJson = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
const writeJson = (dir: string, json: unknown) => fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));

/** A rejection checker: the code AND message fragments, so a raw ENOENT/TypeError fails it. */
function coded(code: string, ...fragments: (string | RegExp)[]) {
  return (e: Error & { code?: string }) => {
    assert.equal(e.code, code, `code of: ${e.message}`);
    for (const f of fragments) {
      if (typeof f === 'string') assert.ok(e.message.includes(f), `"${f}" in: ${e.message}`);
      else assert.match(e.message, f);
    }
    return true;
  };
}

test('[TR2] a shard missing from the weights folder is BAD_INPUT naming the shard, the folder and the fix', async () => {
  const dir = copyOfSaved();
  fs.rmSync(path.join(dir, SHARD));
  await assert.rejects(
    loadBackbone({ kind: 'tiny', weights: dir }, () => {}),
    coded('BAD_INPUT', dir, `weight shard ${SHARD}, which is missing`, '0 of 1 shards present', 'tensorflowjs_converter'),
  );
  // The embedding cache key is computed from the same files, before any worker starts.
  await assert.rejects(backboneId({ kind: 'tiny', weights: dir }), coded('BAD_INPUT', SHARD));
});

test('[TR2] a model.json that is not JSON is BAD_INPUT, not a SyntaxError', async () => {
  const dir = copyOfSaved();
  const text = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
  fs.writeFileSync(path.join(dir, 'model.json'), text.slice(0, text.length / 2)); // an interrupted copy
  await assert.rejects(
    loadBackbone({ kind: 'tiny', weights: dir }, () => {}),
    coded('BAD_INPUT', `model.json in ${dir} is not valid JSON`, 're-run tensorflowjs_converter'),
  );
  fs.writeFileSync(path.join(dir, 'model.json'), '[1, 2]');
  await assert.rejects(loadWeights(dir), coded('BAD_INPUT', 'not valid JSON for a model'));
});

test('[TR2] a model.json without a weightsManifest, or with a malformed one, is BAD_INPUT saying what is wrong', async () => {
  const dir = copyOfSaved();
  const good = readJson(dir);
  const group = good.weightsManifest[0];
  const cases: [unknown, string][] = [
    [undefined, `model.json in ${dir} has no weightsManifest`],
    [{ paths: group.paths }, 'malformed weightsManifest (not an array)'],
    [[{ weights: group.weights }], 'group 1 has no list of shard paths'],
    [[{ paths: group.paths }], 'group 1 has no list of weights'],
    [[{ paths: group.paths, weights: [{ name: 'conv1_conv/kernel', dtype: 'float32' }] }], 'weight 1 of group 1 lacks a name, shape or dtype'],
  ];
  for (const [manifest, fragment] of cases) {
    writeJson(dir, { ...good, weightsManifest: manifest });
    await assert.rejects(loadWeights(dir), coded('BAD_INPUT', fragment, 'tensorflowjs_converter'));
  }
});

test('[TR2] a truncated or oversized shard is BAD_INPUT naming it, checked before decoding', async () => {
  const dir = copyOfSaved();
  const shard = path.join(dir, SHARD);
  const bytes = fs.readFileSync(shard);
  fs.writeFileSync(shard, bytes.subarray(0, bytes.length - 8));
  await assert.rejects(
    loadBackbone({ kind: 'tiny', weights: dir }, () => {}),
    coded('BAD_INPUT', `Weight shard ${SHARD} in ${dir}: ${bytes.length - 8} bytes`, `describes ${bytes.length}`, 'truncated'),
  );
  fs.writeFileSync(shard, Buffer.concat([bytes, Buffer.alloc(4)]));
  await assert.rejects(loadWeights(dir), coded('BAD_INPUT', `${bytes.length + 4} bytes`, 'another conversion'));
});

test('[TR2] quantized weights are not size-checked exactly (their size is not in the manifest) and still load', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-err-'));
  const weights = [
    { name: 'q/kernel', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', min: -1, scale: 0.5 } },
    { name: 'f/bias', shape: [2], dtype: 'float32' },
  ];
  writeJson(dir, { modelTopology: {}, weightsManifest: [{ paths: ['w.bin'], weights }] });
  const data = Buffer.concat([Buffer.from([0, 1, 2, 4]), Buffer.from(new Float32Array([1.5, -2]).buffer)]);
  fs.writeFileSync(path.join(dir, 'w.bin'), data);
  const { tensors } = await loadWeights(dir);
  assert.deepEqual(Array.from(tensors['q/kernel'].dataSync()), [-1, -0.5, 0, 1]);
  assert.deepEqual(Array.from(tensors['f/bias'].dataSync()), [1.5, -2]);
  tf.dispose(Object.values(tensors));
  // Shorter than the float32 weights alone: still refused, as a lower bound.
  fs.writeFileSync(path.join(dir, 'w.bin'), data.subarray(0, 6));
  await assert.rejects(loadWeights(dir), coded('BAD_INPUT', 'w.bin', 'describes at least 8'));
});

/** Splits the saved shard into three uneven files, as tensorflowjs_converter shards big models. */
function splitIntoThree(dir: string): string[] {
  const bytes = fs.readFileSync(path.join(dir, SHARD));
  const cuts = [0, Math.floor(bytes.length / 3) + 1, Math.floor((2 * bytes.length) / 3) + 3, bytes.length];
  const names = [1, 2, 3].map((i) => `group1-shard${i}of3.bin`);
  names.forEach((n, i) => {
    fs.writeFileSync(path.join(dir, n), bytes.subarray(cuts[i], cuts[i + 1]));
  });
  fs.rmSync(path.join(dir, SHARD));
  const json = readJson(dir);
  json.weightsManifest[0].paths = names;
  writeJson(dir, json);
  return names;
}

test('[TR2] a model split over three shards loads with identical weights and the same hash as one shard', async () => {
  const dir = copyOfSaved();
  const names = splitIntoThree(dir);
  const loaded = await loadBackbone({ kind: 'tiny', weights: dir }, () => {});
  assert.equal(loaded.weightsHash, savedHash);
  assert.equal(loaded.id, `tiny@${savedHash.slice(0, 12)}`);
  assert.equal((await backboneId({ kind: 'tiny', weights: dir })).id, loaded.id);
  const want = trained.getWeights();
  loaded.model.getWeights().forEach((w, i) => {
    assert.deepEqual(Array.from(w.dataSync()), Array.from(want[i].dataSync()), `weight ${i}`);
  });
  loaded.model.dispose();
  // Losing the middle shard names it.
  fs.rmSync(path.join(dir, names[1]));
  await assert.rejects(loadWeights(dir), coded('BAD_INPUT', `weight shard ${names[1]}, which is missing`, '2 of 3 shards present'));
});

// ---------------------------------------------------------------- http(s)

test('[TR2] weights load over http from a served folder, with the same hash as from disk', async () => {
  const loaded = await loadBackbone({ kind: 'tiny', weights: `${base}/ok/?token=${TOKEN}` }, () => {});
  assert.equal(loaded.weightsHash, savedHash);
  assert.equal((await backboneId({ kind: 'tiny', weights: `${base}/ok/model.json` })).hash, savedHash);
  loaded.model.dispose();
});

test('[TR2] a shard the server answers 404 for is BAD_INPUT naming its URL, without the query string', async () => {
  await assert.rejects(
    loadBackbone({ kind: 'tiny', weights: `${base}/noshard?token=${TOKEN}` }, () => {}),
    (e: Error & { code?: string }) => {
      coded('BAD_INPUT', `weight shard ${base}/noshard/${SHARD}`, `at ${base}/noshard/model.json`, 'HTTP 404', 'every shard')(e);
      assert.ok(!e.message.includes(TOKEN), e.message);
      return true;
    },
  );
  await assert.rejects(
    loadWeights(`${base}/nothing/`),
    coded('BAD_INPUT', `Fetching model.json of the backbone weights at ${base}/nothing/model.json failed with HTTP 404`),
  );
});

test('[TR2] unreachable or overloaded weight servers are INTERNAL (the round is retried); credentials in the URL, non-JSON and truncated weights are BAD_INPUT; secrets never shown', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  await assert.rejects(loadWeights(`http://127.0.0.1:${port}/w/?token=${TOKEN}`), (e: Error & { code?: string }) => {
    coded('INTERNAL', `Could not fetch model.json of the backbone weights at http://127.0.0.1:${port}/w/model.json`, 'the round is retried')(e);
    assert.ok(!e.message.includes(TOKEN), e.message);
    return true;
  });
  await assert.rejects(loadWeights(`${base}/busy/?token=${TOKEN}`), (e: Error & { code?: string }) => {
    coded('INTERNAL', 'HTTP 503', 'the round is retried')(e);
    assert.ok(!e.message.includes(TOKEN), e.message);
    return true;
  });
  await assert.rejects(loadWeights(`http://user:${PASSWORD}@127.0.0.1:${port}/w/?token=${TOKEN}`), (e: Error & { code?: string }) => {
    coded('BAD_INPUT', `URL http://127.0.0.1:${port}/w/model.json carries a user name or password`, 'without basic auth')(e);
    assert.ok(!e.message.includes(TOKEN) && !e.message.includes(PASSWORD), e.message);
    return true;
  });
  await assert.rejects(loadWeights(`${base}/garbage/?token=${TOKEN}`), (e: Error & { code?: string }) => {
    coded('BAD_INPUT', `Could not load the backbone weights at ${base}/garbage/model.json`, 'valid JSON')(e);
    assert.ok(!e.message.includes(TOKEN), e.message);
    return true;
  });
  await assert.rejects(
    loadWeights(`${base}/short/`),
    coded('BAD_INPUT', `weight shards at ${base}/short/model.json: ${shardBytes.length - 4} bytes`, 'truncated'),
  );
});

// ---------------------------------------------------------------- worker threads

test('[TR3] a BAD_INPUT raised in an embedding worker reaches the caller as BAD_INPUT, so the queue does not retry it', async () => {
  const { projectId } = await seedProject(sql, store, { patients: 1, slicesPerPatient: 2 });
  // Loadable files (the main thread hashes them fine) of another architecture: only the
  // worker, assigning them by name to the tiny network, finds the backbone tensors missing.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-weights-err-'));
  await saveModelToDir(tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'not_a_backbone' })] }), dir);
  await assert.rejects(
    computeEmbeddings(sql, { projectId, store, backbone: { kind: 'tiny', weights: dir }, backend: 'wasm', workers: 1 }),
    (e: Error & { code?: string }) => {
      coded('BAD_INPUT', 'Backbone weights lack', 'standard layer names')(e);
      assert.ok(e instanceof ConcordError);
      assert.ok(isSkippable(e));
      return true;
    },
  );
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from embeddings e join slices s on s.id = e.slice_id where s.project_id = ${projectId}`;
  assert.equal(n, 0);
});

test('[TR3] worker errors keep only codes Concord knows', () => {
  const known = errorFromWorker('no such project', 'PROJECT_NOT_FOUND');
  assert.ok(known instanceof ConcordError && known.code === 'PROJECT_NOT_FOUND' && known.message === 'no such project');
  // A system error code (from fs, fetch, …) is not a ConcordError code: a plain Error, retried.
  for (const code of ['ENOENT', undefined, 42]) {
    const plain = errorFromWorker('disk gone', code);
    assert.ok(!(plain instanceof ConcordError) && plain.message === 'disk gone' && !isSkippable(plain), String(code));
  }
});
