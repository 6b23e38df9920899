import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../src/paths.ts';

/** The built command, as users run it: these tests exercise the real bundle. */
export const CLI = join(ROOT, 'packages/collector/dist/cli.js');

const baseEnv = (env: Record<string, string | undefined>) => {
  const e: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  // Tests choose the database themselves; the runner's own settings must not leak in.
  if (!('DATABASE_URL' in env)) delete e.DATABASE_URL;
  if (!('ADMIN_TOKEN' in env)) delete e.ADMIN_TOKEN;
  return e;
};

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string | undefined>): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { env: baseEnv(env), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function runCliAsync(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}

export interface RunningServer {
  url: string;
  adminToken: string;
  demoTag: string;
  output(): string;
  /** sends the signal and resolves with the exit code (-1 when killed by a signal) and how long the exit took */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
  process: ChildProcess;
}

/** Starts `chatmark serve` on a free port and waits for its banner. */
export async function startServer(env: Record<string, string | undefined>): Promise<RunningServer> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    // The demo's generated data takes seconds to write; only the tests that look at it ask for it.
    env: baseEnv({ PORT: '0', HOST: '127.0.0.1', DEMO_DATA: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), 45_000);
    const check = () => {
      const m = /Chatmark is running at (\S+)[\s\S]*Admin token:\s+(\S+)[\s\S]*Demo site tag: (.+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    url: banner[1]!,
    adminToken: banner[2]!,
    demoTag: banner[3]!.trim(),
    output: () => out,
    process: child,
    async stop(signal = 'SIGTERM') {
      const t0 = Date.now();
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - t0 };
    },
  };
}
