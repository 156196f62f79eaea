import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findDicomwebPlugin, findOrthanc } from './orthanc-bin.js';
import { eventually, GiveUp } from './eventually.js';

/**
 * A real Orthanc (Debian packages `orthanc` and `orthanc-dicomweb`) on loopback with free ports,
 * a private storage dir and the DICOMweb plugin, stopped when the test file ends.
 */
export interface TestOrthanc {
  /** REST root, e.g. http://127.0.0.1:41234 */
  url: string;
  /** DICOMweb root, e.g. http://127.0.0.1:41234/dicom-web */
  dicomweb: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, logFile: string, timeoutMs = 20_000): Promise<void> {
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new GiveUp(`Orthanc exited with ${child.exitCode}`);
        return (await fetch(`${url}/system`, { signal: AbortSignal.timeout(1000) })).ok;
      },
      { timeoutMs, intervalMs: 100, what: `Orthanc to answer ${url}/system` },
    );
  } catch (e) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`Orthanc did not answer ${url}/system (exit code ${child.exitCode}): ${(e as Error).message}; last log lines:\n${log}`);
  }
}

/** Call at a test file's top level (not inside a hook): it stops Orthanc when the file ends. */
export async function startOrthanc(): Promise<TestOrthanc> {
  const bin = findOrthanc();
  const plugin = findDicomwebPlugin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-orthanc-'));
  const [httpPort, dicomPort] = [await freePort(), await freePort()];
  const config = {
    Name: 'concord-test',
    StorageDirectory: path.join(dir, 'db'),
    IndexDirectory: path.join(dir, 'db'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    // Loopback only: remote access off, so no authentication is needed.
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
    SaveJobs: false,
    HttpThreadsCount: 8,
    ConcurrentJobs: 1,
  };
  const configFile = path.join(dir, 'orthanc.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = path.join(dir, 'orthanc.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(bin, [configFile], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${httpPort}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  after(stop);
  try {
    await waitUntilUp(url, child, logFile);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, dicomweb: `${url}/dicom-web`, stop };
}

/** Stores DICOM files through Orthanc's REST API (`POST /instances`), a few at a time. */
export async function uploadToOrthanc(orthanc: TestOrthanc, files: string[], concurrency = 4): Promise<void> {
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const res = await fetch(`${orthanc.url}/instances`, { method: 'POST', body: fs.readFileSync(file), headers: { 'content-type': 'application/dicom' } });
      if (!res.ok) throw new Error(`Orthanc refused ${path.basename(file)}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Every `.dcm` file under dir. */
export function dicomFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.dcm'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
