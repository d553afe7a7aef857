// Checking a diagram: bpmnlint's rules in the page and the engine's executable validation on the server
// (POST /api/validate), merged into one list, shown under the diagram and on the elements themselves.
import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { define, t } from '../shared/i18n.js';

define({
  'problems.title': ['问题', 'Problems'],
  'problems.none': ['没有发现问题', 'No problems found'],
  'problems.notChecked': ['尚未校验：点击“校验”或“发布新版本”检查流程', 'Not checked yet: use Check or Publish'],
  'problems.error': ['错误', 'Error'],
  'problems.warning': ['警告', 'Warning'],
  'problems.info': ['提示', 'Info'],
  'problems.lint': ['建模规范', 'Modelling rule'],
  'problems.engine': ['引擎校验', 'Engine'],
  'problems.count': ['{errors} 个错误，{warnings} 个警告，{infos} 个提示', '{errors} error(s), {warnings} warning(s), {infos} info'],
});

const overlayType = 'cw-finding';
const rank = { error: 0, warning: 1, info: 2 };
const badges = { error: 'badge badge-error', warning: 'badge badge-warn', info: 'badge badge-info' };
const lintMessages = {
  'label-required': '元素缺少名称',
  'start-event-required': '流程缺少开始事件',
  'end-event-required': '流程缺少结束事件',
  'no-disconnected': '元素未与流程连接',
  'no-implicit-split': '活动有多条无条件的出口连线，请使用网关',
  'no-implicit-start': '元素没有入口连线',
  'no-implicit-end': '元素没有出口连线',
  'conditional-flows': '网关的出口连线缺少条件或默认连线',
  'no-duplicate-sequence-flows': '存在重复的连线',
  'no-gateway-join-fork': '网关同时汇聚和分叉',
  'fake-join': '活动有多条入口连线，请使用汇聚网关',
  'single-blank-start-event': '只能有一个空白开始事件',
  'superfluous-gateway': '网关只有一条入口和一条出口，可以删除',
  'no-complex-gateway': '不支持复杂网关',
  'no-inclusive-gateway': '包容网关需谨慎使用',
  'event-based-gateway': '事件网关的出口必须连接捕获事件',
  'no-bpmndi': '元素缺少图形信息',
  'single-event-definition': '事件只能有一个事件定义',
  'link-event': '链接事件须成对且名称一致',
  'sub-process-blank-start-event': '子流程须有空白开始事件',
  'superfluous-termination': '终止结束事件是多余的',
};

/** The engine's level of a finding: 'error', 'warning' or 'info' (older answers carry only severity/isError). */
export function levelOf(finding) {
  if (finding.level) {
    return finding.level;
  }
  return finding.isError || finding.severity === 'Error' ? 'error' : finding.severity === 'Info' ? 'info' : 'warning';
}

/** Runs both checks; answers [{ severity: 'error'|'warning'|'info', source: 'lint'|'engine', elementId, message, rule|code }]. */
export async function checkDiagram(modeler, xml) {
  const linting = modeler.get('linting');
  linting.toggle(true);
  const issues = await linting.lint();
  const found = [];
  for (const [rule, reports] of Object.entries(issues)) {
    for (const report of reports) {
      if (report.category === 'info') {
        continue;
      }
      const chinese = lintMessages[rule];
      found.push({
        severity: report.category === 'error' || report.category === 'rule-error' ? 'error' : 'warning',
        source: 'lint',
        elementId: report.id,
        rule,
        message: chinese ? `${chinese} (${report.message})` : report.message,
      });
    }
  }

  const report = await api('/api/validate', { body: xml, contentType: 'application/xml' });
  for (const finding of report.findings) {
    found.push({
      severity: levelOf(finding),
      source: 'engine',
      elementId: finding.elementId,
      code: finding.code,
      message: finding.message,
      line: finding.line,
    });
  }
  return found;
}

/** Shows the problems under the diagram (click: select the element) and marks the elements the engine found fault with. */
export function showProblems(container, modeler, found) {
  const overlays = modeler.get('overlays');
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  overlays.remove({ type: overlayType });
  for (const element of registry.getAll()) {
    canvas.removeMarker(element, 'cw-has-error');
    canvas.removeMarker(element, 'cw-has-warning');
  }

  if (!found) {
    replace(container, h('h3', null, t('problems.title')), h('p', { class: 'muted' }, t('problems.notChecked')));
    return;
  }

  const errors = found.filter((p) => p.severity === 'error').length;
  const infos = found.filter((p) => p.severity === 'info').length;
  const warnings = found.length - errors - infos;
  // Info findings (a JUEL expression translated, say) are listed but do not mark the diagram.
  const byElement = Map.groupBy(found.filter((p) => p.source === 'engine' && p.severity !== 'info' && p.elementId && registry.get(p.elementId)), (p) => p.elementId);
  for (const [id, list] of byElement) {
    const worst = list.some((p) => p.severity === 'error') ? 'error' : 'warning';
    canvas.addMarker(id, worst === 'error' ? 'cw-has-error' : 'cw-has-warning');
    overlays.add(id, overlayType, {
      position: { bottom: -4, left: -4 },
      html: h('div', { class: `cw-finding cw-finding-${worst}`, title: list.map((p) => p.message).join('\n') }, worst === 'error' ? '!' : '?'),
    });
  }

  const rows = found
    .sort((a, b) => rank[a.severity] - rank[b.severity])
    .map((p) => h('tr', { class: `problem problem-${p.severity}`, dataset: { elementId: p.elementId ?? '', source: p.source }, onclick: () => select(modeler, p.elementId) },
      h('td', null, h('span', { class: badges[p.severity] }, t(`problems.${p.severity}`))),
      h('td', null, t(p.source === 'lint' ? 'problems.lint' : 'problems.engine')),
      h('td', null, elementLabel(registry, p.elementId)),
      h('td', null, p.message)));
  replace(container,
    h('h3', null, t('problems.title'), ' ', h('span', { id: 'problem-count', class: errors ? 'badge badge-error' : 'badge badge-ok' }, t('problems.count', { errors, warnings, infos }))),
    found.length ? h('table', { class: 'grid', id: 'problem-list' }, h('tbody', null, rows)) : h('p', { class: 'muted' }, t('problems.none')));
}

function elementLabel(registry, id) {
  if (!id) {
    return '';
  }
  const element = registry.get(id);
  const name = element?.businessObject?.name;
  return name ? `${name} (${id})` : id;
}

function select(modeler, id) {
  const element = id && modeler.get('elementRegistry').get(id);
  if (element) {
    modeler.get('selection').select(element);
    modeler.get('canvas').scrollToElement(element);
  }
}
