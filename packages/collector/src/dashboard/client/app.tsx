import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError, type Me } from './api.ts';
import { Ctx } from './context.ts';
import { emptyFilters, fromQuery, toQuery, type Filters } from './filters.ts';
import { FilterBar } from './filter-bar.tsx';
import { initialLang, LANGS, saveLang, words, type Lang, type Words } from './i18n.ts';
import { Journal } from './journal.tsx';
import { Reports } from './reports.tsx';

// The key stays in this browser's localStorage until "Sign out": the dashboard is a tool people
// open every day. It is sent only to this origin, in the Authorization header.
const TOKEN = 'chatmark.token';
const SITE = 'chatmark.site';

type Tab = 'reports' | 'journal';
const tabOf = (hash: string): Tab => (hash === '#journal' ? 'journal' : 'reports');

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const w = useMemo(() => words(lang), [lang]);
  const [token, setToken] = useState(() => localStorage.getItem(TOKEN));
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const signOut = () => {
    localStorage.removeItem(TOKEN);
    setToken(null);
    setMe(null);
  };
  const api = useMemo(() => token && new Api(token, signOut), [token]);

  useEffect(() => {
    document.documentElement.lang = lang;
    saveLang(lang);
  }, [lang]);
  useEffect(() => {
    if (!api) return;
    api.me().then(setMe, (e: ApiError) => {
      // A network hiccup keeps the key; only a refused key signs out.
      if (e.status !== 401) setError(e.message);
    });
  }, [api]);

  const langSwitch = (
    <div class="lang" role="group" aria-label="Language">
      {LANGS.map((l) => (
        <button type="button" class={l === lang ? 'on' : ''} aria-pressed={l === lang} onClick={() => setLang(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
  if (!token || !api) {
    return (
      <SignIn
        w={w}
        langSwitch={langSwitch}
        onSignedIn={(t, m) => {
          localStorage.setItem(TOKEN, t);
          setToken(t);
          setMe(m);
        }}
      />
    );
  }
  if (!me) return <div class="splash">{error ? <p class="error">{error}</p> : <p class="muted">{w.t('loading')}</p>}</div>;
  return <SignedIn api={api} me={me} w={w} langSwitch={langSwitch} onSignOut={signOut} />;
}

function SignIn({ w, langSwitch, onSignedIn }: { w: Words; langSwitch: preact.ComponentChildren; onSignedIn(token: string, me: Me): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      onSignedIn(token, await new Api(token).me());
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? w.t('badToken') : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form class="card" onSubmit={submit}>
        <div class="signin-head">
          <h1 class="brand">
            <span class="logo" aria-hidden="true" />
            {w.t('title')}
          </h1>
          {langSwitch}
        </div>
        <p class="muted">{w.t('signInLead')}</p>
        <label class="field">
          <span>{w.t('token')}</span>
          <input name="token" type="password" autoComplete="current-password" autoFocus value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {w.t('signIn')}
        </button>
      </form>
    </main>
  );
}

function SignedIn({ api, me, w, langSwitch, onSignOut }: { api: Api; me: Me; w: Words; langSwitch: preact.ComponentChildren; onSignOut(): void }) {
  // The address names the site and the filters (a bookmark, a shared link); else the site last
  // looked at in this browser.
  const [siteId, setSiteId] = useState(() => {
    const named = Number(new URLSearchParams(location.search).get('site'));
    const saved = Number(localStorage.getItem(SITE));
    return [named, saved].find((id) => me.sites.some((s) => s.id === id)) ?? me.sites[0]?.id;
  });
  const site = me.sites.find((s) => s.id === siteId);
  const [tab, setTab] = useState<Tab>(() => tabOf(location.hash));
  const [filters, setFilters] = useState<Filters | null>(() => (site ? fromQuery(location.search, site.timezone) : null));
  useEffect(() => {
    const onHash = () => setTab(tabOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  // Replaced, not pushed: typing a search would otherwise leave a history entry per letter.
  useEffect(() => {
    if (site && filters) history.replaceState(null, '', `?${toQuery(site.id, filters, site.timezone)}${location.hash}`);
  }, [site, filters]);
  const ctx = useMemo(() => site && { api, site, w }, [api, site, w]);
  // Only what is set goes to the API: it refuses empty filter values.
  const params = useMemo(() => Object.fromEntries(Object.entries(filters ?? {}).filter(([, v]) => v !== '')), [filters]);

  return (
    <div class="shell">
      <header class="top">
        <h1 class="brand">
          <span class="logo" aria-hidden="true" />
          {w.t('title')}
        </h1>
        {me.sites.length > 1 ? (
          <select
            class="site-picker"
            name="site"
            aria-label={w.t('site')}
            value={siteId}
            onChange={(e) => {
              const id = Number(e.currentTarget.value);
              const next = me.sites.find((s) => s.id === id)!;
              localStorage.setItem(SITE, String(id));
              setSiteId(id);
              setFilters(emptyFilters(next.timezone));
            }}
          >
            {me.sites.map((s) => (
              <option value={s.id}>{s.name}</option>
            ))}
          </select>
        ) : (
          site && <span class="site-name">{site.name}</span>
        )}
        <nav class="tabs">
          {(['reports', 'journal'] as const).map((t) => (
            <a href={`#${t}`} class={tab === t ? 'on' : ''} aria-current={tab === t ? 'page' : undefined}>
              {w.t(t)}
            </a>
          ))}
        </nav>
        <div class="top-end">
          {langSwitch}
          <button type="button" class="link" id="sign-out" onClick={onSignOut}>
            {w.t('signOut')}
          </button>
        </div>
      </header>
      {ctx && filters ? (
        <Ctx.Provider value={ctx}>
          <main class="content">
            <FilterBar value={filters} onChange={setFilters} />
            {tab === 'journal' ? <Journal key={site!.id} params={params} /> : <Reports key={site!.id} params={params} />}
          </main>
        </Ctx.Provider>
      ) : (
        <p class="empty">No sites.</p>
      )}
    </div>
  );
}
