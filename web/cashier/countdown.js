import { html, useEffect, useState } from '/web/vendor/preact-htm.mjs';

const two = (n) => String(n).padStart(2, '0');
const clock = (ms) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  return h ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
};

/** Time left to pay, ticking each second on the page (the server closes the order; the stream says when). */
export function Countdown({ t, expiresAt, onElapsed }) {
  const [now, setNow] = useState(Date.now());
  const left = new Date(expiresAt).getTime() - now;
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onElapsed();
  }, [left <= 0]);
  return html`<p class=${`countdown ${left <= 60_000 ? 'urgent' : ''}`} role="timer">
    ${left > 0 ? t('order.expiresIn', { time: clock(left) }) : t('order.expiredClock')}
  </p>`;
}
