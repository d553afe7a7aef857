// The process designer (administrators): open any deployed process and version or a draft, edit it with
// bpmn-js, save drafts on the server, import/export .bpmn files, check it (bpmnlint in the page and the
// engine's validation on the server, problems shown on the diagram) and publish a new version.
import './designer.css';
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { append, h, notice, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';
import { createModeler, linkTemplates } from './modeler.js';
import { installTemplateChooser } from './template-chooser.js';
import { installFormDesigner } from './form-designer.js';
import { checkDiagram, levelOf, showProblems } from './problems.js';

define({
  'designer.title': ['流程设计器', 'Process designer'],
  'designer.process': ['流程', 'Process'],
  'designer.version': ['版本', 'Version'],
  'designer.draft': ['草稿', 'Draft'],
  'designer.hasDraft': ['（有草稿）', ' (draft)'],
  'designer.open': ['打开', 'Open'],
  'designer.new': ['新建流程', 'New process'],
  'designer.import': ['导入 .bpmn', 'Import .bpmn'],
  'designer.export': ['导出 .bpmn', 'Export .bpmn'],
  'designer.save': ['保存草稿', 'Save draft'],
  'designer.discard': ['丢弃草稿', 'Discard draft'],
  'designer.check': ['校验', 'Check'],
  'designer.publish': ['发布新版本', 'Publish new version'],
  'designer.instances': ['查看实例', 'Instances'],
  'designer.opened': ['已打开 {key} {what}', 'Opened {key} {what}'],
  'designer.versionN': ['版本 {version}', 'version {version}'],
  'designer.new.name': ['新流程', 'New process'],
  'designer.dirty': ['有未保存的修改', 'Unsaved changes'],
  'designer.clean': ['无未保存的修改', 'No unsaved changes'],
  'designer.saved': ['草稿已保存（第 {revision} 次保存，{at}）', 'Draft saved (revision {revision}, {at})'],
  'designer.discarded': ['草稿已丢弃', 'Draft discarded'],
  'designer.published': ['已发布 {key} 版本 {version}', 'Published {key} version {version}'],
  'designer.unchanged': ['流程未变化，仍为版本 {version}', 'Nothing changed: still version {version}'],
  'designer.refused': ['存在 {count} 个错误，不能发布。请先修正下方列出的问题。', '{count} error(s): not published. Fix the problems listed below first.'],
  'designer.checkedOk': ['校验通过：没有错误', 'Checked: no errors'],
  'designer.importFailed': ['无法导入该文件：{message}', 'The file cannot be imported: {message}'],
  'designer.leave': ['有未保存的修改，确定离开吗？', 'You have unsaved changes. Leave anyway?'],
  'designer.templateTitle': ['选择自定义活动', 'Choose a custom activity'],
  'designer.templateSearch': ['搜索活动名称或说明', 'Search activities'],
  'designer.formTitle': ['设计表单：{name}', 'Design form: {name}'],
  'designer.formKey': ['表单标识（小写字母、数字、连字符）', 'Form key (lower-case letters, digits, hyphens)'],
  'designer.formApply': ['应用到任务', 'Apply to task'],
  'designer.formKeyInvalid': ['表单标识只能用小写字母、数字和连字符，最多 64 个字符', 'Form key: lower-case letters, digits and hyphens, at most 64'],
  'designer.newOpened': ['新流程 {key}：尚未保存或发布', 'New process {key}: not saved or published yet'],
  'designer.unsaved': ['（新）', ' (new)'],
  'designer.unsavedVersion': ['未发布', 'not published'],
  'designer.noProcess': ['没有已部署的流程', 'No deployed process'],
});

const { main } = await mountLayout({ page: 'designer', title: 'designer.title', roles: ['administrator'], wide: true });
if (main) {
  await start(main);
}

async function start(main) {
  const [definitions, drafts, templates, taskGroups, assignees] = await Promise.all([
    api('/api/process-definitions'),
    api('/api/designer/drafts'),
    api('/api/designer/element-templates'),
    api('/api/designer/task-groups'),
    api('/api/designer/assignees'),
  ]);

  const state = {
    key: null,
    name: null,
    basedOnVersion: null,
    revision: 0,
    forms: {},
    dirty: false,
    definitions,
    drafts,
    markDirty: () => setDirty(true),
  };

  const processSelect = h('select', { id: 'process-select', 'aria-label': t('designer.process') });
  const versionSelect = h('select', { id: 'version-select', 'aria-label': t('designer.version') });
  const fileInput = h('input', { id: 'import-file', type: 'file', accept: '.bpmn,.xml,application/xml,text/xml', hidden: true });
  const status = h('span', { id: 'designer-status', class: 'muted' });
  const message = h('div', { id: 'designer-message' });
  const canvas = h('div', { id: 'canvas', class: 'designer-canvas' });
  const properties = h('div', { id: 'properties', class: 'designer-properties' });
  const problems = h('div', { id: 'problems', class: 'designer-problems' });
  const button = (id, label, onclick, primary) => h('button', { type: 'button', id, class: primary ? 'primary' : null, onclick }, t(label));

  append(main,
    h('div', { class: 'designer-toolbar toolbar' },
      h('label', { class: 'inline', for: 'process-select' }, t('designer.process')), processSelect,
      h('label', { class: 'inline', for: 'version-select' }, t('designer.version')), versionSelect,
      button('btn-open', 'designer.open', () => openSelected()),
      button('btn-new', 'designer.new', () => guard(() => openNew())),
      h('label', { class: 'button', for: 'import-file' }, t('designer.import')), fileInput,
      button('btn-export', 'designer.export', () => exportFile()),
      h('span', { class: 'separator' }),
      button('btn-save', 'designer.save', () => saveDraft()),
      button('btn-discard', 'designer.discard', () => discardDraft()),
      button('btn-check', 'designer.check', () => check()),
      button('btn-publish', 'designer.publish', () => publish(), true),
      h('a', { id: 'btn-instances', class: 'button', href: '/instances/' }, t('designer.instances')),
      status),
    message,
    h('div', { class: 'designer-body' }, canvas, properties),
    problems);

  const modeler = createModeler({ canvas, properties, templates, taskGroups, assignees });
  modeler.on('elementTemplates.errors', (event) => console.error('element templates refused:', event.errors.map((e) => e.message).join('; ')));
  installTemplateChooser(modeler);
  installFormDesigner(modeler, state);
  modeler.on('commandStack.changed', () => setDirty(true));
  window.addEventListener('beforeunload', (event) => {
    if (state.dirty) {
      event.preventDefault();
    }
  });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) {
      await guard(async () => importFile(file));
    }
  });
  processSelect.addEventListener('change', () => fillVersions());

  // For browser tests and the benchmark: where to drop on a flow, what follows an element, the process key.
  window.cwTest = {
    processKey: () => processKey(),
    outgoingOf: (id) => modeler.get('elementRegistry').get(id)?.outgoing?.[0]?.id ?? null,
    dropPointOn: (id) => dropPointOn(id),
  };

  fillProcesses();
  const params = new URLSearchParams(location.search);
  const wanted = params.get('key') ?? (definitions.some((d) => d.key === 'complaint-handling') ? 'complaint-handling' : definitions[0]?.key);
  if (wanted) {
    processSelect.value = wanted;
    fillVersions(params.get('version') ?? undefined);
    await openSelected();
  } else {
    replace(message, notice('info', t('designer.noProcess')));
    await openNew();
  }

  function setDirty(dirty) {
    state.dirty = dirty;
    status.textContent = dirty ? t('designer.dirty') : t('designer.clean');
    status.classList.toggle('dirty', dirty);
  }

  function fillProcesses() {
    const keys = [...new Set([...state.definitions.map((d) => d.key), ...state.drafts.map((d) => d.processKey)])].sort();
    const selected = processSelect.value;
    replace(processSelect, keys.map((key) => {
      const latest = state.definitions.filter((d) => d.key === key).sort((a, b) => b.version - a.version)[0];
      const draft = state.drafts.find((d) => d.processKey === key);
      return h('option', { value: key }, `${latest?.name ?? draft?.name ?? key} — ${key}${draft ? t('designer.hasDraft') : ''}`);
    }));
    if (selected && keys.includes(selected)) {
      processSelect.value = selected;
    }
  }

  function fillVersions(preferred) {
    const key = processSelect.value;
    const versions = state.definitions.filter((d) => d.key === key).sort((a, b) => b.version - a.version);
    const draft = state.drafts.find((d) => d.processKey === key);
    replace(versionSelect,
      draft ? h('option', { value: 'draft' }, `${t('designer.draft')} (${formatDateTime(draft.updatedAt)} ${draft.updatedBy})`) : null,
      versions.map((d) => h('option', { value: String(d.version) }, `v${d.version} · ${formatDateTime(d.deployedAt)}`)));
    if (preferred && [...versionSelect.options].some((o) => o.value === preferred)) {
      versionSelect.value = preferred;
    }
  }

  async function guard(action) {
    if (state.dirty && !confirm(t('designer.leave'))) {
      return;
    }
    await action();
  }

  async function openSelected() {
    await guard(async () => {
      const key = processSelect.value;
      const which = versionSelect.value;
      if (!key || !which) {
        return;
      }
      const draft = state.drafts.find((d) => d.processKey === key);
      if (which === 'draft') {
        const full = await api(`/api/designer/drafts/${encodeURIComponent(key)}`);
        await show(full.xml, { key, name: full.name, basedOnVersion: full.basedOnVersion, revision: full.revision, forms: full.forms ?? {} });
        say('info', t('designer.opened', { key, what: t('designer.draft') }));
      } else {
        const xml = await api(`/api/process-definitions/${encodeURIComponent(key)}/versions/${which}/xml`);
        await show(xml, { key, name: null, basedOnVersion: Number(which), revision: draft?.revision ?? 0, forms: {} });
        say('info', t('designer.opened', { key, what: t('designer.versionN', { version: which }) }));
      }
      history.replaceState(null, '', `/designer/?key=${encodeURIComponent(key)}&version=${which}`);
    });
  }

  async function openNew() {
    const id = `process_${Math.random().toString(36).slice(2, 9)}`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_${id}" targetNamespace="https://complaintworkflows.example/processes">
  <bpmn:process id="${id}" name="${t('designer.new.name')}" isExecutable="true">
    <bpmn:startEvent id="start" name="${t('designer.new.name')}" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram_${id}"><bpmndi:BPMNPlane id="plane_${id}" bpmnElement="${id}">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    await show(xml, { key: id, name: null, basedOnVersion: null, revision: 0, forms: {} });
    showUnsaved(id);
    say('info', t('designer.newOpened', { key: id }));
  }

  /** A process that is neither deployed nor drafted yet appears in the list as new. */
  function showUnsaved(key) {
    if (![...processSelect.options].some((o) => o.value === key)) {
      processSelect.append(h('option', { value: key }, `${processName() ?? key} — ${key}${t('designer.unsaved')}`));
    }
    processSelect.value = key;
    if (!state.definitions.some((d) => d.key === key) && !state.drafts.some((d) => d.processKey === key)) {
      replace(versionSelect, h('option', { value: '' }, t('designer.unsavedVersion')));
    } else {
      fillVersions();
    }
  }

  async function importFile(file) {
    const xml = await file.text();
    try {
      await show(xml, { key: null, name: null, basedOnVersion: null, revision: null, forms: {} });
    } catch (error) {
      say('error', t('designer.importFailed', { message: error.message }));
      return;
    }
    const key = processKey();
    const draft = state.drafts.find((d) => d.processKey === key);
    state.key = key;
    state.revision = draft?.revision ?? 0;
    state.basedOnVersion = null;
    showUnsaved(key);
    setDirty(true);
    say('info', t('designer.opened', { key, what: file.name }));
  }

  async function show(xml, opened) {
    canvas.dataset.state = 'loading';
    const started = performance.now();
    const result = await modeler.importXML(xml);
    linkTemplates(modeler);
    fitBesidePalette();
    Object.assign(state, opened);
    state.key = state.key ?? processKey();
    showProblems(problems, modeler, null);
    setDirty(false);
    canvas.dataset.state = 'ready';
    canvas.dataset.importMs = String(Math.round(performance.now() - started));
    performance.mark('cw-diagram-ready');
    if (result.warnings?.length) {
      console.warn('import warnings', result.warnings);
    }
  }

  function fitBesidePalette() {
    // Fit small diagrams; show large ones at a readable scale from their start. Either way the diagram's
    // left edge stays clear of the palette, so every element can be clicked.
    const view = modeler.get('canvas');
    view.zoom('fit-viewport');
    if (view.viewbox().scale < 0.75) {
      view.zoom(0.9);
    }
    const palette = canvas.querySelector('.djs-palette')?.getBoundingClientRect();
    const box = view.viewbox();
    const left = (palette?.width ?? 0) + 30;
    view.scroll({ dx: left - (box.inner.x - box.x) * box.scale, dy: 40 - (box.inner.y - box.y) * box.scale });
  }

  /** The screen point in the middle of a flow's longest visible segment. */
  function dropPointOn(id) {
    const connection = modeler.get('elementRegistry').get(id);
    const view = modeler.get('canvas');
    const box = view.viewbox();
    const rect = canvas.getBoundingClientRect();
    const toScreen = (p) => ({ x: rect.left + (p.x - box.x) * box.scale, y: rect.top + (p.y - box.y) * box.scale });
    const inside = (p) => p.x > rect.left + 80 && p.x < rect.right - 20 && p.y > rect.top + 20 && p.y < rect.bottom - 20;
    let best = null;
    const points = connection?.waypoints ?? [];
    for (let i = 1; i < points.length; i++) {
      const a = toScreen(points[i - 1]);
      const b = toScreen(points[i]);
      const clipped = { x1: Math.max(Math.min(a.x, b.x), rect.left + 80), x2: Math.min(Math.max(a.x, b.x), rect.right - 20) };
      const length = Math.hypot(b.x - a.x, b.y - a.y) * (a.y === b.y ? Math.max(0, clipped.x2 - clipped.x1) / Math.max(1, Math.abs(b.x - a.x)) : 1);
      const middle = a.y === b.y ? { x: (clipped.x1 + clipped.x2) / 2, y: a.y } : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      if (inside(middle) && (!best || length > best.length)) {
        best = { ...middle, length };
      }
    }
    return best;
  }

  function processKey() {
    const root = modeler.getDefinitions()?.rootElements?.find((e) => e.$type === 'bpmn:Process')
      ?? modeler.getDefinitions()?.rootElements?.find((e) => e.$type === 'bpmn:Collaboration')?.participants?.[0]?.processRef;
    return root?.id ?? state.key;
  }

  function processName() {
    return modeler.getDefinitions()?.rootElements?.find((e) => e.$type === 'bpmn:Process')?.name ?? null;
  }

  async function exportFile() {
    const { xml } = await modeler.saveXML({ format: true });
    const link = h('a', { href: URL.createObjectURL(new Blob([xml], { type: 'application/xml' })), download: `${processKey()}.bpmn` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  async function saveDraft() {
    const { xml } = await modeler.saveXML({ format: true });
    const key = processKey();
    if (key !== state.key) {
      // The process id changed: the draft is saved under the new key.
      state.key = key;
      state.revision = state.drafts.find((d) => d.processKey === key)?.revision ?? 0;
    }
    try {
      const saved = await api(`/api/designer/drafts/${encodeURIComponent(key)}`, { method: 'PUT', json: { name: processName(), basedOnVersion: state.basedOnVersion, xml, forms: state.forms, revision: state.revision } });
      state.revision = saved.revision;
      state.drafts = [...state.drafts.filter((d) => d.processKey !== key), saved];
      fillProcesses();
      processSelect.value = key;
      fillVersions('draft');
      setDirty(false);
      say('success', t('designer.saved', { revision: saved.revision, at: formatDateTime(saved.updatedAt) }));
    } catch (error) {
      say('error', error.fullMessage ?? error.message);
    }
  }

  async function discardDraft() {
    const key = processKey();
    try {
      await api(`/api/designer/drafts/${encodeURIComponent(key)}`, { method: 'DELETE' });
      state.drafts = state.drafts.filter((d) => d.processKey !== key);
      state.revision = 0;
      fillProcesses();
      fillVersions();
      say('success', t('designer.discarded'));
    } catch (error) {
      say('error', error.fullMessage ?? error.message);
    }
  }

  async function check() {
    const { xml } = await modeler.saveXML({ format: true });
    const found = await checkDiagram(modeler, xml);
    showProblems(problems, modeler, found);
    const errors = found.filter((p) => p.severity === 'error').length;
    say(errors ? 'error' : 'success', errors ? t('designer.refused', { count: errors }) : t('designer.checkedOk'));
    return { xml, errors };
  }

  async function publish() {
    const { xml, errors } = await check();
    if (errors > 0) {
      return;
    }
    try {
      const result = await api('/api/designer/publish', { json: { xml, forms: state.forms, draftKey: state.key } });
      const published = result.definitions[0];
      state.definitions = await api('/api/process-definitions');
      state.drafts = state.drafts.filter((d) => !result.definitions.some((x) => x.key === d.processKey) && d.processKey !== state.key);
      state.forms = {};
      state.revision = 0;
      state.basedOnVersion = published.version;
      fillProcesses();
      processSelect.value = published.key;
      fillVersions(String(published.version));
      setDirty(false);
      history.replaceState(null, '', `/designer/?key=${encodeURIComponent(published.key)}&version=${published.version}`);
      say('success', result.changed ? t('designer.published', { key: published.key, version: published.version }) : t('designer.unchanged', { version: published.version }));
      toast('success', t('designer.published', { key: published.key, version: published.version }));
    } catch (error) {
      if (error.problem?.findings) {
        showProblems(problems, modeler, error.problem.findings.map((f) => ({ severity: levelOf(f), source: 'engine', elementId: f.elementId, message: f.message, code: f.code })));
      }
      say('error', error.fullMessage ?? error.message);
    }
  }

  function say(kind, text) {
    replace(message, notice(kind, text));
  }
}
