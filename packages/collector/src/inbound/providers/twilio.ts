import { WebhookAuthError, WebhookParseError, type ProviderAdapter, type WebhookRequest } from '../types.ts';
import { adReferral, channelSecret, header, hmac, inbound, phoneDigits, safeEqual, sender } from './common.ts';

// Twilio's WhatsApp inbound webhook: application/x-www-form-urlencoded, signed over the URL it
// called plus every parameter it sent.

function formParams(req: WebhookRequest): [name: string, value: string][] {
  return [...new URLSearchParams(req.rawBody.toString('utf8'))];
}

/**
 * base64(HMAC-SHA1(url + name1 + value1 + name2 + value2 …, auth token)), parameters sorted by
 * name. Twilio adds parameters without notice, so all of them are signed, whatever we read.
 * Repeated names (Twilio sends none today) are ordered by value so that the result does not
 * depend on the order they came in.
 */
export function twilioSignature(url: string, params: [string, string][], authToken: string): string {
  const sorted = [...params].sort(([a, x], [b, y]) => (a === b ? compare(x, y) : compare(a, b)));
  return hmac('sha1', authToken, url + sorted.map(([name, value]) => name + value).join(''), 'base64');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The URL as Twilio may have signed it: as called, and with the scheme's default port written
 * out or left off (Twilio's own helpers try both, since proxies differ on whether it is kept).
 */
function urlVariants(publicUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return [publicUrl];
  }
  const defaultPort = { 'https:': '443', 'http:': '80' }[url.protocol];
  // URL drops a default port on parsing, so url.port is '' exactly when the port is a default one.
  if (defaultPort === undefined || url.port !== '') return [publicUrl];
  const rest = `${url.pathname}${url.search}`;
  return [...new Set([publicUrl, `${url.protocol}//${url.host}${rest}`, `${url.protocol}//${url.host}:${defaultPort}${rest}`])];
}

export const twilio: ProviderAdapter = {
  verify(req, channel) {
    const secret = channelSecret(channel);
    const given = header(req, 'x-twilio-signature');
    if (given === undefined || given === '') throw new WebhookAuthError('missing X-Twilio-Signature header');
    const params = formParams(req);
    const ok = urlVariants(req.publicUrl).some((url) => safeEqual(given, twilioSignature(url, params, secret)));
    if (!ok) throw new WebhookAuthError('X-Twilio-Signature does not match the URL and parameters');
  },

  parse(req) {
    const params = new Map(formParams(req));
    const get = (name: string) => params.get(name) ?? null;
    // A status callback pointed at the same URL: it reports on our own message, nobody wrote.
    const status = get('MessageStatus') ?? get('SmsStatus');
    if (status !== null && status !== 'received') return [];
    const id = get('MessageSid') ?? get('SmsMessageSid') ?? get('SmsSid');
    if (!id) throw new WebhookParseError('MessageSid is missing');
    const from = get('From');
    if (!from) throw new WebhookParseError('From is missing');
    // "whatsapp:+79991234567" → 79991234567; WaId is the same number without "+".
    const phone = phoneDigits(from.replace(/^whatsapp:/i, ''));
    const senderId = phoneDigits(get('WaId')) ?? phone;
    if (senderId === null) throw new WebhookParseError(`From ${JSON.stringify(from)} holds no number`);
    return [
      inbound({
        providerMessageId: id,
        kind: 'message',
        messenger: 'whatsapp',
        // Twilio sends no time of its own: the moment of receipt stands in.
        timestamp: new Date(),
        from: sender(senderId, { phone, name: get('ProfileName') }),
        text: get('Body') ?? get('ButtonText'),
        referral: adReferral({
          source_id: get('ReferralSourceId'),
          source_url: get('ReferralSourceUrl'),
          source_type: get('ReferralSourceType'),
          headline: get('ReferralHeadline'),
          body: get('ReferralBody'),
          ctwa_clid: get('ReferralCtwaClid'),
        }),
        raw: Object.fromEntries(params),
      }),
    ];
  },
};
