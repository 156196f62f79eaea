import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

/**
 * Content-addressed storage for de-identified DICOM files. Keys are sha256 hex of the bytes.
 * Local disk now; the interface is small so an object store can replace it.
 */
export interface FileStore {
  put(bytes: Uint8Array): Promise<string>;
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** Absolute path for streaming; local store only. */
  pathOf(key: string): string;
}

const KEY = /^[0-9a-f]{64}$/;

export class LocalFileStore implements FileStore {
  constructor(private readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('invalid file key');
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const key = createHash('sha256').update(bytes).digest('hex');
    const dest = this.pathOf(key);
    if (fs.existsSync(dest)) return key;
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    // Write then rename, so a crash never leaves a half file under a valid key.
    const tmp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(tmp, bytes);
    await fs.promises.rename(tmp, dest);
    return key;
  }

  async get(key: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(key));
  }

  async has(key: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(key));
  }
}

export function fileStoreFor(dataDir: string): FileStore {
  return new LocalFileStore(path.join(dataDir, 'files'));
}
