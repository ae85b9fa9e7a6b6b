import type { Api } from './api';
import { h } from './dom';

/** What every page gets from the shell. */
export interface Ctx {
  api: Api;
  /** a polite announcement for screen readers (action results) */
  announce(message: string): void;
  confirm(options: ConfirmOptions): Promise<boolean>;
}

/** A page: its element and what to stop when it is left. */
export interface View {
  el: HTMLElement;
  dispose(): void;
}

export interface ConfirmOptions {
  title: string;
  message: string;
  confirm: string;
}

/**
 * A confirmation in a modal <dialog>: focus is trapped in it, Escape cancels, Cancel has the focus first (a
 * stray Enter does nothing harmful); the focus goes back to the button that asked.
 */
export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
  const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId },
    h('form', { method: 'dialog' },
      h('h2', { id: titleId }, opts.title),
      h('p', null, opts.message),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', value: 'cancel', autofocus: true }, 'Keep it'),
        h('button', { type: 'submit', value: 'confirm', class: 'danger' }, opts.confirm),
      ),
    ),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'confirm';
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(ok);
    }, { once: true });
    dialog.showModal();
  });
}

/**
 * Runs `task` now and again `ms` after each run ends (never two at once); skipped while the tab is hidden and run
 * at once when it shows again. `now()` runs it out of turn (after an action), after any run under way.
 */
export function every(ms: number, task: () => Promise<void>): { stop(): void; now(): Promise<void>; setEnabled(on: boolean): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let enabled = true;
  let running: Promise<void> | null = null;
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && enabled) timer = setTimeout(() => void run(), ms);
  };
  const run = async (): Promise<void> => {
    if (stopped) return;
    if (running) return running;
    if (document.hidden) return;
    running = task().catch(() => undefined).finally(() => {
      running = null;
      schedule();
    });
    return running;
  };
  const onVisible = () => {
    if (!document.hidden && enabled) void run();
  };
  document.addEventListener('visibilitychange', onVisible);
  void run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
    // after an action: a refresh already under way may have read the state before it, so one more follows
    now: async () => {
      if (running) await running;
      return run();
    },
    setEnabled(on: boolean) {
      enabled = on;
      if (on) void run();
      else clearTimeout(timer);
    },
  };
}

/** An error message for a page: `role="alert"`, shown or hidden. */
export function errorBox(): { el: HTMLElement; show(err: unknown): void; clear(): void } {
  const el = h('p', { class: 'error', role: 'alert', hidden: true });
  return {
    el,
    show(err: unknown) {
      const text = err instanceof Error ? err.message : String(err);
      const fields = (err as { fields?: { field: string; error: string }[] }).fields ?? [];
      el.textContent = fields.length ? `${text}: ${fields.map((f) => `${f.field} ${f.error}`).join('; ')}` : text;
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      el.textContent = '';
    },
  };
}

/** The "updated at" line with the auto-refresh switch every live page has. */
export function refreshBar(onToggle: (on: boolean) => void, onRefresh: () => void): { el: HTMLElement; stamp(): void } {
  const when = h('span', { class: 'muted' }, 'loading…');
  const box = h('input', { type: 'checkbox', checked: true, onchange: (e) => onToggle((e.target as HTMLInputElement).checked) });
  const el = h('div', { class: 'refresh' },
    when,
    h('label', null, box, ' Auto-refresh'),
    h('button', { type: 'button', onclick: onRefresh }, 'Refresh now'),
  );
  return { el, stamp: () => (when.textContent = `Updated ${new Date().toTimeString().slice(0, 8)}`) };
}
