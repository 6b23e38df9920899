// Hand-written SVG charts: the dashboard needs a line chart, a donut and bars, which together
// are smaller than any chart library. Colours come from CSS classes (s1, s2, …), so the
// stylesheet owns the palette and no inline style is needed.
import type { Ref } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** A round step for about four grid lines up to `max`, whole numbers only. */
function niceStep(max: number): number {
  const raw = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw && Number.isInteger(m * p)) return m * p;
  return 10 * p;
}

export interface Series {
  name: string;
  values: number[];
  /** css class: its colour, and `dashed` for a comparison */
  cls: string;
}

const H = 220;
const PAD = { l: 40, r: 12, t: 10, b: 26 };

/** The element's width in CSS pixels, kept current: the chart draws at 1:1 so its text stays text-sized. */
function useWidth<T extends Element>(): [Ref<T>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.round(el.getBoundingClientRect().width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function LineChart({ labels, series, locale }: { labels: string[]; series: Series[]; locale: string }) {
  const [ref, W] = useWidth<HTMLDivElement>();
  const step = niceStep(Math.max(0, ...series.flatMap((s) => s.values)));
  const max = step * 4;
  const n = labels.length;
  const x = (i: number) => PAD.l + (n <= 1 ? (W - PAD.l - PAD.r) / 2 : (i * (W - PAD.l - PAD.r)) / (n - 1));
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);
  // As many labels as fit (about one per 70 px), counted back from the last bucket, which always shows.
  const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor((W - PAD.l) / 70))));
  return (
    <div class="chart-box" ref={ref}>
      {W > 0 && (
        <svg class="chart line-chart" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={series.map((s) => s.name).join(', ')}>
          {[0, 1, 2, 3, 4].map((k) => (
            <g class="grid">
              <line x1={PAD.l} x2={W - PAD.r} y1={y(k * step)} y2={y(k * step)} />
              <text x={PAD.l - 8} y={y(k * step) + 4} text-anchor="end">
                {(k * step).toLocaleString(locale)}
              </text>
            </g>
          ))}
          {labels.map((l, i) =>
            (n - 1 - i) % every === 0 ? (
              <text class="xlabel" x={x(i)} y={H - 6} text-anchor={n > 1 && i === n - 1 ? 'end' : n > 1 && i === 0 ? 'start' : 'middle'}>
                {l}
              </text>
            ) : null,
          )}
          {series.map((s) => {
            const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
            return (
              <g class={`series ${s.cls}`}>
                {!s.cls.includes('dashed') && n > 1 && <path class="area" d={`M${x(0)},${y(0)} L${pts.join(' L')} L${x(n - 1)},${y(0)} Z`} />}
                <polyline points={pts.join(' ')} />
                {s.values.map((v, i) => (
                  <circle cx={x(i)} cy={y(v)} r={W / n < 12 ? 0 : 3}>
                    <title>{`${labels[i]}: ${v.toLocaleString(locale)} (${s.name})`}</title>
                  </circle>
                ))}
              </g>
            );
          })}
        </svg>
      )}
    </div>
  );
}

export interface Part {
  label: string;
  value: number;
  cls: string;
}

/** Shares of a whole as a ring, with the total in the middle. */
export function Donut({ parts, center }: { parts: Part[]; center: string }) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  const r = 15.915; // circumference 100: dash lengths are percentages
  let offset = 25; // start at twelve o'clock
  return (
    <svg class="chart donut" viewBox="0 0 42 42" role="img" aria-label={parts.map((p) => `${p.label}: ${p.value}`).join(', ')}>
      <circle class="ring" cx="21" cy="21" r={r} />
      {total > 0 &&
        parts.map((p) => {
          const pct = (p.value / total) * 100;
          const el = <circle class={`slice ${p.cls}`} cx="21" cy="21" r={r} stroke-dasharray={`${pct} ${100 - pct}`} stroke-dashoffset={offset} />;
          offset -= pct;
          return el;
        })}
      <text x="21" y="23.5" text-anchor="middle" class="donut-total">
        {center}
      </text>
    </svg>
  );
}

/** A horizontal bar for a table cell: `share` of the widest row. */
export function Bar({ share, cls = 's1' }: { share: number; cls?: string }) {
  return (
    <span class="bar" aria-hidden="true">
      <span class={`bar-fill ${cls}`} style={{ width: `${Math.max(0, Math.min(1, share)) * 100}%` }} />
    </span>
  );
}
