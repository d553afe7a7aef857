// The form of a user task, designed with form-js's editor. The schema stays with the draft (state.forms) and is
// published with the process; the task's camunda:formKey names it (camunda-forms:deployment:KEY.form).
// form-js's editor is large: it is loaded when a form is first designed, not with the designer.
const loadFormEditor = () => Promise.all([
  import('@bpmn-io/form-js'),
  import('@bpmn-io/form-js/dist/assets/form-js.css'),
  import('@bpmn-io/form-js/dist/assets/form-js-editor.css'),
]).then(([formJs]) => formJs.FormEditor);
import { getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { openDialog } from './dialog.js';

const prefix = 'camunda-forms:deployment:';

/** The form key a formKey attribute names (camunda-forms:deployment:x.form → x), or null. */
export function formKeyOf(formKey) {
  if (!formKey) {
    return null;
  }
  const name = formKey.slice(formKey.lastIndexOf(':') + 1);
  return name.endsWith('.form') ? name.slice(0, -5) : name;
}

/** A form key made from a task id: lower-case letters, digits and hyphens. */
export function suggestKey(processKey, taskId) {
  return `${processKey}-${taskId}`.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'form';
}

export function installFormDesigner(modeler, state) {
  modeler.get('eventBus').on('cw.form.design', async ({ element }) => {
    const bo = getBusinessObject(element);
    const key = formKeyOf(bo.get('camunda:formKey')) ?? suggestKey(state.key ?? 'process', bo.id);
    let schema = state.forms[key];
    if (!schema) {
      schema = await api(`/api/designer/forms/${encodeURIComponent(key)}`).catch((error) => {
        if (error.status === 404) {
          return { type: 'default', id: key, components: [] };
        }
        throw error;
      });
    }

    const keyInput = h('input', { id: 'form-key', value: key, pattern: '[a-z0-9][a-z0-9-]{0,63}' });
    const message = h('div', { id: 'form-message' });
    const container = h('div', { id: 'form-editor', class: 'form-editor' });
    const FormEditor = await loadFormEditor();
    const editor = new FormEditor({ container });
    const { close } = openDialog({
      id: 'form-designer',
      title: t('designer.formTitle', { name: bo.name || bo.id }),
      wide: true,
      body: [h('label', { for: 'form-key' }, t('designer.formKey')), keyInput, message, container],
      buttons: [
        { id: 'form-save', label: t('designer.formApply'), primary: true, onClick: () => {
          const newKey = keyInput.value.trim();
          if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(newKey)) {
            replace(message, notice('error', t('designer.formKeyInvalid')));
            return true;
          }
          const saved = editor.saveSchema();
          saved.id = newKey;
          state.forms[newKey] = saved;
          modeler.get('modeling').updateProperties(element, { 'camunda:formKey': `${prefix}${newKey}.form` });
          state.markDirty();
          return false;
        } },
        { label: t('common.cancel') },
      ],
      onClose: () => editor.destroy(),
    });
    try {
      await editor.importSchema(schema);
    } catch (error) {
      replace(message, notice('error', String(error?.message ?? error)));
    }
    return close;
  });
}
