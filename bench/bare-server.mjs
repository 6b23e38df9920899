// The yardstick: the least a Fastify route can do with the same requests on this machine.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));
app.post('/v1/hit', async (_req, reply) => reply.code(204).send());
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${url}`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
