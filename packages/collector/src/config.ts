import { resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  publicUrl: string;
  /** false when publicUrl is only the default derived from HOST and PORT */
  publicUrlSet: boolean;
  adminToken: string | undefined;
  /** passed to Fastify: false, true, a hop count, or a list of trusted addresses/CIDRs */
  trustProxy: boolean | number | string[];
  logLevel: LogLevel;
  /** sessions, pageviews, clicks and events older than this are deleted daily */
  retentionDays: number;
  /** hits per client address per minute; 0 turns the limit off */
  hitRateLimit: number;
  /** group commit: most rows in one flush, how long a lone hit waits for company, queue bound */
  ingestBatchRows: number;
  ingestBatchMs: number;
  ingestMaxQueue: number;
  /** flushes in flight at once on PostgreSQL (the embedded database always takes one) */
  ingestConcurrency: number;
  /** a contact's messages within this of the dialog's last one count on the same inquiry */
  dialogTimeoutMs: number;
  /** whether a newly created demo site gets generated visits and inquiries */
  demoData: boolean;
}

/** Every bad value at once, one line each, so a misconfigured deployment is fixed in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === '' ? undefined : v;
  };

  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };

  const port = int('PORT', 8787, 0, 65535);
  const host = value('HOST') ?? '127.0.0.1';
  const databasePoolSize = int('DATABASE_POOL_SIZE', 10, 1, 1000);

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const publicRaw = value('PUBLIC_URL');
  let publicUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (publicRaw !== undefined) {
    try {
      const u = new URL(publicRaw);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      publicUrl = publicRaw.replace(/\/+$/, '');
    } catch {
      problems.push(`PUBLIC_URL must be an http(s) URL, got "${publicRaw}"`);
    }
  }

  const adminToken = value('ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters');
  }

  const logRaw = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logRaw as LogLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logRaw}"`);
  }

  const retentionDays = int('RETENTION_DAYS', 400, 1, 36500);
  const hitRateLimit = int('HIT_RATE_LIMIT', 600, 0, 10_000_000);
  const ingestBatchRows = int('INGEST_BATCH_ROWS', 500, 1, 10_000);
  const ingestBatchMs = int('INGEST_BATCH_MS', 0, 0, 1_000);
  const ingestMaxQueue = int('INGEST_MAX_QUEUE', 20_000, 1, 1_000_000);
  const ingestConcurrency = int('INGEST_CONCURRENCY', 1, 1, 64);
  const dialogRaw = value('DIALOG_TIMEOUT') ?? '7d';
  const dialogTimeoutMs = parseDuration(dialogRaw);
  if (dialogTimeoutMs === null || dialogTimeoutMs < 60_000) problems.push(`DIALOG_TIMEOUT must be a duration of at least a minute like 7d, 36h or 90m, got "${dialogRaw}"`);

  const demoRaw = value('DEMO_DATA') ?? '1';
  if (demoRaw !== '0' && demoRaw !== '1') problems.push(`DEMO_DATA must be 1 or 0, got "${demoRaw}"`);

  const trustProxy = parseTrustProxy(value('TRUST_PROXY'), problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    databasePoolSize,
    dataDir: resolve(value('DATA_DIR') ?? '.chatmark/data'),
    publicUrl,
    publicUrlSet: publicRaw !== undefined,
    adminToken,
    trustProxy,
    logLevel: logRaw as LogLevel,
    retentionDays,
    hitRateLimit,
    ingestBatchRows,
    ingestBatchMs,
    ingestMaxQueue,
    ingestConcurrency,
    dialogTimeoutMs: dialogTimeoutMs ?? 0,
    demoData: demoRaw !== '0',
  };
}

function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.every((s) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(s))) return list;
  problems.push(`TRUST_PROXY must be true, false, a hop count, or comma-separated addresses/CIDRs, got "${raw}"`);
  return false;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "7d", "36h", "90m", "45s", or plain seconds. */
export function parseDuration(raw: string): number | null {
  const m = /^(\d+)\s*([smhd]?)$/i.exec(raw.trim());
  return m ? Number(m[1]) * UNIT_MS[(m[2] || 's').toLowerCase()]! : null;
}
