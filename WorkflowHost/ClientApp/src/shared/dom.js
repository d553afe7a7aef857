// Building the DOM without innerHTML: text is always text, so complaint text with HTML or script in it
// shows as written.

/**
 * h('button', { class: 'primary', onclick: fn, dataset: { id } }, 'text', childNode, [more]) creates an element.
 * Attributes named on* take listeners; `dataset` and `style` objects are assigned; null/false attributes are left out.
 */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset' || name === 'style') {
      Object.assign(element[name], value);
    } else if (name === 'class') {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  appendAll(element, children);
  return element;
}

/** Appends children (nodes, text, arrays; null/false left out). */
export function append(element, ...children) {
  appendAll(element, children);
  return element;
}

function appendAll(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      appendAll(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces an element's content. */
export function replace(element, ...children) {
  element.replaceChildren();
  appendAll(element, children);
  return element;
}

/** A message bar: kind is 'info', 'success', 'warning' or 'error'. Text keeps its line breaks. */
export function notice(kind, text) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** A short-lived message at the bottom of the window. */
export function toast(kind, text, milliseconds = 4000) {
  let host = document.getElementById('cw-toasts');
  if (!host) {
    host = h('div', { id: 'cw-toasts', class: 'toasts', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const item = notice(kind, text);
  host.append(item);
  setTimeout(() => item.remove(), milliseconds);
  return item;
}
