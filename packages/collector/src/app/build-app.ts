import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/open.ts';
import { adminRoutes } from '../admin/routes.ts';
import { demoRoutes, demoSimulateRoute } from '../demo/routes.ts';
import { snippetRoutes } from '../ingest/snippet-route.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import { ingestRoutes, type IngestConfig } from '../ingest/routes.ts';
import { inboundRoutes } from '../inbound/routes.ts';
import { queryRoutes } from '../query/routes.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { healthRoutes } from './health.ts';
import { docs } from './docs.ts';
import { validatorCompiler } from './validation.ts';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'trustProxy' | 'dialogTimeoutMs'> & IngestConfig;
  database: Database;
  adminToken: string;
  logger?: FastifyServerOptions['logger'];
}

/** The whole HTTP surface, without `listen`: tests drive it over real sockets or inject. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Fastify (proxy-addr) takes a hop count too, though its type leaves numbers out.
    trustProxy: deps.config.trustProxy as boolean | string[],
    bodyLimit: 1024 * 1024,
    // Our routes are few and fixed; a stray trailing slash should still find them.
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    // A line per hit would cost more than the hit; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  const { database } = deps;
  // Not a child plugin: the description must see the routes of every context.
  await docs(app, { publicUrl: deps.config.publicUrl });
  await app.register(healthRoutes, { database });
  await app.register(snippetRoutes);
  await app.register(ingestRoutes, { database, config: deps.config });
  await app.register(demoRoutes, { database });
  await app.register(demoSimulateRoute, { database });
  await app.register(inboundRoutes, { database, config: deps.config, inbound: { dialogTimeoutMs: deps.config.dialogTimeoutMs } });
  await app.register(queryRoutes, { database, adminToken: deps.adminToken });
  await app.register(adminRoutes, { database, adminToken: deps.adminToken, config: deps.config });
  await app.register(dashboardRoutes, { database, adminToken: deps.adminToken });
  return app;
}
