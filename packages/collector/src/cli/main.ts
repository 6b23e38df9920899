import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { connectAdmin, type AdminClient } from './admin-client.ts';
import { serve } from './serve.ts';

const USAGE = `usage: chatmark [command] [options]

  serve                                   run the collector (the default command)
  migrate [--json]                        apply pending database migrations
  site create --name N --domain D [--domain D2] [--timezone Europe/Moscow] [--json]
  site list [--json]
  site update --site ID [--name N] [--domain D]... [--timezone TZ] [--language ru] [--template T]
              [--number N]... [--telegram USER]... [--bot USER]... [--store-text true|false] [--json]
  key create --site ID [--name N] [--json]
  key list --site ID [--json]
  key revoke --site ID --key PREFIX_OR_ID [--json]
  channel create --site ID --kind whatsapp|telegram --provider meta|twilio|telegram|generic|green-api|waha|wazzup
                 --address NUMBER_OR_USERNAME [--secret S] [--verify-token T] [--json]
  channel list --site ID [--json]

The database: DATABASE_URL when set, else the embedded one under DATA_DIR (default ./.chatmark/data).`;

class UsageError extends Error {}

type Options = ParseArgsConfig['options'];
const JSON_FLAG = { json: { type: 'boolean' } } as const satisfies Options;

interface Command {
  options: Options;
  required?: string[];
  run(admin: AdminClient, values: Record<string, unknown>): Promise<{ json: object; text: string }>;
}

const COMMANDS: Record<string, Command> = {
  migrate: {
    options: JSON_FLAG,
    async run(admin) {
      const r = await admin.migrate();
      return { json: r, text: r.applied.length ? `applied: ${r.applied.join(', ')}` : 'the database schema is up to date' };
    },
  },
  'site create': {
    options: { ...JSON_FLAG, name: { type: 'string' }, domain: { type: 'string', multiple: true }, timezone: { type: 'string' } },
    required: ['name', 'domain'],
    async run(admin, v) {
      const r = await admin.createSite({
        name: v.name as string,
        domains: v.domain as string[],
        ...(v.timezone ? { timezone: v.timezone as string } : {}),
      });
      return {
        json: r,
        text: `site ${r.id} created\n  key:     ${r.key}\n  API key: ${r.api_key}  (shown once)\n  tag:     ${r.snippet}`,
      };
    },
  },
  'site list': {
    options: JSON_FLAG,
    async run(admin) {
      const r = await admin.listSites();
      const lines = r.sites.map((s) => `${s.id}\t${s.key}\t${s.name}\t${s.domains.join(',') || '-'}\t${s.timezone}`);
      return { json: r, text: lines.length ? ['id\tkey\tname\tdomains\ttimezone', ...lines].join('\n') : 'no sites yet' };
    },
  },
  'site update': {
    options: {
      ...JSON_FLAG,
      site: { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      timezone: { type: 'string' },
      language: { type: 'string' },
      template: { type: 'string' },
      number: { type: 'string', multiple: true },
      telegram: { type: 'string', multiple: true },
      bot: { type: 'string', multiple: true },
      'store-text': { type: 'string' },
    },
    required: ['site'],
    async run(admin, v) {
      const settings: Record<string, unknown> = {};
      if (v.language !== undefined) settings.language = v.language;
      // A shell passes "\n" literally; templates are written on one line.
      if (v.template !== undefined) settings.template = String(v.template).replace(/\\n/g, '\n');
      if (v.number !== undefined) settings.numbers = v.number;
      if (v.telegram !== undefined) settings.telegram = v.telegram;
      if (v.bot !== undefined) settings.bots = v.bot;
      if (v['store-text'] !== undefined) {
        if (v['store-text'] !== 'true' && v['store-text'] !== 'false') throw new UsageError('--store-text takes true or false');
        settings.store_text = v['store-text'] === 'true';
      }
      const r = await admin.updateSite(v.site as string, {
        ...(v.name !== undefined ? { name: v.name as string } : {}),
        ...(v.domain !== undefined ? { domains: v.domain as string[] } : {}),
        ...(v.timezone !== undefined ? { timezone: v.timezone as string } : {}),
        ...(Object.keys(settings).length ? { settings } : {}),
      });
      return { json: r, text: `site ${r.id} updated: ${JSON.stringify({ domains: r.domains, timezone: r.timezone, settings: r.settings })}` };
    },
  },
  'key create': {
    options: { ...JSON_FLAG, site: { type: 'string' }, name: { type: 'string' } },
    required: ['site'],
    async run(admin, v) {
      const r = await admin.createKey(v.site as string, v.name as string | undefined);
      return { json: r, text: `API key: ${r.api_key}  (shown once)` };
    },
  },
  'key list': {
    options: { ...JSON_FLAG, site: { type: 'string' } },
    required: ['site'],
    async run(admin, v) {
      const r = await admin.listKeys(v.site as string);
      const lines = r.keys.map((k) => `${k.id}\t${k.prefix}…\t${k.name ?? '-'}\t${k.created_at}\t${k.revoked_at ? `revoked ${k.revoked_at}` : 'active'}`);
      return { json: r, text: lines.length ? ['id\tprefix\tname\tcreated\tstate', ...lines].join('\n') : 'no API keys' };
    },
  },
  'key revoke': {
    options: { ...JSON_FLAG, site: { type: 'string' }, key: { type: 'string' } },
    required: ['site', 'key'],
    async run(admin, v) {
      const r = await admin.revokeKey(v.site as string, v.key as string);
      return { json: r, text: `API key ${r.id} (${r.prefix}…) revoked at ${r.revoked_at}` };
    },
  },
  'channel create': {
    options: {
      ...JSON_FLAG,
      site: { type: 'string' },
      kind: { type: 'string' },
      provider: { type: 'string' },
      address: { type: 'string' },
      secret: { type: 'string' },
      'verify-token': { type: 'string' },
    },
    required: ['site', 'kind', 'provider', 'address'],
    async run(admin, v) {
      const r = await admin.createChannel({
        site: v.site as string,
        kind: v.kind as string,
        provider: v.provider as string,
        address: v.address as string,
        secret: v.secret as string | undefined,
        verifyToken: v['verify-token'] as string | undefined,
      });
      const lines = [`channel ${r.id} created`, `  webhook URL:  ${r.webhook_url}`, `  secret:       ${r.secret}  (shown once)`];
      if (r.verify_token) lines.push(`  verify token: ${r.verify_token}`);
      return { json: r, text: lines.join('\n') };
    },
  },
  'channel list': {
    options: { ...JSON_FLAG, site: { type: 'string' } },
    required: ['site'],
    async run(admin, v) {
      const r = await admin.listChannels(v.site as string);
      const lines = r.channels.map((c) => `${c.id}\t${c.kind}\t${c.provider}\t${c.address}\t${c.webhook_url}`);
      return { json: r, text: lines.length ? ['id\tkind\tprovider\taddress\twebhook URL', ...lines].join('\n') : 'no channels yet' };
    },
  },
};

export async function main(argv: string[]): Promise<number> {
  const words: string[] = [];
  while (words.length < 2 && argv[words.length] && !argv[words.length]!.startsWith('-')) words.push(argv[words.length]!);
  const rest = argv.slice(words.length);

  if (words[0] === 'help' || rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE);
    return 0;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`chatmark: ${p}`);
      return 1;
    }
    throw err;
  }

  try {
    if (words.length === 0 || words[0] === 'serve') {
      if (words.length > 1 || rest.length) throw new UsageError(`serve takes no arguments (configure it with environment variables)`);
      await serve(config);
      return -1; // keeps running
    }
    const name = words[0] === 'migrate' ? 'migrate' : words.join(' ');
    const command = COMMANDS[name];
    if (!command || (name === 'migrate' && words.length > 1)) throw new UsageError(`unknown command "${words.join(' ')}"`);
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const missing = (command.required ?? []).filter((k) => values[k] === undefined);
    if (missing.length) throw new UsageError(`${name}: missing ${missing.map((k) => `--${k}`).join(', ')}`);

    const admin = await connectAdmin(config);
    try {
      const out = await command.run(admin, values);
      process.stdout.write(values.json ? JSON.stringify(out.json) + '\n' : out.text + '\n');
    } finally {
      await admin.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`chatmark: ${err.message}\n${USAGE.split('\n\n')[0]}`);
      return 2;
    }
    console.error(`chatmark: ${(err as Error).message || String(err)}`);
    if (process.env.LOG_LEVEL === 'debug') console.error(err);
    return 1;
  }
}
