// Writes what `npm ci` reads (the lock and every workspace's package.json, scripts and
// descriptions removed) from a source tree into an output folder. The images' dependency layers
// are built from that folder alone, so editing code or a script leaves them cached, and a new
// workspace listed in the root package.json is picked up without editing any Dockerfile.
import fs from 'node:fs';
import path from 'node:path';

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error('usage: node workspace-manifests.mjs <source dir> <output dir>');
  process.exit(2);
}
const root = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8'));
const strip = (p) => {
  delete p.scripts;
  delete p.description;
  return p;
};
const write = (rel, manifest) => {
  fs.mkdirSync(path.join(out, rel), { recursive: true });
  fs.writeFileSync(path.join(out, rel, 'package.json'), JSON.stringify(strip(manifest), null, 2));
};
write('.', root);
fs.copyFileSync(path.join(src, 'package-lock.json'), path.join(out, 'package-lock.json'));
for (const ws of root.workspaces ?? []) {
  write(ws, JSON.parse(fs.readFileSync(path.join(src, ws, 'package.json'), 'utf8')));
}
