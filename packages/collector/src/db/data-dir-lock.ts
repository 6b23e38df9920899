import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite lets only one process use a data directory; a second one would corrupt it. The lock
 * file says who holds it, so the `chatmark` command can reach a running server over HTTP instead.
 */
export interface LockInfo {
  pid: number;
  role: 'server' | 'cli';
  url?: string;
  started_at: string;
}

export interface DataDirLock {
  release(): void;
}

const lockPath = (dataDir: string) => join(dataDir, 'lock.json');

export function readDataDirLock(dataDir: string): LockInfo | null {
  let info: LockInfo;
  try {
    info = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
  return isAlive(info.pid) ? info : null;
}

export function acquireDataDirLock(dataDir: string, owner: { role: 'server' | 'cli'; url?: string }): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, ...owner, started_at: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        try {
          const current = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
          if (current.pid === process.pid) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readDataDirLock(dataDir);
      if (holder) {
        throw new Error(`the embedded database in ${dataDir} is in use by a chatmark ${holder.role} (pid ${holder.pid})`);
      }
      // The holder died without cleaning up: the lock is stale.
      try {
        unlinkSync(path);
      } catch {
        /* raced with another cleaner */
      }
    }
  }
  throw new Error(`cannot lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
