// The staff inbox: my tasks and my groups' tasks (due dates, overdue marks), claim and release, the task's
// form (form-js) to complete it, delegate; the complaint file with its timeline and documents; a complaint
// search with filters; live updates over SignalR when a task arrives for me or my groups.
import '@bpmn-io/form-js/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js';
import { watchFormLanguage } from '../shared/form-i18n.js';
import { HttpTransportType, HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { mountLayout, staffRoles } from '../shared/layout.js';
import { api, requestHeaders } from '../shared/api.js';
import { h, notice, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';
import { attachmentLimits, attachmentList, checkFiles, limitsText, statusName, timeline, uploadFiles } from '../shared/complaints.js';

define({
  'inbox.title': ['收件箱', 'Inbox'],
  'inbox.tasks': ['待办任务', 'Tasks'],
  'inbox.search': ['投诉查询', 'Complaints'],
  'inbox.scope.all': ['全部', 'All'],
  'inbox.scope.mine': ['我的任务', 'Mine'],
  'inbox.scope.groups': ['组任务（待领取）', 'My groups (unclaimed)'],
  'inbox.filter': ['按受理号、被投诉方或任务筛选', 'Filter by tracking number, respondent or task'],
  'inbox.overdueOnly': ['只看超期', 'Overdue only'],
  'inbox.task': ['任务', 'Task'],
  'inbox.tracking': ['受理号', 'Tracking no.'],
  'inbox.respondent': ['被投诉方', 'Respondent'],
  'inbox.assignee': ['办理人', 'Assignee'],
  'inbox.unclaimed': ['待领取', 'Unclaimed'],
  'inbox.due': ['期限', 'Due'],
  'inbox.overdue': ['超期', 'Overdue'],
  'inbox.actions': ['操作', 'Actions'],
  'inbox.claim': ['领取', 'Claim'],
  'inbox.release': ['退回组', 'Release'],
  'inbox.open': ['办理', 'Open'],
  'inbox.empty': ['没有待办任务', 'No tasks'],
  'inbox.complete': ['提交办理结果', 'Complete'],
  'inbox.completed': ['已完成“{name}”', 'Completed “{name}”'],
  'inbox.claimed': ['已领取“{name}”', 'Claimed “{name}”'],
  'inbox.released': ['已退回“{name}”', 'Released “{name}”'],
  'inbox.delegateTo': ['转办给（用户名）', 'Delegate to (user name)'],
  'inbox.delegate': ['转办', 'Delegate'],
  'inbox.delegated': ['已转办给 {user}', 'Delegated to {user}'],
  'inbox.noForm': ['此任务没有表单，直接提交即可。', 'This task has no form; complete it directly.'],
  'inbox.formErrors': ['请更正表单中标出的错误。', 'Correct the fields marked in the form.'],
  'inbox.live': ['实时更新已连接', 'Live updates on'],
  'inbox.offline': ['实时更新未连接', 'Live updates off'],
  'inbox.arrived': ['新任务：{name}（{tracking}）', 'New task: {name} ({tracking})'],
  'inbox.file': ['投诉档案', 'Complaint file'],
  'inbox.facts': ['投诉事实', 'Facts'],
  'inbox.request': ['诉求', 'Request'],
  'inbox.consumer': ['投诉人', 'Consumer'],
  'inbox.phone': ['电话', 'Phone'],
  'inbox.status': ['状态', 'Status'],
  'inbox.received': ['登记时间', 'Received'],
  'inbox.unit': ['承办单位', 'Unit'],
  'inbox.handler': ['承办人', 'Handler'],
  'inbox.q': ['受理号、被投诉方或事实', 'Tracking number, respondent or facts'],
  'inbox.anyStatus': ['全部状态', 'Any status'],
  'inbox.find': ['查询', 'Search'],
  'inbox.total': ['共 {total} 件', '{total} complaints'],
  'inbox.export': ['导出 Excel', 'Export to Excel'],
  'inbox.needsReview': ['需人工复核', 'Needs review'],
  'inbox.confident': ['分类置信度达标', 'Classification above threshold'],
  'inbox.topLabels': ['候选分类：{labels}', 'Candidates: {labels}'],
  'inbox.noCandidates': ['无候选分类，请人工判断', 'No candidate labels: decide by hand'],
});

// On the desk's review of a classification: a "needs review" mark with the three best labels, or a quiet "above threshold".
function classificationMark(task) {
  const c = task.classification;
  if (!c) {
    return null;
  }
  return c.needsReview
    ? h('span', { class: 'classification-review' }, ' ', h('span', { class: 'badge badge-warn needs-review' }, t('inbox.needsReview')),
      c.topLabels ? h('span', { class: 'muted top-labels' }, ' ', t('inbox.topLabels', { labels: c.topLabels }))
        : h('span', { class: 'muted no-candidates' }, ' ', t('inbox.noCandidates')))
    : h('span', { class: 'classification-review' }, ' ', h('span', { class: 'badge badge-ok' }, t('inbox.confident')));
}

const { user, main } = await mountLayout({ page: 'inbox', title: 'inbox.title', roles: staffRoles, wide: false });
if (main) {
  await start(main);
}

async function start(root) {
  const live = h('span', { id: 'inbox-live', class: 'badge' }, t('inbox.offline'));
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const body = h('div');
  const panel = h('div', { id: 'task-panel' });
  root.append(h('h1', null, t('inbox.title'), ' ', live), tabs, h('div', { class: 'split' }, body, panel));

  const views = { tasks: () => tasksView(body, panel), search: () => searchView(body, panel) };
  let current = 'tasks';
  const buttons = Object.keys(views).map((name) => h('button', { type: 'button', id: `tab-${name}`, role: 'tab', onclick: () => show(name) }, t(`inbox.${name}`)));
  tabs.append(...buttons);
  let refresh = () => {};
  function show(name) {
    current = name;
    buttons.forEach((b) => b.classList.toggle('active', b.id === `tab-${name}`));
    replace(panel);
    refresh = views[name]();
  }
  show('tasks');
  connectLive(live, (task) => {
    toast('info', t('inbox.arrived', { name: task.name, tracking: task.complaintId ?? '' }));
    if (current === 'tasks') {
      refresh();
    }
  });
}

// ---- Tasks ----

function tasksView(body, panel) {
  const scope = h('select', { id: 'inbox-scope' },
    ['all', 'mine', 'groups'].map((s) => h('option', { value: s }, t(`inbox.scope.${s}`))));
  const filter = h('input', { id: 'inbox-filter', type: 'search', placeholder: t('inbox.filter'), style: { maxWidth: '320px' } });
  const overdueOnly = h('input', { id: 'inbox-overdue', type: 'checkbox', style: { width: 'auto' } });
  const list = h('div', { id: 'inbox-list' }, t('common.loading'));
  const toolbar = h('div', { class: 'toolbar card' }, scope, filter,
    h('label', { style: { margin: 0, fontWeight: 'normal' } }, overdueOnly, ' ', t('inbox.overdueOnly')),
    h('button', { type: 'button', id: 'inbox-refresh', onclick: () => load() }, t('common.refresh')));
  replace(body, toolbar, list);
  let tasks = [];

  async function load() {
    try {
      const query = scope.value === 'all' ? '' : `?scope=${scope.value}`;
      tasks = await api(`/api/inbox/tasks${query}`);
      draw();
    } catch (error) {
      replace(list, notice('error', error.fullMessage ?? error.message));
    }
  }

  function draw() {
    const words = filter.value.trim().toLowerCase();
    const shown = tasks.filter((task) => (!overdueOnly.checked || task.overdue)
      && (!words || [task.name, task.trackingNumber, task.respondentName].some((v) => (v ?? '').toLowerCase().includes(words))));
    if (!shown.length) {
      replace(list, h('p', { class: 'muted card', id: 'inbox-empty' }, t('inbox.empty')));
      return;
    }
    replace(list, h('table', { class: 'grid', id: 'inbox-tasks' },
      h('thead', null, h('tr', null, ['inbox.task', 'inbox.tracking', 'inbox.respondent', 'inbox.assignee', 'inbox.due', 'inbox.actions'].map((k) => h('th', null, t(k))))),
      h('tbody', null, shown.map((task) => h('tr', { dataset: { taskId: task.id, complaintId: task.complaintId ?? '' }, class: task.overdue ? 'overdue' : null },
        h('td', null, task.name, classificationMark(task)),
        h('td', null, task.trackingNumber ?? ''),
        h('td', { class: 'respondent' }, task.respondentName ?? ''),
        h('td', null, task.assignee ?? h('span', { class: 'badge' }, t('inbox.unclaimed'))),
        h('td', null, task.dueDate ? formatDateTime(task.dueDate) : '', ' ', task.overdue ? h('span', { class: 'badge badge-error overdue-mark' }, t('inbox.overdue')) : null),
        h('td', { class: 'row-actions' },
          !task.assignee ? h('button', { type: 'button', class: 'claim', onclick: () => act(task, 'claim', 'inbox.claimed') }, t('inbox.claim')) : null,
          task.assignee === user.userName && task.candidateGroups.length ? h('button', { type: 'button', class: 'release', onclick: () => act(task, 'release', 'inbox.released') }, t('inbox.release')) : null,
          h('button', { type: 'button', class: 'primary open', onclick: () => openTask(task.id, panel, load) }, t('inbox.open'))))))));
  }

  async function act(task, action, done) {
    try {
      await api(`/api/inbox/tasks/${encodeURIComponent(task.id)}/${action}`, { method: 'POST' });
      toast('success', t(done, { name: task.name }));
      await load();
    } catch (error) {
      toast('error', error.fullMessage ?? error.message);
    }
  }

  scope.addEventListener('change', load);
  filter.addEventListener('input', draw);
  overdueOnly.addEventListener('change', draw);
  load();
  return load;
}

async function openTask(id, panel, reload) {
  replace(panel, h('div', { class: 'card' }, t('common.loading')));
  let detail;
  try {
    detail = await api(`/api/inbox/tasks/${encodeURIComponent(id)}`);
  } catch (error) {
    replace(panel, notice('error', error.fullMessage ?? error.message));
    return;
  }
  const task = detail.task;
  const message = h('div', { id: 'task-message' });
  const formHost = h('div', { id: 'task-form' });
  const complete = h('button', { type: 'button', class: 'primary', id: 'task-complete' }, t('inbox.complete'));
  const delegateUser = h('input', { id: 'delegate-user', placeholder: t('inbox.delegateTo'), style: { maxWidth: '220px' } });
  const delegate = h('button', { type: 'button', id: 'task-delegate' }, t('inbox.delegate'));
  const fileHost = h('div', { id: 'complaint-file' });
  replace(panel,
    h('div', { class: 'card' },
      h('h2', { id: 'task-name' }, task.name),
      task.classification ? h('p', { id: 'task-classification' }, classificationMark(task)) : null,
      h('p', { class: 'muted' }, task.trackingNumber ?? '', task.dueDate ? ` · ${t('inbox.due')} ${formatDateTime(task.dueDate)}` : '', task.overdue ? ' ' : '', task.overdue ? h('span', { class: 'badge badge-error' }, t('inbox.overdue')) : null),
      formHost,
      h('div', { class: 'toolbar' }, complete),
      message,
      h('div', { class: 'toolbar', style: { marginTop: '.75rem' } }, delegateUser, delegate)),
    fileHost);

  let form = null;
  if (detail.form) {
    form = new Form({ container: formHost });
    watchFormLanguage(formHost);
    await form.importSchema(detail.form, detail.values ?? {});
  } else {
    formHost.append(h('p', { class: 'muted' }, t('inbox.noForm')));
  }

  complete.addEventListener('click', async () => {
    let variables = {};
    if (form) {
      const { data, errors } = form.submit();
      if (Object.keys(errors).length) {
        replace(message, notice('error', t('inbox.formErrors')));
        return;
      }
      variables = data;
    }
    complete.disabled = true;
    try {
      await api(`/api/inbox/tasks/${encodeURIComponent(task.id)}/complete`, { json: { variables } });
      toast('success', t('inbox.completed', { name: task.name }));
      replace(panel, notice('success', t('inbox.completed', { name: task.name })));
      await reload();
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
      complete.disabled = false;
    }
  });

  delegate.addEventListener('click', async () => {
    const to = delegateUser.value.trim();
    try {
      await api(`/api/inbox/tasks/${encodeURIComponent(task.id)}/delegate`, { json: { userName: to } });
      toast('success', t('inbox.delegated', { user: to }));
      replace(panel);
      await reload();
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  });

  if (task.complaintId) {
    await showFile(task.complaintId, fileHost);
  }
}

// ---- The complaint file ----

let unitNames;
const unitName = async (id) => {
  unitNames ??= api('/api/admin/units').then((units) => new Map(units.map((u) => [u.id, u.name])), () => new Map());
  return id ? (await unitNames).get(id) ?? id : '';
};

async function showFile(id, host) {
  let file;
  try {
    file = await api(`/api/complaints/${encodeURIComponent(id)}`);
  } catch (error) {
    replace(host, notice('error', error.fullMessage ?? error.message));
    return;
  }
  const c = file.complaint;
  const attachments = h('div', { id: 'file-attachments' }, attachmentList(c.id, file.attachments));
  const picker = h('input', { type: 'file', id: 'file-upload', multiple: true });
  const uploadMessage = h('div', { id: 'file-upload-message' });
  const limits = await attachmentLimits().catch(() => null);
  picker.accept = limits ? limits.extensions.join(',') : '';
  const upload = h('button', { type: 'button', id: 'file-upload-button' }, t('file.upload'));
  upload.addEventListener('click', async () => {
    const files = [...picker.files];
    const problems = limits ? checkFiles(files, limits) : [];
    if (problems.length) {
      replace(uploadMessage, notice('error', problems.join('\n')));
      return;
    }
    try {
      const stored = await uploadFiles(`/api/complaints/${encodeURIComponent(c.id)}/attachments`, files);
      replace(uploadMessage, notice('success', t('file.uploaded', { count: stored.length })));
      const again = await api(`/api/complaints/${encodeURIComponent(c.id)}/attachments`);
      replace(attachments, attachmentList(c.id, again));
    } catch (error) {
      replace(uploadMessage, notice('error', error.fullMessage ?? error.message));
    }
  });

  const field = (key, value) => [h('dt', null, t(key)), h('dd', null, value ?? '')];
  replace(host, h('div', { class: 'card', id: 'file-card' },
    h('h2', null, t('inbox.file'), ' ', c.trackingNumber),
    h('dl', { class: 'record' },
      field('inbox.status', statusName(c.status)),
      field('inbox.consumer', c.consumerName),
      field('inbox.phone', c.consumerPhone),
      field('inbox.respondent', c.respondentName),
      field('inbox.received', formatDateTime(c.receivedAt)),
      field('inbox.unit', await unitName(c.unitId)),
      field('inbox.handler', c.handler),
      field('inbox.request', c.request)),
    h('h3', null, t('inbox.facts')),
    h('p', { class: 'facts', id: 'file-facts' }, c.facts),
    h('h3', null, t('file.timeline')),
    timeline(file.timeline, { showActor: true }),
    h('h3', null, t('file.attachments')),
    attachments,
    limits ? h('p', { class: 'muted' }, limitsText(limits)) : null,
    h('div', { class: 'toolbar' }, picker, upload),
    uploadMessage));
}

// ---- Complaint search ----

function searchView(body, panel) {
  const q = h('input', { id: 'search-q', type: 'search', placeholder: t('inbox.q'), style: { maxWidth: '300px' } });
  const status = h('select', { id: 'search-status' }, h('option', { value: '' }, t('inbox.anyStatus')),
    ['Registered', 'Classified', 'Dispatched', 'Accepted', 'Refused', 'Handling', 'Suspended', 'InReview', 'Closed', 'Terminated', 'Surveyed', 'Archived'].map((s) => h('option', { value: s }, statusName(s))));
  const overdue = h('input', { id: 'search-overdue', type: 'checkbox', style: { width: 'auto' } });
  const results = h('div', { id: 'search-results' });
  const exportLink = h('a', { class: 'button', id: 'search-export', href: '/api/exports/complaints.xlsx' }, t('inbox.export'));
  const find = h('button', { type: 'submit', class: 'primary', id: 'search-find' }, t('inbox.find'));
  const form = h('form', { class: 'toolbar card' }, q, status, h('label', { style: { margin: 0, fontWeight: 'normal' } }, overdue, ' ', t('inbox.overdueOnly')), find, exportLink);
  replace(body, form, results);

  function query() {
    const params = new URLSearchParams();
    if (q.value.trim()) params.set('q', q.value.trim());
    if (status.value) params.set('status', status.value);
    if (overdue.checked) params.set('overdue', 'true');
    return params;
  }

  // Only the latest search draws: the first, unfiltered one may answer after the one the user asked for.
  let latest = 0;
  async function load() {
    const params = query();
    exportLink.href = `/api/exports/complaints.xlsx?${params}`;
    params.set('pageSize', '50');
    const mine = ++latest;
    try {
      const page = await api(`/api/complaints?${params}`);
      if (mine !== latest) {
        return;
      }
      replace(results, h('p', { class: 'muted', id: 'search-total' }, t('inbox.total', { total: page.total })),
        h('table', { class: 'grid', id: 'search-table' },
          h('thead', null, h('tr', null, ['inbox.tracking', 'inbox.status', 'inbox.consumer', 'inbox.respondent', 'inbox.received', 'inbox.due'].map((k) => h('th', null, t(k))))),
          h('tbody', null, page.items.map((c) => h('tr', { dataset: { complaintId: c.id } },
            h('td', null, h('a', { href: '#', onclick: (event) => { event.preventDefault(); showFile(c.id, panel); } }, c.trackingNumber)),
            h('td', null, statusName(c.status)),
            h('td', null, c.consumerName),
            h('td', { class: 'respondent' }, c.respondentName),
            h('td', null, formatDateTime(c.receivedAt)),
            h('td', null, formatDateTime(c.handlingDueAt ?? c.acceptanceDueAt), ' ', c.overdue ? h('span', { class: 'badge badge-error' }, t('inbox.overdue')) : null))))));
    } catch (error) {
      if (mine === latest) {
        replace(results, notice('error', error.fullMessage ?? error.message));
      }
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  load();
  return load;
}

// ---- Live updates ----

function connectLive(badge, onTask) {
  // WebSockets straight away, without the negotiate request: negotiate and the connection that follows are two
  // requests, which a load balancer without sticky sessions may send to two hosts (the second would not know the
  // connection id). One WebSocket stays on one host, and every host tells its own connections (docs/operations.md).
  const options = { skipNegotiation: true, transport: HttpTransportType.WebSockets, headers: requestHeaders };
  const connection = new HubConnectionBuilder().withUrl('/hubs/tasks', options).withAutomaticReconnect().configureLogging(LogLevel.Warning).build();
  connection.on('taskArrived', onTask);
  const online = (on) => {
    badge.textContent = t(on ? 'inbox.live' : 'inbox.offline');
    badge.className = on ? 'badge badge-ok' : 'badge';
    badge.dataset.state = on ? 'connected' : 'disconnected';
  };
  connection.onreconnecting(() => online(false));
  connection.onreconnected(() => online(true));
  connection.onclose(() => online(false));
  connection.start().then(() => online(true), () => online(false));
}
