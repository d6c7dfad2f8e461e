// A tiny element builder: the page is small enough that plain DOM calls stay readable, and a
// framework's runtime would be most of the bundle (docs/adr/0800).

type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attrs = Readonly<Record<string, string | number | boolean | null | undefined | EventListener>>;

/**
 * Creates an element: attributes (`on<event>` become listeners, `true` an empty attribute,
 * `false`/`null` nothing) and children (arrays flattened, falsy skipped).
 *
 * @example
 * h('button', { class: 'act', onclick: () => run() }, 'Begin downtime')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c as readonly Child[]);
    else el.append(typeof c === 'object' ? (c as Node) : String(c));
  }
}
