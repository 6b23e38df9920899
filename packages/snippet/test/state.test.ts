import { afterEach, describe, expect, it, vi } from 'vitest';
import { load, save } from '../src/state.ts';

afterEach(() => vi.unstubAllGlobals());

describe('state storage', () => {
  it('round-trips through localStorage', () => {
    const store: Record<string, string> = {};
    vi.stubGlobal('localStorage', store);
    save('chatmarkK', { v: 'V', c: 'C', t: 1 });
    expect(JSON.parse(store.chatmarkK!)).toEqual({ v: 'V', c: 'C', t: 1 });
    expect(load('chatmarkK', {})).toEqual({ v: 'V', c: 'C', t: 1 });
  });

  it('keeps an opt-out', () => {
    vi.stubGlobal('localStorage', { chatmarkK: '{"o":1}' });
    expect(load('chatmarkK', {})).toEqual({ o: 1 });
  });

  it('falls back to the memory copy when storage is blocked', () => {
    const blocked = new Proxy(
      {},
      {
        get() {
          throw new DOMException('denied', 'SecurityError');
        },
        set() {
          throw new DOMException('denied', 'SecurityError');
        },
      },
    );
    vi.stubGlobal('localStorage', blocked);
    const memory = { v: 'M' };
    expect(load('chatmarkK', memory)).toBe(memory);
    expect(() => save('chatmarkK', memory)).not.toThrow();
  });

  it('falls back when the entry is missing, garbled or not ours', () => {
    const memory = {};
    for (const value of [undefined, '', '{', 'null', '42', '"x"', '[]', '{"c":"K7M2XQ9P"}']) {
      vi.stubGlobal('localStorage', value === undefined ? {} : { chatmarkK: value });
      expect(load('chatmarkK', memory), String(value)).toBe(memory);
    }
  });

  it('survives a full quota', () => {
    vi.stubGlobal('localStorage', {
      set chatmarkK(_: string) {
        throw new DOMException('full', 'QuotaExceededError');
      },
    });
    expect(() => save('chatmarkK', { v: 'V' })).not.toThrow();
  });
});
