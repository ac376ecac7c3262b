import {
  createContext,
  html,
  useCallback,
  useContext,
  useLayoutEffect,
  useRef,
  useState,
} from '/web/vendor/preact-htm.mjs';
import { yuan } from '/web/shared/money.js';

/** The console's translator `t(key, vars)`, given by the shell to every view. */
export const I18n = createContext({ t: (key) => key, lang: 'en' });
export const useT = () => useContext(I18n).t;

/** Loads with `load()` when `deps` change; `reload()` loads again (after an action). */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  // only the newest load may show: a slower earlier answer (say, a live re-read of the old date range) is dropped
  const latest = useRef(0);
  const run = useCallback(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    return load().then(
      (data) => id === latest.current && setState({ data, error: null, loading: false }),
      (error) => id === latest.current && setState({ data: null, error, loading: false }),
    );
  }, deps);
  // started as the new deps are drawn, not after the next paint: from then on an answer to older deps is dropped
  useLayoutEffect(() => {
    run();
  }, [run]);
  return { ...state, reload: run };
}

/**
 * Runs a console action (an API call) with busy state and the error shown in place; `then` runs after success.
 * Returns [run, busy, error].
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (action, then) => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      if (then) await then(result);
      return result;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return [run, busy, error];
}

export function ErrorNote({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.message}${error.code && error.code !== 'network' ? html` <code>${error.code}</code>` : ''}</p>`;
}

/** Whether the page is following changes as they happen (its event stream is connected). */
export function LiveNote({ live }) {
  const t = useT();
  if (live === null) return null;
  return html`<span class=${live ? 'live-note on' : 'live-note'} data-testid="live" data-live=${String(live)}>● ${t(live ? 'common.live' : 'common.offline')}</span>`;
}

export const Money = ({ fen }) => html`<span class="money">¥${yuan(fen ?? 0)}</span>`;

/** Yuan as typed ("12.5") to fen, without floating point; null when it is not an amount. */
export function toFen(text) {
  const m = /^\s*(\d{1,10})(?:\.(\d{1,2}))?\s*$/.exec(text ?? '');
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

const pad = (n) => String(n).padStart(2, '0');
/** An instant in the browser's local time, yyyy-MM-dd HH:mm. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function StatusBadge({ kind, value }) {
  const t = useT();
  return html`<span class=${`badge badge-${value}`} data-status=${value}>${t(`${kind}.${value}`)}</span>`;
}

/** A label that falls back to the raw code when the dictionary has no entry (event names, methods). */
export function labelOr(t, key, raw) {
  const text = t(key);
  return text === key ? raw : text;
}

export function Link({ href, children, ...rest }) {
  const onClick = (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} onClick=${onClick} ...${rest}>${children}</a>`;
}

export function navigate(href) {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}
