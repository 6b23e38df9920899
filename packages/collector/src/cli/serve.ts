import type { AddressInfo } from 'node:net';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.ts';
import { buildApp } from '../app/build-app.ts';
import { openDatabase } from '../db/open.ts';
import { migrate, readMigrations } from '../db/migrate.ts';
import { MIGRATIONS_DIR } from '../paths.ts';
import { resolveAdminToken, adminTokenFile } from '../admin/admin-token.ts';
import { snippetTag } from '../admin/sites.ts';
import { ensureDemoSite } from '../demo/site.ts';
import { announceServer } from './server-file.ts';
import { scheduleRetention } from '../ingest/retention.ts';
import { scheduleRollups } from '../query/reports/rollup-schedule.ts';
import { preloadGeo } from '../ingest/enrich/index.ts';

const SHUTDOWN_GRACE_MS = 4_500;

export async function serve(config: Config): Promise<void> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    lockOwner: { role: 'server' },
  });
  let unannounce = () => {};
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let stopRetention = () => {};
  let stopRollups = () => {};
  // Registered before the banner says the server is ready: a signal that arrives with no
  // listener kills the process outright, skipping the graceful close.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app?.log.info({ signal }, 'shutting down');
    // A stuck request or connection must not keep the process past its grace period.
    setTimeout(() => {
      console.error('chatmark: shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    stopRetention();
    stopRollups();
    try {
      await app?.close();
      await database.close();
    } finally {
      unannounce();
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  try {
    const applied = await migrate(database, readMigrations(MIGRATIONS_DIR));
    const admin = resolveAdminToken(config);
    const demo = await ensureDemoSite(database.db, config.publicUrl, config.demoData);

    // Pretty lines for a person at a terminal, JSON lines for a log collector.
    const logger = process.stdout.isTTY
      ? { level: config.logLevel, stream: pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) }
      : { level: config.logLevel };
    // Without PUBLIC_URL the server's own address is its public URL, known once it listens.
    const runtime = { ...config };
    app = await buildApp({ config: runtime, database, adminToken: admin.token, logger });
    // The geography data takes half a second to load: pay it before the first hit, not during.
    preloadGeo();
    await app.listen({ port: config.port, host: config.host });
    stopRetention = scheduleRetention(database.analytics, config.retentionDays, app.log);
    stopRollups = scheduleRollups(database.analytics, app.log);

    const port = (app.server.address() as AddressInfo).port;
    const localHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const localUrl = `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${port}`;
    if (!config.publicUrlSet) runtime.publicUrl = localUrl;
    if (database.kind === 'pglite') unannounce = announceServer(config.dataDir, localUrl);

    const where = database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
    const tokenNote =
      admin.source === 'env' ? 'from ADMIN_TOKEN' : `saved in ${adminTokenFile(config.dataDir)}; set ADMIN_TOKEN to choose your own`;
    console.log(
      [
        '',
        `Chatmark is running at ${localUrl} (${where})`,
        applied.length ? `  Migrations applied: ${applied.join(', ')}` : '  Database schema is up to date',
        `  Admin token:   ${admin.token}  (${tokenNote})`,
        `  Demo page:     ${localUrl}/demo${demo.created ? '  (demo site created)' : ''}`,
        `  Demo site tag: ${snippetTag(runtime.publicUrl, demo.site.key)}`,
        '',
      ].join('\n'),
    );

  } catch (err) {
    unannounce();
    await database.close().catch(() => {});
    throw err;
  }
}
