import { createHmac } from 'node:crypto';

export const hmacHex = (algo: 'sha256' | 'sha512', key: string, body: string) => createHmac(algo, key).update(body).digest('hex');

/** A Meta WhatsApp Cloud API text message webhook, shaped as the reference documents it. */
export function metaTextWebhook(o: { id: string; text: string; from?: string; userId?: string; name?: string; ts: Date; referral?: Record<string, string> }) {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '79991234567', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: o.name ?? 'Анна' }, ...(o.from ? { wa_id: o.from } : {}), ...(o.userId ? { user_id: o.userId } : {}) }],
              messages: [
                {
                  ...(o.from ? { from: o.from } : {}),
                  ...(o.userId ? { from_user_id: o.userId } : {}),
                  id: o.id,
                  timestamp: String(Math.floor(o.ts.getTime() / 1000)),
                  type: 'text',
                  text: { body: o.text },
                  ...(o.referral ? { referral: o.referral } : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/** A Telegram Bot API update with a private message. */
export function telegramMessage(o: { updateId: number; userId: number; text: string; ts: Date; username?: string }) {
  return JSON.stringify({
    update_id: o.updateId,
    message: {
      message_id: o.updateId,
      from: { id: o.userId, is_bot: false, first_name: 'Иван', ...(o.username ? { username: o.username } : {}), language_code: 'ru' },
      chat: { id: o.userId, type: 'private', first_name: 'Иван' },
      date: Math.floor(o.ts.getTime() / 1000),
      text: o.text,
      ...(o.text.startsWith('/start') ? { entities: [{ offset: 0, length: 6, type: 'bot_command' }] } : {}),
    },
  });
}
