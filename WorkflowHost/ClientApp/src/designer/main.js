import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import lintConfig from 'virtual:bpmnlint-config';
import { mountLayout } from '../shared/layout.js';
import { h } from '../shared/dom.js';

const { main } = await mountLayout({ page: 'designer', title: 'nav.designer', roles: ['administrator'], wide: true });
if (main) {
  const canvas = h('div', { id: 'canvas', style: { height: '600px' } });
  main.append(canvas);
  const modeler = new BpmnModeler({ container: canvas });
  await modeler.createDiagram();
  console.log(Object.keys(lintConfig.config.rules).length);
}
