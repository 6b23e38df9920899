import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../../src/inbound/providers/index.ts';
import { phoneDigits, safeEqual, startParamOf, timestampOf, whatsappAddress } from '../../../src/inbound/providers/common.ts';

describe('providers/common', () => {
  it('has an adapter for every provider', () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual(['generic', 'green-api', 'meta', 'telegram', 'twilio', 'waha', 'wazzup']);
  });

  it('compares secrets of any length without throwing', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual('ключ', 'ключ')).toBe(true);
  });

  it('keeps only the digits of a phone', () => {
    expect(phoneDigits('+7 (999) 123-45-67')).toBe('79991234567');
    expect(phoneDigits('whatsapp:+61400000001')).toBe('61400000001');
    expect(phoneDigits('')).toBeNull();
    expect(phoneDigits('n/a')).toBeNull();
    expect(phoneDigits(null)).toBeNull();
  });

  it('reads WhatsApp addresses: phones, LIDs, groups, broadcasts', () => {
    expect(whatsappAddress('79001234567@c.us')).toEqual({ kind: 'phone', id: '79001234567', phone: '79001234567' });
    expect(whatsappAddress('79001234567@s.whatsapp.net')).toEqual({ kind: 'phone', id: '79001234567', phone: '79001234567' });
    expect(whatsappAddress('79001234567:3@s.whatsapp.net')).toEqual({ kind: 'phone', id: '79001234567', phone: '79001234567' });
    expect(whatsappAddress('79001234567')).toEqual({ kind: 'phone', id: '79001234567', phone: '79001234567' });
    expect(whatsappAddress('123456789012345@lid')).toEqual({ kind: 'opaque', id: '123456789012345@lid', phone: null });
    expect(whatsappAddress('123456789012345:7@LID')).toEqual({ kind: 'opaque', id: '123456789012345@lid', phone: null });
    expect(whatsappAddress('120363025555555555@g.us')).toEqual({ kind: 'group', id: '120363025555555555@g.us', phone: null });
    expect(whatsappAddress('status@broadcast').kind).toBe('broadcast');
    expect(whatsappAddress('120363111111111111@newsletter').kind).toBe('broadcast');
    expect(whatsappAddress('someone@example.org')).toEqual({ kind: 'opaque', id: 'someone@example.org', phone: null });
  });

  it('reads Unix seconds (number or string) and ISO 8601; anything else is now', () => {
    expect(timestampOf(1749416383)).toEqual(new Date(1749416383000));
    expect(timestampOf('1749416383')).toEqual(new Date(1749416383000));
    expect(timestampOf('2025-06-08T20:59:43Z')).toEqual(new Date(1749416383000));
    const before = Date.now();
    for (const value of [undefined, null, '', 'tomorrow', {}, -1, 1749416383000000, Number.NaN]) {
      expect(timestampOf(value).getTime(), String(value)).toBeGreaterThanOrEqual(before);
    }
  });

  it('finds the /start parameter only at the start of the text', () => {
    expect(startParamOf('/start abc_DEF-12', null)).toBe('abc_DEF-12');
    expect(startParamOf('/start   abc', 'bot')).toBe('abc');
    expect(startParamOf('/start@Bot abc', '@bot')).toBe('abc');
    expect(startParamOf('/start@other abc', 'bot')).toBeNull();
    expect(startParamOf('/start', 'bot')).toBeNull();
    expect(startParamOf(null, 'bot')).toBeNull();
  });
});
