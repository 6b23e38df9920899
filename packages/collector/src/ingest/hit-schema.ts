/** JSON Schema of the Hit wire type (packages/shared/src/hit.ts); Fastify validates with it. */
const str = (maxLength: number, minLength = 0) => ({ type: 'string', minLength, maxLength }) as const;
const dim = { type: 'integer', minimum: 0, maximum: 100_000 } as const;

export const hitSchema = {
  type: 'object',
  required: ['k', 't', 'v', 'c', 'u'],
  // Unknown keys are ignored rather than refused: a cached older or newer snippet must keep working.
  properties: {
    k: str(64, 1),
    t: { type: 'string', enum: ['pv', 'click', 'event'] },
    v: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
    c: str(64, 1),
    u: str(4096, 1),
    ti: str(1024),
    r: str(4096),
    l: str(4096),
    sw: dim,
    sh: dim,
    dpr: { type: 'number', minimum: 0, maximum: 20 },
    vw: dim,
    vh: dim,
    la: str(64),
    tz: str(64),
    ch: {
      type: 'object',
      properties: { p: str(64), pv: str(64), m: str(128), mo: { type: 'boolean' } },
    },
    m: { type: 'string', enum: ['wa', 'tg'] },
    to: str(64),
    e: str(100, 1),
    p: {
      type: 'object',
      maxProperties: 30,
      additionalProperties: { anyOf: [str(500), { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
    },
  },
} as const;
