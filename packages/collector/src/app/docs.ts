import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/**
 * The OpenAPI description, generated from the route schemas (so it cannot drift from what the
 * validator enforces), at /docs/json, and a browsable page at /docs. Registered before the routes:
 * @fastify/swagger collects them as they are added.
 */
export async function docs(app: FastifyInstance, opts: { publicUrl: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Chatmark',
        version: '1',
        description:
          "Chat tracking: the journal of WhatsApp and Telegram inquiries tied to the visits they came from, and reports over them. " +
          "Authorise with `Authorization: Bearer API_KEY` (one site's key) or the admin token (every site). A key of another site gets 404. " +
          'Errors are `{ "error": code, "message": text }`.',
      },
      servers: [{ url: opts.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: "a site's API key or the admin token" } } },
      tags: [
        { name: 'journal', description: 'inquiries: list, detail, tags and status, CSV' },
        { name: 'reports', description: "consolidated reports, bucketed in the site's time zone" },
        { name: 'admin', description: 'sites, channels and keys, with the admin token' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', defaultModelsExpandDepth: 0 } });
}
