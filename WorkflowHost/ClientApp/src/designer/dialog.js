// A modal dialog (native <dialog>) with a title, a body and buttons.
import { h } from '../shared/dom.js';

export function openDialog({ id, title, body, buttons = [], wide = false, onClose }) {
  const dialog = h('dialog', { id, class: wide ? 'cw-dialog cw-dialog-wide' : 'cw-dialog' },
    h('h2', null, title),
    h('div', { class: 'cw-dialog-body' }, body),
    h('div', { class: 'cw-dialog-buttons toolbar' }, buttons.map((button) =>
      h('button', { type: 'button', id: button.id, class: button.primary ? 'primary' : null, onclick: async () => {
        const keep = await button.onClick?.();
        if (keep !== true) {
          close();
        }
      } }, button.label))));
  const close = () => {
    dialog.close();
    dialog.remove();
    onClose?.();
  };
  dialog.addEventListener('cancel', () => setTimeout(close));
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close };
}
