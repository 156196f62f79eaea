/**
 * Receives a multipart/form-data body into a folder, file by file, with caps [UP3]–[UP6]. Nothing
 * of a file stays in memory beyond the stream's chunk in flight; every failure (malformed body,
 * a cap passed, the client gone) settles the promise once, stops reading and leaves the caller
 * to remove the folder. Never throws out of an event listener.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { ConcordError, ErrorCode } from '../errors/codes.js';

export interface UploadLimits {
  /** Bytes of file content in the whole request. */
  maxBytes: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Files in one request. */
  maxFiles: number;
}

export interface ReceivedFile {
  name: string;
  bytes: number;
}

const mib = (n: number) => `${Math.floor(n / (1024 * 1024))} MiB`;

/** A name safe to create inside `dir`: no separators, no dot names, unique within the upload. */
export function safeFileName(raw: string | undefined, index: number, taken: Set<string>): string {
  const base = path
    .basename(String(raw ?? '').replace(/\\/g, '/'))
    .replace(/[^A-Za-z0-9._ -]/g, '_')
    .slice(-120)
    .trim();
  let name = !base || /^\.+$/.test(base) ? `file-${index + 1}` : base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${path.parse(base).name || 'file'}-${n}${path.extname(base)}`;
  taken.add(name.toLowerCase());
  return name;
}

const bad = (message: string) => new ConcordError(ErrorCode.BAD_INPUT, message);
const MALFORMED = () => bad('The upload is not well-formed multipart (it ended before its closing boundary, or a part header is broken). Send it again.');

export function receiveMultipart(req: Readable & { headers: IncomingHttpHeaders }, dir: string, limits: UploadLimits): Promise<ReceivedFile[]> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 50, fieldSize: 64 * 1024, parts: limits.maxFiles + 50, headerPairs: 50 },
      });
    } catch {
      // Missing or malformed boundary, or not multipart at all.
      reject(bad('Send the files as multipart/form-data with a boundary.'));
      return;
    }
    const files: ReceivedFile[] = [];
    const writes: Promise<void>[] = [];
    const open = new Set<fs.WriteStream>();
    const taken = new Set<string>();
    let total = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      for (const w of open) w.destroy();
      reject(e);
    };

    bb.on('file', (_field, stream, info) => {
      if (settled) {
        stream.resume();
        return;
      }
      const name = safeFileName(info.filename, files.length, taken);
      const entry: ReceivedFile = { name, bytes: 0 };
      files.push(entry);
      const out = fs.createWriteStream(path.join(dir, name), { flags: 'wx' });
      open.add(out);
      writes.push(
        new Promise<void>((done) => {
          out.on('close', () => {
            open.delete(out);
            done();
          });
        }),
      );
      out.on('error', () =>
        fail(new ConcordError(ErrorCode.INTERNAL, 'The upload could not be written on the server. Try again; if it persists, tell your admin.')),
      );
      stream.on('error', () => fail(MALFORMED()));
      stream.on('limit', () =>
        fail(
          bad(
            `"${name}" is larger than the ${mib(limits.maxFileBytes)} allowed per file (CONCORD_UPLOAD_MAX_FILE_MIB). Split it, or ingest it on the server with the CLI.`,
          ),
        ),
      );
      stream.on('data', (c: Buffer) => {
        entry.bytes += c.length;
        total += c.length;
        if (total > limits.maxBytes)
          fail(
            bad(
              `The upload is larger than the ${mib(limits.maxBytes)} allowed per request (CONCORD_UPLOAD_MAX_MIB). Send fewer files at once, or ingest on the server with the CLI.`,
            ),
          );
      });
      stream.pipe(out);
    });
    bb.on('field', () => {
      /* only files matter; fields are capped and dropped */
    });
    bb.on('filesLimit', () => fail(bad(`At most ${limits.maxFiles} files per upload. Zip them, or send several uploads.`)));
    bb.on('partsLimit', () => fail(bad('Too many parts in the upload.')));
    bb.on('fieldsLimit', () => fail(bad('Too many form fields in the upload.')));
    bb.on('error', () => fail(MALFORMED()));
    bb.on('close', () => {
      if (settled) return;
      // Resolve once every file is flushed to disk, so the caller reads whole files.
      void Promise.all(writes).then(() => {
        if (settled) return;
        settled = true;
        resolve(files);
      });
    });
    // The client went away mid-body: nobody to answer, but the folder must still go.
    req.on('aborted', () => fail(bad('The upload was aborted by the client.')));
    req.on('close', () => {
      if (!(req as { complete?: boolean }).complete) fail(bad('The upload was aborted by the client.'));
    });
    req.on('error', () => fail(bad('The upload connection failed.')));
    req.pipe(bb);
  });
}
