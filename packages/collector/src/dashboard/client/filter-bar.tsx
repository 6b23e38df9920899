import { useState } from 'preact/hooks';
import { useApp } from './context.ts';
import { activeCount, CHANNELS, emptyFilters, lastDays, MATCHES, PRESETS, PROVIDERS, STATUSES, TRAFFIC, TYPES, type Filters } from './filters.ts';
import type { Key } from './i18n.ts';

interface Props {
  value: Filters;
  onChange(f: Filters): void;
}

/** Period, search and every journal filter; text fields apply when committed (Enter or leaving the field). */
export function FilterBar({ value, onChange }: Props) {
  const { w, site } = useApp();
  // Opened when the view arrives filtered (a bookmark, a shared link), so the filters show.
  const [open, setOpen] = useState(() => activeCount(value) > 0);
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  const preset = PRESETS.find((d) => {
    const p = lastDays(site.timezone, d);
    return p.from === value.from && p.to === value.to;
  });
  const select = (name: keyof Filters, label: Key, options: readonly string[]) => (
    <label class="field">
      <span>{w.t(label)}</span>
      <select name={name} value={value[name]} onChange={(e) => set({ [name]: e.currentTarget.value })}>
        <option value="">{w.t('any')}</option>
        {options.map((o) => (
          <option value={o}>{w.v(o)}</option>
        ))}
      </select>
    </label>
  );
  const text = (name: keyof Filters, label: Key, placeholder?: string) => (
    <label class="field">
      <span>{w.t(label)}</span>
      <input name={name} value={value[name]} placeholder={placeholder} onChange={(e) => set({ [name]: e.currentTarget.value.trim() })} />
    </label>
  );
  const count = activeCount(value);
  return (
    <section class="filters" aria-label={w.t('moreFilters')}>
      <div class="filters-row">
        <div class="segmented" role="group" aria-label={w.t('period')}>
          {PRESETS.map((d) => (
            <button type="button" class={preset === d ? 'on' : ''} aria-pressed={preset === d} onClick={() => set(lastDays(site.timezone, d))}>
              {w.t(d === 365 ? 'days365' : (`days${d}` as Key))}
            </button>
          ))}
        </div>
        <div class="dates">
          <input type="date" name="from" aria-label={w.t('from')} value={value.from} max={value.to} onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} />
          <span aria-hidden="true">–</span>
          <input type="date" name="to" aria-label={w.t('to')} value={value.to} min={value.from} onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} />
        </div>
        <input class="search" type="search" name="q" placeholder={w.t('search')} value={value.q} onChange={(e) => set({ q: e.currentTarget.value.trim() })} />
        <button type="button" class={`toggle${open ? ' on' : ''}`} aria-expanded={open} onClick={() => setOpen(!open)}>
          {w.t('moreFilters')}
          {count > 0 && <span class="count">{count}</span>}
        </button>
        {count > 0 && (
          <button type="button" class="link" onClick={() => onChange({ ...emptyFilters(site.timezone), from: value.from, to: value.to })}>
            {w.t('reset')}
          </button>
        )}
      </div>
      {open && (
        <div class="filters-grid">
          {select('channel', 'channel', CHANNELS)}
          {select('provider', 'provider', PROVIDERS)}
          {select('traffic_type', 'trafficType', TRAFFIC)}
          {text('source', 'source', 'google')}
          {text('medium', 'medium', 'cpc')}
          {text('campaign', 'campaign')}
          {text('page', 'page', w.t('pagePlaceholder'))}
          {select('type', 'type', TYPES)}
          {select('match', 'match', MATCHES)}
          {text('tag', 'tag')}
          {select('status', 'status', STATUSES)}
        </div>
      )}
    </section>
  );
}
