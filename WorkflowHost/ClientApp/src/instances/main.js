// The instance viewer (administrators): the list of recent instances, and one instance's diagram with the
// path taken and the current tokens highlighted, its journal, variables, and incidents with retry.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './instances.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { append, h, notice, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';
import { translateModule } from '../designer/translations.js';

define({
  'instances.title': ['流程实例', 'Process instances'],
  'instances.process': ['流程', 'Process'],
  'instances.all': ['全部流程', 'All processes'],
  'instances.activeOnly': ['只看进行中', 'Active only'],
  'instances.id': ['实例', 'Instance'],
  'instances.version': ['版本', 'Version'],
  'instances.businessKey': ['业务键', 'Business key'],
  'instances.status': ['状态', 'Status'],
  'instances.started': ['开始时间', 'Started'],
  'instances.ended': ['结束时间', 'Ended'],
  'instances.incidents': ['故障', 'Incidents'],
  'instances.none': ['没有流程实例', 'No instances'],
  'instances.back': ['← 返回列表', '← Back to the list'],
  'instances.openDesigner': ['在设计器中打开此版本', 'Open this version in the designer'],
  'instances.journal': ['执行日志', 'Journal'],
  'instances.variables': ['流程变量', 'Variables'],
  'instances.at': ['时间', 'Time'],
  'instances.kind': ['事件', 'Event'],
  'instances.element': ['元素', 'Element'],
  'instances.user': ['操作人', 'By'],
  'instances.detail': ['详情', 'Detail'],
  'instances.name': ['名称', 'Name'],
  'instances.value': ['值', 'Value'],
  'instances.message': ['原因', 'Message'],
  'instances.retry': ['重试', 'Retry'],
  'instances.retried': ['已重试 {element}', 'Retried {element}'],
  'instances.noIncidents': ['没有故障', 'No incidents'],
  'instances.legend': ['图例：', 'Legend:'],
  'instances.legend.done': ['已完成', 'Completed'],
  'instances.legend.active': ['当前所在', 'Current token'],
  'instances.legend.incident': ['故障', 'Incident'],
  'instances.jobs': ['待执行作业', 'Pending jobs'],
  'instances.showVariables': ['显示变量变化', 'Show variable changes'],
  'instanceStatus.Active': ['进行中', 'Active'],
  'instanceStatus.Completed': ['已完成', 'Completed'],
  'instanceStatus.Terminated': ['已终止', 'Terminated'],
  'instanceStatus.Cancelled': ['已取消', 'Cancelled'],
  'journal.ProcessStarted': ['流程开始', 'Process started'],
  'journal.ProcessCompleted': ['流程结束', 'Process completed'],
  'journal.ProcessTerminated': ['流程终止', 'Process terminated'],
  'journal.ElementEntered': ['进入', 'Entered'],
  'journal.ElementCompleted': ['完成', 'Completed'],
  'journal.ElementCancelled': ['取消', 'Cancelled'],
  'journal.VariableSet': ['设置变量', 'Variable set'],
  'journal.TaskAssigned': ['任务分配', 'Task assigned'],
  'journal.Incident': ['故障', 'Incident'],
  'journal.Migrated': ['迁移版本', 'Migrated'],
});

const { main } = await mountLayout({ page: 'instances', title: 'instances.title', roles: ['administrator'] });
if (main) {
  const id = new URLSearchParams(location.search).get('id');
  await (id ? showInstance(main, id) : showList(main));
}

async function showList(main) {
  const params = new URLSearchParams(location.search);
  const definitions = await api('/api/process-definitions');
  const keys = [...new Set(definitions.map((d) => d.key))].sort();
  const processSelect = h('select', { id: 'instance-process' }, h('option', { value: '' }, t('instances.all')), keys.map((key) => h('option', { value: key }, key)));
  processSelect.value = params.get('key') ?? '';
  const active = h('input', { type: 'checkbox', id: 'instance-active', checked: params.get('active') === 'true' });
  const table = h('div', { id: 'instance-list' });
  const load = async () => {
    const query = new URLSearchParams({ limit: '200' });
    if (processSelect.value) {
      query.set('key', processSelect.value);
    }
    if (active.checked) {
      query.set('active', 'true');
    }
    const instances = await api(`/api/designer/instances?${query}`);
    replace(table, instances.length === 0 ? h('p', { class: 'muted' }, t('instances.none')) : h('table', { class: 'grid' },
      h('thead', null, h('tr', null, ['instances.id', 'instances.process', 'instances.version', 'instances.status', 'instances.started', 'instances.ended', 'instances.incidents'].map((k) => h('th', null, t(k))))),
      h('tbody', null, instances.map((i) => h('tr', { dataset: { instanceId: i.id } },
        h('td', null, h('a', { href: `/instances/?id=${encodeURIComponent(i.id)}` }, i.id)),
        h('td', null, i.definitionKey),
        h('td', null, `v${i.definitionVersion}`),
        h('td', null, h('span', { class: `badge status-${i.status}` }, t(`instanceStatus.${i.status}`))),
        h('td', null, formatDateTime(i.startedAt)),
        h('td', null, formatDateTime(i.endedAt)),
        h('td', null, i.incidents ? h('span', { class: 'badge badge-error' }, String(i.incidents)) : ''))))));
  };
  processSelect.addEventListener('change', load);
  active.addEventListener('change', load);
  append(main,
    h('h1', null, t('instances.title')),
    h('div', { class: 'toolbar card' }, h('label', { for: 'instance-process', class: 'inline' }, t('instances.process')), processSelect,
      h('label', { class: 'inline' }, active, ' ', t('instances.activeOnly'))),
    table);
  await load();
}

async function showInstance(main, id) {
  const message = h('div', { id: 'instance-message' });
  const canvas = h('div', { id: 'instance-canvas', class: 'instance-canvas' });
  const header = h('div', { id: 'instance-header', class: 'card' });
  const incidents = h('div', { id: 'instance-incidents' });
  const journal = h('div', { id: 'instance-journal' });
  const variables = h('div', { id: 'instance-variables' });
  const jobs = h('div', { id: 'instance-jobs' });
  append(main,
    h('p', null, h('a', { href: '/instances/' }, t('instances.back'))),
    header, message,
    h('div', { class: 'legend muted' }, t('instances.legend'), ' ',
      h('span', { class: 'swatch swatch-done' }), t('instances.legend.done'), ' ',
      h('span', { class: 'swatch swatch-active' }), t('instances.legend.active'), ' ',
      h('span', { class: 'swatch swatch-incident' }), t('instances.legend.incident')),
    canvas,
    h('h2', null, t('instances.incidents')), incidents,
    h('h2', null, t('instances.jobs')), jobs,
    h('h2', null, t('instances.journal')),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', id: 'journal-variables', onchange: (event) => journal.classList.toggle('show-variables', event.target.checked) }), ' ', t('instances.showVariables')),
    journal,
    h('h2', null, t('instances.variables')), variables);

  const viewer = new NavigatedViewer({ container: canvas, additionalModules: [translateModule] });
  let loadedVersion = null;

  const refresh = async () => {
    let view;
    try {
      view = await api(`/api/designer/instances/${encodeURIComponent(id)}`);
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
      return;
    }
    const instance = view.instance;
    if (loadedVersion !== instance.definitionId) {
      const xml = await api(`/api/process-definitions/${encodeURIComponent(instance.definitionKey)}/versions/${instance.definitionVersion}/xml`);
      await viewer.importXML(xml);
      viewer.get('canvas').zoom('fit-viewport');
      loadedVersion = instance.definitionId;
    }
    replace(header,
      h('h1', null, `${instance.definitionKey} v${instance.definitionVersion} · `, h('span', { id: 'instance-status', class: `badge status-${instance.status}` }, t(`instanceStatus.${instance.status}`))),
      h('p', { class: 'muted' }, `${t('instances.id')} ${instance.id} · ${t('instances.businessKey')} ${instance.businessKey ?? '—'} · ${t('instances.started')} ${formatDateTime(instance.startedAt)}${instance.endedAt ? ` · ${t('instances.ended')} ${formatDateTime(instance.endedAt)}` : ''}`),
      h('a', { href: `/designer/?key=${encodeURIComponent(instance.definitionKey)}&version=${instance.definitionVersion}` }, t('instances.openDesigner')));
    highlight(viewer, view);
    renderIncidents(incidents, view, refresh);
    renderJobs(jobs, view);
    renderJournal(journal, view, viewer);
    renderVariables(variables, view);
    canvas.dataset.state = 'ready';
  };
  await refresh();
}

function highlight(viewer, view) {
  const registry = viewer.get('elementRegistry');
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  overlays.remove({ type: 'cw-token' });
  for (const element of registry.getAll()) {
    for (const marker of ['cw-done', 'cw-active', 'cw-incident', 'cw-taken']) {
      canvas.removeMarker(element, marker);
    }
  }

  const entered = new Set(view.journal.filter((j) => j.kind === 'ElementEntered').map((j) => j.elementId));
  const completed = new Set(view.journal.filter((j) => j.kind === 'ElementCompleted').map((j) => j.elementId));
  for (const id of completed) {
    if (registry.get(id)) {
      canvas.addMarker(id, 'cw-done');
    }
  }
  // A flow was taken when its source completed and its target was entered.
  for (const connection of registry.filter((e) => e.type === 'bpmn:SequenceFlow')) {
    if (completed.has(connection.source?.id) && entered.has(connection.target?.id)) {
      canvas.addMarker(connection, 'cw-taken');
    }
  }

  if (view.instance.status === 'Active') {
    const active = Map.groupBy(view.tokens.filter((token) => token.elementType !== 'process' && registry.get(token.elementId)), (token) => token.elementId);
    for (const [elementId, tokens] of active) {
      canvas.removeMarker(elementId, 'cw-done');
      canvas.addMarker(elementId, 'cw-active');
      overlays.add(elementId, 'cw-token', { position: { bottom: 8, right: 8 }, html: h('div', { class: 'cw-token', title: tokens.map((x) => `${x.state} ${x.wait}`).join('\n') }, String(tokens.length)) });
    }
  }
  for (const incident of view.incidents) {
    if (registry.get(incident.elementId)) {
      canvas.addMarker(incident.elementId, 'cw-incident');
    }
  }
}

function renderIncidents(container, view, refresh) {
  if (view.incidents.length === 0) {
    replace(container, h('p', { class: 'muted' }, t('instances.noIncidents')));
    return;
  }
  replace(container, h('table', { class: 'grid', id: 'incident-list' },
    h('thead', null, h('tr', null, ['instances.element', 'instances.message', 'instances.at', ''].map((k) => h('th', null, k ? t(k) : '')))),
    h('tbody', null, view.incidents.map((incident) => h('tr', { dataset: { elementId: incident.elementId } },
      h('td', null, incident.elementId),
      h('td', null, incident.message),
      h('td', null, formatDateTime(incident.createdAt)),
      h('td', null, h('button', { type: 'button', class: 'primary retry', onclick: async (event) => {
        event.target.disabled = true;
        try {
          await api(`/api/process-instances/${encodeURIComponent(incident.processInstanceId)}/incidents/${incident.nodeId}/retry`, { method: 'POST' });
          toast('success', t('instances.retried', { element: incident.elementId }));
        } catch (error) {
          toast('error', error.fullMessage ?? error.message, 8000);
        }
        await refresh();
      } }, t('instances.retry'))))))));
}

function renderJobs(container, view) {
  replace(container, view.jobs.length === 0 ? h('p', { class: 'muted' }, t('common.none')) : h('table', { class: 'grid' },
    h('tbody', null, view.jobs.map((job) => h('tr', null, h('td', null, job.elementId), h('td', null, job.kind), h('td', null, formatDateTime(job.dueAt)), h('td', null, String(job.retries)), h('td', null, job.exceptionMessage ?? ''))))));
}

function renderJournal(container, view, viewer) {
  const registry = viewer.get('elementRegistry');
  const nameOf = (id) => registry.get(id)?.businessObject?.name;
  replace(container, h('table', { class: 'grid', id: 'journal' },
    h('thead', null, h('tr', null, ['instances.at', 'instances.kind', 'instances.element', 'instances.user', 'instances.detail'].map((k) => h('th', null, t(k))))),
    h('tbody', null, view.journal.map((entry) => h('tr', { class: `journal-${entry.kind}` },
      h('td', null, formatDateTime(entry.at)),
      h('td', null, t(`journal.${entry.kind}`)),
      h('td', null, nameOf(entry.elementId) ? `${nameOf(entry.elementId)} (${entry.elementId})` : entry.elementId),
      h('td', null, entry.userId ?? ''),
      h('td', { class: 'detail' }, entry.detail ?? ''))))));
}

function renderVariables(container, view) {
  const entries = Object.entries(view.variables).sort(([a], [b]) => a.localeCompare(b));
  replace(container, h('table', { class: 'grid', id: 'variables' },
    h('thead', null, h('tr', null, h('th', null, t('instances.name')), h('th', null, t('instances.value')))),
    h('tbody', null, entries.map(([name, value]) => h('tr', null, h('td', null, name), h('td', { class: 'detail' }, typeof value === 'string' ? value : JSON.stringify(value)))))));
}
