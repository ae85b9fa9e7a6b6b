import { Api, apiBaseOf } from './api';
import { Ctx, View, confirmDialog } from './context';
import { healthView } from './views/health';
import { jobView } from './views/job';
import { jobsView } from './views/jobs';
import { signInView } from './views/signin';
import { workersView } from './views/workers';

/**
 * The dashboard's shell: sign-in, hash routes (#/jobs, #/job/ID, #/workers, #/health: no server routes needed, so
 * any prefix works), one page at a time, each stopping its timers and streams when left.
 */
const KEY_STORAGE = 'netpulse.apiKey';
// The script is served at <API root>/ui/app-<hash>.js: the API is one level up, whatever prefix a proxy adds.
const base = apiBaseOf(import.meta.url);
const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const signOut = document.getElementById('signout') as HTMLButtonElement;
const announcer = document.getElementById('announce') as HTMLElement;

let current: View | null = null;
let notice: string | null = null;

function show(view: View, focusHeading: boolean): void {
  current?.dispose();
  current = view;
  main.replaceChildren(view.el);
  if (focusHeading) view.el.querySelector<HTMLElement>('h1')?.focus({ preventScroll: false });
}

function context(key: string): Ctx {
  const api = new Api(base, key, () => {
    sessionStorage.removeItem(KEY_STORAGE);
    notice = 'The API refused the key (it may have been rotated): sign in again.';
    route(false);
  });
  return {
    api,
    announce: (message) => {
      announcer.textContent = '';
      // a change the next frame, so the same message twice is announced twice
      requestAnimationFrame(() => (announcer.textContent = message));
    },
    confirm: confirmDialog,
  };
}

let ctx: Ctx | null = null;

function route(focusHeading: boolean): void {
  const key = sessionStorage.getItem(KEY_STORAGE);
  nav.hidden = !key;
  signOut.hidden = !key;
  if (!key) {
    ctx = null;
    show(signInView(base, notice, (k) => {
      sessionStorage.setItem(KEY_STORAGE, k);
      notice = null;
      if (!location.hash || location.hash === '#/') location.hash = '#/jobs';
      route(true);
    }), false);
    return;
  }
  if (!ctx) ctx = context(key);
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const section = parts[0] === 'job' ? 'jobs' : parts[0] ?? 'jobs';
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (parts[0] === 'job' && parts[1]) {
    show(jobView(ctx, decodeURIComponent(parts[1])), focusHeading);
    document.title = `Job ${decodeURIComponent(parts[1])} · NetPulse`;
  } else if (parts[0] === 'workers') {
    show(workersView(ctx), focusHeading);
    document.title = 'Workers · NetPulse';
  } else if (parts[0] === 'health') {
    show(healthView(ctx), focusHeading);
    document.title = 'Health · NetPulse';
  } else {
    show(jobsView(ctx, new URLSearchParams(query)), focusHeading);
    document.title = 'Jobs · NetPulse';
  }
}

signOut.addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  notice = 'Signed out.';
  route(false);
});
window.addEventListener('hashchange', () => route(true));
route(false);
