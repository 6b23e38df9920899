// Starting the things a benchmark measures, as separate processes so the load generator does
// not share an event loop with them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts `chatmark serve` on a free port; resolves once its banner is printed. */
export function startCollector(env) {
  // BENCH_PROFILE=<dir> writes the collector's CPU profile there, to see where a run's time went.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, join(ROOT, 'packages/collector/dist/cli.js'), 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_DATA: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitForBanner(child, /Chatmark is running at (\S+)[\s\S]*Admin token:\s+(\S+)/).then((m) => ({
    url: m[1],
    adminToken: m[2],
    pid: child.pid,
    stop: () => stopChild(child),
  }));
}

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat's times on Linux

/** CPU seconds (user + system) a process has used so far; null where /proc cannot tell. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Microseconds of CPU per unit of work between two cpuSeconds readings; null where either is unknown. */
export const cpuMicrosEach = (before, after, count) => (before === null || after === null ? null : Math.round(((after - before) * 1e6) / count));

/**
 * CPU seconds used so far by the server processes serving a database (a local server only:
 * read from /proc by the backends' pids). A measure of the database's work that other load on
 * the machine does not distort, as elapsed times are.
 */
export async function databaseCpuSeconds(client, database) {
  const { rows } = await client.query('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
  let total = 0;
  for (const { pid } of rows) {
    const s = cpuSeconds(pid);
    if (s === null) return null;
    total += s;
  }
  return total;
}

/** Starts a script that prints `listening <url>` when ready. */
export function startScript(file, env = {}) {
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return waitForBanner(child, /listening (\S+)/).then((m) => ({ url: m[1], pid: child.pid, stop: () => stopChild(child) }));
}

function waitForBanner(child, pattern) {
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`exited with ${code} before starting:\n${out}`)));
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** A throwaway database on the PostgreSQL server; `drop()` removes it. */
export async function throwawayDatabase(baseUrl) {
  const name = `chatmark_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function createSite(server, name) {
  const res = await fetch(`${server.url}/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`site create: ${res.status} ${await res.text()}`);
  return res.json();
}
