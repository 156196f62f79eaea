/**
 * What the test suite needs besides npm packages: one entry per tool, in one list, so a new
 * external check (a DICOM validator, a docker engine for the deployment test) is one entry here.
 * The preflight (preflight.ts) requires an entry when a selected test file needs it, installs
 * the missing ones' `apt` packages in one apt-get call when it may, and stops the run otherwise.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { corpusCandidates, findCorpus } from '../helpers/corpus.js';
import { findDicomwebPlugin, findOrthanc } from '../helpers/orthanc-bin.js';
import { chromiumPath } from '../helpers/browser-path.js';

export interface Tool {
  /** Short name printed by the preflight. */
  name: string;
  /** What the tests do with it. */
  purpose: string;
  /** Whether a test file needs it, from its path and source (imports of the helper that drives it). */
  neededBy(file: string, source: string): boolean;
  /** Debian/Ubuntu packages that provide it; empty when apt cannot (then `remedy` says what to do). */
  apt: string[];
  remedy?: string;
  /** undefined when the tool is there and works, else why not. */
  problem(): string | undefined;
}

/** Runs `cmd args`; undefined when it exits 0, else a one-line reason. */
export function runs(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${cmd}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : r.error.message}`;
  if (r.status !== 0) return `\`${cmd} ${args.join(' ')}\` exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`;
  return undefined;
}

function found(find: () => string): string | undefined {
  try {
    find();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const TOOLS: Tool[] = [
  {
    name: 'chromium',
    purpose: 'the browser the web tests drive through playwright-core',
    neededBy: (_f, src) => /helpers\/browser\.js/.test(src),
    apt: ['chromium'],
    problem: () => (fs.existsSync(chromiumPath()) ? runs(chromiumPath(), ['--version']) : `${chromiumPath()} not found (CONCORD_CHROMIUM)`),
  },
  {
    name: 'flock',
    purpose: 'serialises the web app build between test files',
    neededBy: (_f, src) => /helpers\/web-server\.js/.test(src),
    apt: ['util-linux'],
    problem: () => runs('flock', ['--version']),
  },
  {
    name: 'orthanc + DICOMweb plugin',
    purpose: 'a real PACS the DICOMweb pull tests read from',
    neededBy: (_f, src) => /helpers\/orthanc\.js/.test(src),
    apt: ['orthanc', 'orthanc-dicomweb'],
    problem: () => found(findOrthanc) ?? found(findDicomwebPlugin) ?? runs(findOrthanc(), ['--version']),
  },
  {
    name: 'docker-compose',
    purpose: 'resolves and validates docker-compose.yml',
    neededBy: (f) => /compose\.test\.ts$/.test(f),
    apt: ['docker-compose'],
    problem: () => runs('docker-compose', ['version']),
  },
  {
    name: 'python3 + PyYAML',
    purpose: "turns docker-compose's YAML output into JSON for the compose tests",
    neededBy: (f) => /compose\.test\.ts$/.test(f),
    apt: ['python3-yaml'],
    problem: () => runs('python3', ['-c', 'import yaml']),
  },
  {
    name: 'nginx',
    purpose: 'checks the proxy config (nginx -t)',
    neededBy: (f) => /compose\.test\.ts$/.test(f),
    apt: ['nginx'],
    // Debian keeps nginx in /usr/sbin, which is not on every user's PATH.
    problem: () => runs(fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-v']),
  },
  {
    name: 'gdcm tools (gdcmconv)',
    purpose: 'encodes the compressed-syntax fixtures the codec tests ingest (JPEG-LS, JPEG 2000, JPEG, RLE)',
    neededBy: (_f, src) => /helpers\/codec-fixtures\.js/.test(src),
    apt: ['libgdcm-tools'],
    problem: () => runs('gdcmconv', ['--version']),
  },
  {
    name: 'dcmtk (dcmcjpls, dcmcjpeg, dcmdjpeg, dsrdump)',
    purpose: "encodes and decodes codec fixtures with libjpeg/CharLS, and dumps Concord's structured reports",
    neededBy: (_f, src) => /helpers\/codec-fixtures\.js/.test(src) || /\bdsrdump\b/.test(src),
    apt: ['dcmtk'],
    problem: () => runs('sh', ['-c', 'command -v dcmcjpls && command -v dcmdjpeg && command -v dsrdump']),
  },
  {
    name: 'openjph tools (ojph_compress)',
    purpose: 'encodes the HTJ2K fixtures',
    neededBy: (_f, src) => /helpers\/codec-fixtures\.js/.test(src),
    apt: ['openjph-tools'],
    problem: () => runs('sh', ['-c', 'command -v ojph_compress']),
  },
  {
    name: 'dicom3tools (dciodvfy)',
    purpose: 'validates every structured report Concord writes against the DICOM IODs',
    neededBy: (_f, src) => /\bdciodvfy\b/.test(src),
    apt: ['dicom3tools'],
    problem: () => runs('sh', ['-c', 'command -v dciodvfy']),
  },
  {
    name: 'DICOM corpus',
    purpose: 'real DICOM files written by others, ingested whole',
    neededBy: (_f, src) => /helpers\/corpus\.js/.test(src),
    apt: [],
    remedy: `put shared/corpus/public beside the checkout or set CONCORD_CORPUS_DIR (looked in: ${corpusCandidates().join(', ')})`,
    problem: () => (findCorpus() ? undefined : 'not found'),
  },
];
