/**
 * Where ingest reads files from: a file, a folder (recursive, zips inside expanded), a .zip, or
 * in-memory buffers (GraphQL upload, DICOMweb). Every yielded entry becomes one ingest_files row.
 */
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';

export type IngestSource =
  /** `label` names the batch instead of the path (browser uploads land in a temporary folder). */
  { kind: 'path'; path: string; label?: string } | { kind: 'buffers'; label: string; files: AsyncIterable<{ name: string; bytes: Uint8Array }> };

export interface SourceEntry {
  /** Path relative to the ingested root; zip members as "archive.zip/inner/path". */
  name: string;
  bytes?: Uint8Array;
  /** Why the bytes could not be read (then bytes is absent). */
  error?: string;
}

export function sourceLabel(source: IngestSource): string {
  return source.kind === 'path' ? (source.label ?? path.resolve(source.path)) : source.label;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))));
}

function openZipBuffer(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, autoClose: true }, (err, zip) =>
      err || !zip ? reject(err) : resolve(zip),
    ),
  );
}

async function* zipEntries(file: string | Uint8Array, prefix: string): AsyncGenerator<SourceEntry> {
  let zip: yauzl.ZipFile;
  try {
    zip = typeof file === 'string' ? await openZip(file) : await openZipBuffer(file);
  } catch {
    yield { name: prefix, error: 'The zip archive could not be opened (corrupt or not a zip).' };
    return;
  }
  const queue: (SourceEntry | null)[] = [];
  let wake: (() => void) | undefined;
  const push = (e: SourceEntry | null) => {
    queue.push(e);
    wake?.();
  };
  zip.on('entry', (entry: yauzl.Entry) => {
    if (entry.fileName.endsWith('/')) {
      zip.readEntry();
      return;
    }
    const name = `${prefix}/${entry.fileName}`;
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        push({ name, error: 'The zip member could not be read.' });
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', () => push({ name, error: 'The zip member could not be decompressed.' }));
      stream.on('end', () => push({ name, bytes: Buffer.concat(chunks) }));
    });
  });
  zip.on('end', () => push(null));
  zip.on('error', () => {
    push({ name: prefix, error: 'The zip archive is corrupt.' });
    push(null);
  });
  zip.readEntry();
  for (;;) {
    if (!queue.length)
      await new Promise<void>((r) => {
        wake = r;
      });
    wake = undefined;
    const next = queue.shift();
    if (next === undefined) continue;
    if (next === null) return;
    yield next;
    zip.readEntry();
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const isZip = (p: string) => p.toLowerCase().endsWith('.zip');

async function* fileEntry(abs: string, name: string): AsyncGenerator<SourceEntry> {
  if (isZip(abs)) {
    yield* zipEntries(abs, name);
    return;
  }
  try {
    yield { name, bytes: await fs.promises.readFile(abs) };
  } catch {
    yield { name, error: 'The file could not be read.' };
  }
}

export async function* readSource(source: IngestSource): AsyncGenerator<SourceEntry> {
  if (source.kind === 'buffers') {
    // Browser uploads send archives as they are: expand them like zips found on disk.
    for await (const f of source.files) {
      if (isZip(f.name)) yield* zipEntries(f.bytes, f.name);
      else yield { name: f.name, bytes: f.bytes };
    }
    return;
  }
  const root = path.resolve(source.path);
  const stat = await fs.promises.stat(root);
  if (stat.isFile()) {
    yield* fileEntry(root, path.basename(root));
    return;
  }
  for (const abs of walk(root)) yield* fileEntry(abs, path.relative(root, abs).split(path.sep).join('/'));
}

/** File count for progress totals when cheap to know (folders without zips); undefined otherwise. */
export function countSource(source: IngestSource): number | undefined {
  if (source.kind !== 'path') return undefined;
  const root = path.resolve(source.path);
  if (!fs.statSync(root).isDirectory()) return isZip(root) ? undefined : 1;
  const files = walk(root);
  return files.some(isZip) ? undefined : files.length;
}
