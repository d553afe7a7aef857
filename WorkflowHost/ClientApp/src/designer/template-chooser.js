// Choosing one of our activities for a task: opened by the properties panel's "选择" (Select) template button.
import { h, replace } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import { openDialog } from './dialog.js';

export function installTemplateChooser(modeler) {
  const eventBus = modeler.get('eventBus');
  const elementTemplates = modeler.get('elementTemplates');
  eventBus.on('elementTemplates.select', (event) => {
    const element = event.element;
    const templates = elementTemplates.getLatest(element);
    const search = h('input', { id: 'template-search', type: 'search', placeholder: t('designer.templateSearch') });
    const list = h('div', { id: 'template-list', class: 'template-list' });
    let dialog;
    const render = () => {
      const q = search.value.trim().toLowerCase();
      const shown = templates.filter((template) => !q || `${template.name} ${template.description} ${template.id}`.toLowerCase().includes(q));
      const byCategory = Map.groupBy(shown, (template) => template.category?.name ?? '');
      replace(list, [...byCategory].map(([category, items]) => h('section', null,
        h('h3', null, category),
        items.map((template) => h('button', {
          type: 'button', class: 'template-item', dataset: { templateId: template.id },
          onclick: () => {
            elementTemplates.applyTemplate(element, template);
            dialog.close();
          },
        }, h('strong', null, template.name), h('span', { class: 'muted' }, template.description))))));
    };
    search.addEventListener('input', render);
    render();
    dialog = openDialog({ id: 'template-chooser', title: t('designer.templateTitle'), body: [search, list], wide: true, buttons: [{ label: t('common.cancel') }] });
    search.focus();
  });
}
