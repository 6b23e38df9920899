import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Row types of migrations/*.sql, as Kysely sees them. Keep in step with the migrations. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

export type Messenger = 'whatsapp' | 'telegram';
export type Provider = 'meta' | 'twilio' | 'telegram' | 'generic' | 'green-api' | 'waha' | 'wazzup';
export type MatchMethod = 'start' | 'code' | 'ad_referral' | 'probable' | 'none';

export interface SiteSettings {
  language?: string;
  template?: string;
  numbers?: string[];
  telegram?: string[];
  bots?: string[];
  store_text?: boolean;
  demo?: boolean;
}

export interface SitesTable {
  id: Generated<number>;
  key: string;
  name: string;
  domains: ColumnType<string[], string[] | undefined, string[]>;
  timezone: ColumnType<string, string | undefined, string>;
  settings: ColumnType<SiteSettings, SiteSettings | undefined, SiteSettings>;
  created_at: DefaultTimestamp;
}

export interface ApiKeysTable {
  site_id: number;
  id: Generated<number>;
  hash: string;
  prefix: string;
  name: string | null;
  created_at: DefaultTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ChannelsTable {
  site_id: number;
  id: string;
  kind: Messenger;
  provider: Provider;
  address: string;
  secret: string;
  verify_token: string | null;
  settings: ColumnType<Record<string, unknown>, Record<string, unknown> | undefined, Record<string, unknown>>;
  created_at: DefaultTimestamp;
  disabled_at: Timestamp | null;
}

export interface VisitorsTable {
  site_id: number;
  id: string;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  first_session: string | null;
  first_traffic_type: string | null;
  first_source: string | null;
  first_medium: string | null;
  first_campaign: string | null;
  last_session: string | null;
  last_traffic_type: string | null;
  last_source: string | null;
  last_medium: string | null;
  last_campaign: string | null;
  sessions: ColumnType<number, number | undefined, number>;
}

export interface SessionsTable {
  site_id: number;
  code: string;
  visitor_id: string;
  started_at: Timestamp;
  last_seen_at: Timestamp;
  landing_url: string | null;
  landing_title: string | null;
  referrer: string | null;
  traffic_type: ColumnType<string, string | undefined, string>;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
  click_ids: Json<Record<string, string>>;
  user_agent: string | null;
  os: string | null;
  os_version: string | null;
  browser: string | null;
  browser_version: string | null;
  device_type: string | null;
  device_vendor: string | null;
  device_model: string | null;
  screen_width: number | null;
  screen_height: number | null;
  pixel_ratio: number | null;
  viewport_width: number | null;
  viewport_height: number | null;
  language: string | null;
  timezone: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  is_bot: ColumnType<boolean, boolean | undefined, boolean>;
  client_code: string | null;
}

export interface PageviewsTable {
  site_id: number;
  ts: Timestamp;
  id: Generated<number>;
  session_code: string;
  url: string;
  path: string;
  title: string | null;
}

export interface ChatClicksTable {
  site_id: number;
  ts: Timestamp;
  id: Generated<number>;
  session_code: string;
  messenger: Messenger;
  target: ColumnType<string, string | undefined, string>;
  page_url: string;
  page_path: string;
  page_title: string | null;
}

export interface EventsTable {
  site_id: number;
  ts: Timestamp;
  id: Generated<number>;
  session_code: string;
  name: string;
  props: Json<Record<string, unknown>>;
  page_url: string;
  page_path: string;
}

export interface ContactsTable {
  site_id: number;
  id: Generated<number>;
  messenger: Messenger;
  external_id: string;
  phone: string | null;
  name: string | null;
  username: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface InquiriesTable {
  site_id: number;
  id: Generated<number>;
  channel_id: string;
  contact_id: number;
  received_at: Timestamp;
  last_message_at: Timestamp;
  message_count: ColumnType<number, number | undefined, number>;
  type: 'new' | 'repeat';
  match_method: MatchMethod;
  match_confidence: ColumnType<number, number | undefined, number>;
  session_code: string | null;
  click_id: number | null;
  page_url: string | null;
  page_title: string | null;
  /** generated from page_url by the database (0002) */
  page_path: ColumnType<string | null, never, never>;
  first_message: string | null;
  ad: Json<Record<string, string | null>> | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<string, string | undefined, string>;
}

export interface MessagesTable {
  site_id: number;
  channel_id: string;
  provider_message_id: string;
  received_at: Timestamp;
  stored_at: DefaultTimestamp;
  kind: string;
  contact_id: number | null;
  inquiry_id: number | null;
  text: string | null;
  raw: Json<unknown> | null;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: DefaultTimestamp;
}

export interface DB {
  sites: SitesTable;
  api_keys: ApiKeysTable;
  channels: ChannelsTable;
  visitors: VisitorsTable;
  sessions: SessionsTable;
  pageviews: PageviewsTable;
  chat_clicks: ChatClicksTable;
  events: EventsTable;
  contacts: ContactsTable;
  inquiries: InquiriesTable;
  messages: MessagesTable;
  schema_migrations: SchemaMigrationsTable;
}

export type Site = Selectable<SitesTable>;
export type NewSession = Insertable<SessionsTable>;
