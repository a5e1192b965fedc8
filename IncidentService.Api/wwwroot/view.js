// Small DOM and time helpers for the live view.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A moment in the viewer's own zone. */
export function when(date) {
  return format.format(date);
}

/** Seconds as the largest unit that fits: "42 s", "5 min", "3 h", "2 d". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export function ago(date) {
  return `${duration((Date.now() - date.getTime()) / 1000)} ago`;
}
