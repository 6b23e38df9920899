import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataDirLock } from '../db/data-dir-lock.ts';

/** Where a running server on the embedded database can be reached by the `chatmark` command. */
interface ServerInfo {
  pid: number;
  url: string;
}

const file = (dataDir: string) => join(dataDir, 'server.json');

export function announceServer(dataDir: string, url: string): () => void {
  writeFileSync(file(dataDir), JSON.stringify({ pid: process.pid, url } satisfies ServerInfo), { mode: 0o600 });
  return () => {
    try {
      unlinkSync(file(dataDir));
    } catch {
      /* already gone */
    }
  };
}

/** The running server holding this data directory, or null when none does. */
export function findRunningServer(dataDir: string): ServerInfo | null {
  const lock = readDataDirLock(dataDir);
  if (!lock || lock.role !== 'server') return null;
  try {
    const info = JSON.parse(readFileSync(file(dataDir), 'utf8')) as ServerInfo;
    return info.pid === lock.pid ? info : null;
  } catch {
    return null;
  }
}
