import { MATCH_METHODS, STATUSES } from './journal-filters.ts';

/** JSON schemas of the read API's answers: Fastify serializes by them and /docs documents them. */

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string', description: 'a code: bad_request, unauthorized, not_found, …' }, message: { type: 'string' } },
} as const;

export const siteParam = {
  type: 'object',
  required: ['site'],
  properties: { site: { type: 'string', maxLength: 64, description: "the site's number or public key" } },
} as const;

export const inquiryParams = {
  type: 'object',
  required: ['site', 'id'],
  properties: { ...siteParam.properties, id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

const match = {
  type: 'object',
  required: ['method', 'confidence'],
  properties: { method: { type: 'string', enum: [...MATCH_METHODS] }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
} as const;

export const inquirySchema = {
  type: 'object',
  required: ['id', 'received_at', 'channel', 'provider', 'type', 'match', 'contact', 'first_message', 'message_count', 'tags', 'status', 'page', 'session', 'ad', 'last_message_at'],
  properties: {
    id: { type: 'integer' },
    received_at: { type: 'string', format: 'date-time' },
    last_message_at: { type: 'string', format: 'date-time' },
    channel: { type: 'string', enum: ['whatsapp', 'telegram'] },
    provider: str,
    type: { type: 'string', enum: ['new', 'repeat'] },
    match,
    contact: {
      type: 'object',
      required: ['id', 'name', 'phone', 'username'],
      properties: { id: { type: 'integer' }, name: strOrNull, phone: strOrNull, username: strOrNull },
    },
    first_message: strOrNull,
    message_count: { type: 'integer' },
    tags: { type: 'array', items: str },
    status: { type: 'string', enum: [...STATUSES] },
    page: {
      type: 'object',
      description: 'the page the chat was opened from',
      required: ['url', 'path', 'title'],
      properties: { url: strOrNull, path: strOrNull, title: strOrNull },
    },
    session: {
      type: ['object', 'null'],
      description: 'the visit the inquiry came from; null when none is known',
      required: ['code', 'started_at', 'traffic_type', 'click_ids'],
      properties: {
        code: str,
        started_at: { type: 'string', format: 'date-time' },
        landing_url: strOrNull,
        referrer: strOrNull,
        source: strOrNull,
        medium: strOrNull,
        campaign: strOrNull,
        content: strOrNull,
        term: strOrNull,
        traffic_type: str,
        click_ids: { type: 'object', additionalProperties: str, description: 'gclid, yclid, fbclid, … as they were in the landing URL' },
        os: strOrNull,
        os_version: strOrNull,
        browser: strOrNull,
        device_type: strOrNull,
        screen: { type: ['string', 'null'], description: 'e.g. 1920x1080' },
        language: strOrNull,
        timezone: strOrNull,
        country: strOrNull,
        region: strOrNull,
        city: strOrNull,
      },
    },
    ad: {
      type: ['object', 'null'],
      description: 'the click-to-WhatsApp ad, when the chat came from one',
      properties: { source_id: strOrNull, source_url: strOrNull, headline: strOrNull, ctwa_clid: strOrNull },
    },
  },
} as const;

export const inquiryDetailSchema = {
  ...inquirySchema,
  required: [...inquirySchema.required, 'history', 'path'],
  properties: {
    ...inquirySchema.properties,
    history: {
      type: 'array',
      description: "the contact's other inquiries, newest first",
      items: {
        type: 'object',
        required: ['id', 'received_at', 'type', 'match', 'first_message', 'session_code'],
        properties: {
          id: { type: 'integer' },
          received_at: { type: 'string', format: 'date-time' },
          type: { type: 'string', enum: ['new', 'repeat'] },
          match,
          first_message: strOrNull,
          session_code: strOrNull,
        },
      },
    },
    path: {
      type: 'array',
      description: "the visit's pageviews, oldest first",
      items: {
        type: 'object',
        required: ['ts', 'url', 'title'],
        properties: { ts: { type: 'string', format: 'date-time' }, url: str, title: strOrNull },
      },
    },
  },
} as const;

export const journalPageSchema = {
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: {
    items: { type: 'array', items: inquirySchema },
    next_cursor: { type: ['string', 'null'], description: 'pass as cursor for the next page; null on the last page' },
  },
} as const;
