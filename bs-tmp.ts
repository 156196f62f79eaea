import seedrandom from 'seedrandom';
import { selectBackend, tf } from './services/trainer/src/backend.js';
import { buildHead, trainHead } from './services/trainer/src/model/head.js';
await selectBackend('wasm');
const rng = seedrandom('x'); const N=4480, D=2048;
const x: Float32Array[] = []; const y: number[] = [];
for (let i=0;i<N;i++){const yy = rng()<0.25?1:0; const v=new Float32Array(D); for(let d=0;d<D;d++) v[d]=Math.max(0,rng()+(d<32&&yy?0.3:0)); x.push(v); y.push(yy);}
for (const bs of [64, 256, 64]) {
  const h = buildHead(D); const t = performance.now();
  const r = await trainHead(h, {x, y}, null, {epochs: 2, batchSize: bs});
  console.log(bs, ((performance.now()-t)/2000).toFixed(2), 's/epoch', r.finalLoss.toFixed(4), tf.memory().numTensors);
  h.dispose();
}
