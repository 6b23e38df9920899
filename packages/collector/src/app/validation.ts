import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { allErrors: false, strict: false, useDefaults: true };
// Bodies are validated as sent: a number where a string belongs is the sender's bug, and an
// unknown field is refused rather than silently dropped.
const bodies = new Ajv({ ...common, coerceTypes: false, removeAdditional: false });
// Query strings and path parameters are text on the wire, so "20" may stand for 20.
const urls = new Ajv({ ...common, coerceTypes: 'array', removeAdditional: false });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodies : urls).compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
