import { useEffect, useRef, useState } from '/web/vendor/preact-htm.mjs';
import { rememberReadPosition } from '/web/shared/api.js';
import { currentSession } from './session.js';

/**
 * Calls `onChange(orderNos)` when orders of the merchant are placed or change, from the console's event stream
 * (/v1/admin/orders/stream; EventSource cannot send headers, so the token goes as access_token). A burst of
 * changes is taken together after `quietMs`. Returns whether the stream is connected (null while it connects), for
 * the page to say so.
 */
export function useOrderChanges(onChange, quietMs = 300) {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [live, setLive] = useState(null);
  useEffect(() => {
    const token = encodeURIComponent(currentSession()?.token ?? '');
    const stream = new EventSource(`/v1/admin/orders/stream?access_token=${token}`);
    const changed = new Set();
    let timer;
    stream.addEventListener('open', () => setLive(true));
    stream.addEventListener('error', () => setLive(false));
    stream.addEventListener('order', (event) => {
      const update = JSON.parse(event.data);
      // the console's re-read must see this change even when a read replica has not replayed it yet
      rememberReadPosition(update.readPosition);
      changed.add(update.orderNo);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const orderNos = [...changed];
        changed.clear();
        latest.current(orderNos);
      }, quietMs);
    });
    return () => {
      clearTimeout(timer);
      stream.close();
    };
  }, []);
  return live;
}
