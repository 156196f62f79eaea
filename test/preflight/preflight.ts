/**
 * Runs before any test file (FM2 in test/SPEC.md): every tool a selected test file needs is
 * there and works, or it is installed now (root on Debian/Ubuntu: one apt-get install), or the
 * run stops before starting anything, printing the exact command to run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { TOOLS, type Tool } from './tools.js';

export interface Missing {
  tool: Tool;
  problem: string;
}

export interface Machine {
  isRoot: boolean;
  /** ID and ID_LIKE from /etc/os-release: apt is used only where they name debian or ubuntu. */
  osIds: string[];
  hasAptGet: boolean;
}

export type Plan = { kind: 'ready' } | { kind: 'install'; packages: string[]; command: string[][] } | { kind: 'stop'; message: string };

export function thisMachine(): Machine {
  let osIds: string[] = [];
  try {
    const text = fs.readFileSync('/etc/os-release', 'utf8');
    const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
    osIds = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/).filter(Boolean);
  } catch {
    // No os-release (macOS, Windows): not Debian, so apt is never tried.
  }
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  return { isRoot: process.getuid?.() === 0, osIds, hasAptGet };
}

/** The tools the given test files need, from each file's path and source. */
export function toolsFor(files: string[], tools: Tool[] = TOOLS): Tool[] {
  const sources = files.map((f) => ({ f, src: fs.readFileSync(f, 'utf8') }));
  return tools.filter((t) => sources.some(({ f, src }) => t.neededBy(f, src)));
}

export function findMissing(tools: Tool[]): Missing[] {
  const out: Missing[] = [];
  for (const tool of tools) {
    const problem = tool.problem();
    if (problem) out.push({ tool, problem });
  }
  return out;
}

function describe(missing: Missing[]): string {
  return missing.map(({ tool, problem }) => `  - ${tool.name} (${tool.purpose}): ${problem}`).join('\n');
}

export function aptCommands(packages: string[]): string[][] {
  return [
    ['apt-get', 'update', '-q'],
    ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...packages],
  ];
}

const shell = (cmds: string[][], sudo: boolean) => cmds.map((c) => (sudo ? ['sudo', ...c] : c).join(' ')).join(' && ');

/** What to do about what is missing on this machine; pure, so every branch is tested. */
export function plan(missing: Missing[], machine: Machine): Plan {
  if (!missing.length) return { kind: 'ready' };
  const noApt = missing.filter((m) => !m.tool.apt.length);
  const packages = [...new Set(missing.flatMap((m) => m.tool.apt))];
  const debian = machine.osIds.some((id) => id === 'debian' || id === 'ubuntu') && machine.hasAptGet;
  const header = `The tests need tools this machine does not have:\n${describe(missing)}\n`;
  if (noApt.length) {
    // apt cannot fix these, so installing the rest first would only delay the same stop.
    const aptLine = packages.length
      ? `\nAlso run: ${debian ? shell(aptCommands(packages), !machine.isRoot) : `install the packages ${packages.join(' ')} (Debian names)`}`
      : '';
    return {
      kind: 'stop',
      message: `${header}\n${noApt.map((m) => `${m.tool.name}: ${m.tool.remedy ?? 'not installable by apt'}`).join('\n')}${aptLine}\nNothing was run.`,
    };
  }
  if (debian && machine.isRoot) return { kind: 'install', packages, command: aptCommands(packages) };
  const how = debian
    ? `Run:\n  ${shell(aptCommands(packages), !machine.isRoot)}`
    : `This is not Debian or Ubuntu, so they cannot be installed for you. Install (Debian package names): ${packages.join(' ')}`;
  return { kind: 'stop', message: `${header}\n${how}\nthen run npm test again. Nothing was run.` };
}

/** Checks, installs if it may, checks again. Returns false (after saying why) when the run must stop. */
export function preflight(files: string[], machine: Machine = thisMachine(), log: (s: string) => void = console.log): boolean {
  const needed = toolsFor(files);
  const missing = findMissing(needed);
  const p = plan(missing, machine);
  if (p.kind === 'ready') {
    log(`# preflight: ${needed.length ? needed.map((t) => t.name).join(', ') : 'no external tools needed'}: ready`);
    return true;
  }
  if (p.kind === 'stop') {
    log(`# preflight: stopped\n${p.message}`);
    return false;
  }
  log(`# preflight: installing ${p.packages.join(' ')} (missing: ${missing.map((m) => m.tool.name).join(', ')})`);
  for (const cmd of p.command) {
    const r = spawnSync(cmd[0], cmd.slice(1), {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) {
      log(`# preflight: \`${cmd.join(' ')}\` failed (exit ${r.status ?? r.signal}); nothing was run.`);
      return false;
    }
  }
  const still = findMissing(needed);
  if (still.length) {
    log(`# preflight: still missing after apt-get install:\n${describe(still)}\nNothing was run.`);
    return false;
  }
  log(`# preflight: installed; ${needed.map((t) => t.name).join(', ')}: ready`);
  return true;
}
