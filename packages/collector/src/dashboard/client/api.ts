// The read API as the dashboard calls it. Types come from the server's own modules (type-only
// imports: nothing of the server is bundled), so a change of shape breaks the type check here.
import type { InquiryView } from '../../query/inquiry-view.ts';
import type { InquiryDetail } from '../../query/journal.ts';
import type { NewRepeatReport } from '../../query/reports/new-repeat.ts';
import type { MatchQualityReport } from '../../query/reports/match-quality.ts';
import type { PagesReport } from '../../query/reports/pages.ts';
import type { ChannelsReport } from '../../query/reports/channels.ts';
import type { DynamicsReport } from '../../query/reports/dynamics.ts';

export type { InquiryView, InquiryDetail, NewRepeatReport, MatchQualityReport, PagesReport, ChannelsReport, DynamicsReport };

export interface SiteRef {
  id: number;
  key: string;
  name: string;
  timezone: string;
}
export interface Me {
  admin: boolean;
  sites: SiteRef[];
}

/** Query parameters as the API takes them; empty values are left out. */
export type Params = Record<string, string | number | undefined>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const query = (p: Params) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export class Api {
  constructor(
    private readonly token: string,
    /** called when the server no longer takes the token (revoked): the page signs out */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${this.token}` } });
    if (res.ok) return res;
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    if (res.status === 401) this.onUnauthorized();
    throw new ApiError(res.status, body?.message ?? `${res.status} ${res.statusText}`);
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }

  me = () => this.json<Me>('/v1/me');

  inquiries = (site: number, p: Params) => this.json<{ items: InquiryView[]; next_cursor: string | null }>(`/v1/sites/${site}/inquiries${query(p)}`);
  inquiry = (site: number, id: number) => this.json<InquiryDetail>(`/v1/sites/${site}/inquiries/${id}`);
  update = (site: number, id: number, patch: { tags?: string[]; status?: string }) =>
    this.json<InquiryView>(`/v1/sites/${site}/inquiries/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
  /** The CSV as a file: fetched with the key (a plain link could not send it) and handed over as a blob. */
  csv = async (site: number, p: Params) => {
    const res = await this.request(`/v1/sites/${site}/inquiries.csv${query(p)}`);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'inquiries.csv';
    return { name, blob: await res.blob() };
  };

  newRepeat = (site: number, p: Params) => this.json<NewRepeatReport>(`/v1/sites/${site}/reports/new-repeat${query(p)}`);
  matchQuality = (site: number, p: Params) => this.json<MatchQualityReport>(`/v1/sites/${site}/reports/match-quality${query(p)}`);
  pages = (site: number, p: Params) => this.json<PagesReport>(`/v1/sites/${site}/reports/pages${query(p)}`);
  channels = (site: number, p: Params) => this.json<ChannelsReport>(`/v1/sites/${site}/reports/channels${query(p)}`);
  dynamics = (site: number, p: Params) => this.json<DynamicsReport>(`/v1/sites/${site}/reports/dynamics${query(p)}`);
}
