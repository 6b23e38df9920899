import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newSecret } from './tokens.ts';

export const adminTokenFile = (dataDir: string) => join(dataDir, 'admin-token');

/** ADMIN_TOKEN when set; else the one generated on the first start and kept in DATA_DIR. */
export function resolveAdminToken(config: { adminToken?: string | undefined; dataDir: string }): { token: string; source: 'env' | 'file' | 'generated' } {
  if (config.adminToken) return { token: config.adminToken, source: 'env' };
  const file = adminTokenFile(config.dataDir);
  const saved = readSavedAdminToken(config.dataDir);
  if (saved) return { token: saved, source: 'file' };
  const token = newSecret('cma_');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, source: 'generated' };
}

export function readSavedAdminToken(dataDir: string): string | null {
  try {
    return readFileSync(adminTokenFile(dataDir), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
