import { Api, ApiError } from '../api';
import { View } from '../context';
import { h } from '../dom';

/** The sign-in form: the key is tried against GET /job before it is kept (in this tab's session storage only). */
export function signInView(base: URL, notice: string | null, onKey: (key: string) => void): View {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'key-help' });
  const message = h('p', { class: 'error', role: 'alert', hidden: !notice }, notice ?? '');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  // method=post with form-action 'none' in the page's CSP: were this script not running, the browser would refuse
  // to submit rather than put the key in a URL.
  const form = h('form', { class: 'signin', method: 'post' },
    h('h1', { tabindex: -1 }, 'Sign in to NetPulse'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { id: 'key-help', class: 'muted' },
      'Any key of NETPULSE_API_KEYS (npm run dev prints one). It is kept in this browser tab only (session storage) and sent in the X-API-KEY header to the API at ',
      h('span', { class: 'mono' }, base.href), '.'),
    message,
    button,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    message.hidden = true;
    new Api(base, key).get('job', { limit: 1 })
      .then(() => onKey(key))
      .catch((err: unknown) => {
        message.textContent = err instanceof ApiError && err.status === 401
          ? 'That key was refused.'
          : `Could not reach the API: ${err instanceof Error ? err.message : String(err)}`;
        message.hidden = false;
        button.disabled = false;
        input.focus();
        input.select();
      });
  });
  queueMicrotask(() => input.focus());
  return { el: h('section', { class: 'page narrow' }, form), dispose: () => undefined };
}
