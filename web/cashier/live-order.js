import { useCallback, useEffect, useRef, useState } from '/web/vendor/preact-htm.mjs';
import { api, rememberReadPosition } from '/web/shared/api.js';

/**
 * Everything the cashier shows about one order, kept current by the order's server-sent event stream
 * (/v1/orders/:no/stream): each status change there re-reads the order once. No polling.
 */
export function useLiveOrder(orderNo, token, client, onUnauthorized) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [live, setLive] = useState(false);
  const shownStatus = useRef(null);

  const load = useCallback(async () => {
    try {
      const get = (path) => api(path, { token });
      const [order, payments, methods, me] = await Promise.all([
        get(`/v1/orders/${orderNo}`),
        get(`/v1/orders/${orderNo}/payments`),
        get(`/v1/orders/${orderNo}/payment-methods?client=${encodeURIComponent(client)}`),
        get('/v1/me').catch(() => null), // the balance, for members; staff opening the page just do not see it
      ]);
      shownStatus.current = order.status;
      setData({ order, payments, methods, me });
      setError(null);
    } catch (err) {
      if (err.status === 401) onUnauthorized();
      else setError(err);
    }
  }, [orderNo, token, client]);

  useEffect(() => {
    if (!token) return undefined;
    load();
    // EventSource cannot send headers: the canonical stream takes the token as ?access_token=
    const stream = new EventSource(`/v1/orders/${orderNo}/stream?access_token=${encodeURIComponent(token)}`);
    // the first event of each connection repeats the current status: only a different one is news. Every later
    // event is news, also with the same status (staff changed the price of the order waiting here)
    let repeat = true;
    stream.addEventListener('open', () => {
      repeat = true;
      setLive(true);
    });
    stream.addEventListener('error', () => setLive(false));
    stream.addEventListener('status', (event) => {
      const update = JSON.parse(event.data);
      // the re-read must see this change even when a read replica has not replayed it yet
      rememberReadPosition(update.readPosition);
      if (!repeat || update.status !== shownStatus.current) load();
      repeat = false;
    });
    return () => stream.close();
  }, [orderNo, token, load]);

  return { data, error, live, reload: load, setData };
}
