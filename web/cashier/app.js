import { html, render } from '/web/vendor/preact-htm.mjs';

render(html`<p>cashier</p>`, document.getElementById('app'));
