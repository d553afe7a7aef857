// The bpmn-js Modeler as the designer uses it: Camunda 7 moddle and properties panel, element templates,
// our pickers, the linter (bpmnlint rules bundled from .bpmnlintrc) and the Chinese translation.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { ElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import lintModule from 'bpmn-js-bpmnlint';
import lintConfig from 'virtual:bpmnlint-config';
import { translateModule } from './translations.js';
import { pickersModule } from './providers.js';

export function createModeler({ canvas, properties, templates, taskGroups, assignees }) {
  return new BpmnModeler({
    container: canvas,
    propertiesPanel: { parent: properties },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      CamundaBehaviorsModule,
      ElementTemplatesPropertiesProviderModule,
      lintModule,
      pickersModule,
      translateModule,
    ],
    moddleExtensions: { camunda: camundaModdle },
    elementTemplates: templates,
    linting: { bpmnlint: lintConfig, active: false },
    cwDirectory: { taskGroups, assignees },
  });
}

/**
 * Marks service tasks that call one of our activities (camunda:delegateExpression="${name}") with the
 * activity's template, so the panel shows its typed fields; done on the model directly (not a change to undo).
 */
export function linkTemplates(modeler) {
  const templates = modeler.get('elementTemplates');
  for (const element of modeler.get('elementRegistry').filter((e) => e.type === 'bpmn:ServiceTask')) {
    const bo = element.businessObject;
    const match = /^\$\{\s*([\w.]+)\s*\}$/.exec(bo.get('camunda:delegateExpression') ?? '');
    if (!match || bo.get('camunda:modelerTemplate')) {
      continue;
    }
    const [template] = templates.getLatest('cw.' + match[1]);
    if (template) {
      bo.set('camunda:modelerTemplate', template.id);
      bo.set('camunda:modelerTemplateVersion', template.version);
    }
  }
}
