/**
 * A few DOM helpers instead of a framework. Text always goes in as text nodes (never innerHTML): job output and
 * every other value comes from devices and users.
 */
export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((event: Event) => void);
export type Attrs = Record<string, AttrValue>;

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
}

/** An HTML element: `h('button', { type: 'button', onclick: go }, 'Go')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (attributes only, no style: the page's CSP allows no inline style). */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Sets text only when it changed, so a refresh that changes nothing touches nothing (screen readers, selection). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A row of a keyed list: made once per key, updated in place on every refresh. */
export interface Keyed<T> {
  el: Element;
  update(item: T): void;
}

/**
 * Makes parent's children the rows of items, in order, reusing the row of each key: a row that stays is never
 * removed and re-added, so the focus on its buttons and links survives a refresh.
 */
export function reconcile<T>(parent: Element, items: T[], key: (item: T) => string, rows: Map<string, Keyed<T>>, create: (item: T) => Keyed<T>): void {
  const seen = new Set<string>();
  let previous: Element | null = null;
  for (const item of items) {
    const k = key(item);
    seen.add(k);
    let row = rows.get(k);
    if (!row) {
      row = create(item);
      rows.set(k, row);
    }
    row.update(item);
    const expected: ChildNode | null = previous ? previous.nextSibling : parent.firstChild;
    if (expected !== row.el) parent.insertBefore(row.el, expected);
    previous = row.el;
  }
  for (const [k, row] of rows) {
    if (!seen.has(k)) {
      row.el.remove();
      rows.delete(k);
    }
  }
}

/** A status shown as a coloured badge with its word (colour is never the only signal). */
export function badge(status: string, label = status): HTMLSpanElement {
  return h('span', { class: `badge st-${status.replace(/[^a-z_-]/gi, '')}` }, label);
}

export function updateBadge(el: HTMLElement, status: string, label = status): void {
  const cls = `badge st-${status.replace(/[^a-z_-]/gi, '')}`;
  if (el.className !== cls) el.className = cls;
  setText(el, label);
}
