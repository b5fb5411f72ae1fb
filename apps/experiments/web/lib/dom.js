// DOM helpers for the page. Every user-provided string goes in as text (text nodes, attributes),
// never as HTML.

/** An element with attributes (on* keys become listeners) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v != null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** A number for a table cell: strings (NaN, Infinity as sent by the API) as they are. */
export const num = (v) => (v == null ? '' : typeof v === 'string' ? v : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5))));

export const paramText = (params) => Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : JSON.stringify(v)}`).join(' ');

/** The page's own addresses (hash routes). */
export const pages = {
  run: (id) => `#/run/${encodeURIComponent(id)}`,
  explore: (id) => `#/explore/${encodeURIComponent(id)}`,
  sweep: (name) => `#/sweep/${encodeURIComponent(name)}`,
  compare: (ids) => `#/compare?ids=${ids.map(encodeURIComponent).join(',')}`,
};

export const runLink = (r) => el('a', { href: pages.run(r.id) }, r.name);
