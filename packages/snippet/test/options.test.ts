import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE, tagOptions } from '../src/options.ts';

const site = { tpl: '{text}\n\nНомер обращения: {code}', wa: ['79990000001'], tg: ['shop'], bots: ['helper'] };

describe('tagOptions', () => {
  it("uses the site's settings when the tag overrides nothing", () => {
    expect(tagOptions('K7M2XQ9P', {}, site)).toEqual({ code: 'K7M2XQ9P', template: site.tpl, wa: site.wa, tg: site.tg, bots: site.bots });
  });

  it('falls back to the neutral default before any settings arrive', () => {
    expect(tagOptions('K7M2XQ9P', {})).toEqual({ code: 'K7M2XQ9P', template: DEFAULT_TEMPLATE, wa: undefined, tg: undefined, bots: undefined });
    expect(DEFAULT_TEMPLATE).toContain('{code}');
  });

  it('lets data-template, data-numbers and data-telegram override the settings', () => {
    const o = tagOptions('K7M2XQ9P', { template: 'Заказ {code}: {text}', numbers: '+7 (999) 123-45-67, 7 999 000 00 02', telegram: '@Shop_Main, support' }, site);
    expect(o.template).toBe('Заказ {code}: {text}');
    expect(o.wa).toEqual(['79991234567', '79990000002']);
    expect(o.tg).toEqual(['shop_main', 'support']);
    // bots come only from the site's settings
    expect(o.bots).toEqual(['helper']);
  });

  it('treats an empty attribute as absent', () => {
    expect(tagOptions('K7M2XQ9P', { template: '', numbers: '', telegram: '' }, site)).toMatchObject({ template: site.tpl, wa: site.wa, tg: site.tg });
  });
});
