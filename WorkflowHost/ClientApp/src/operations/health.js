// Engine health (administrators): the figures now, their history over the last hour or day (ECharts, from the samples the
// hosts write), every host's heartbeat, open incidents with retry, and stuck instances (nothing will move them).
import * as echarts from 'echarts';
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';

define({
  'health.title': ['运行监控', 'Engine health'],
  'health.refresh': ['刷新', 'Refresh'],
  'health.hour': ['最近一小时', 'Last hour'],
  'health.day': ['最近一天', 'Last day'],
  'health.figures': ['当前指标', 'Figures now'],
  'health.charts': ['指标趋势', 'Trends'],
  'health.engine': ['流程引擎', 'Engine'],
  'health.domain': ['投诉与通知', 'Complaints and notifications'],
  'health.hosts': ['主机心跳', 'Host heartbeats'],
  'health.host': ['主机', 'Host'],
  'health.startedAt': ['启动时间', 'Started'],
  'health.lastSeenAt': ['最近心跳', 'Last heartbeat'],
  'health.state': ['状态', 'State'],
  'health.alive': ['正常', 'Alive'],
  'health.silent': ['无响应', 'Silent'],
  'health.incidents': ['故障（{count}）', 'Incidents ({count})'],
  'health.noIncidents': ['没有未处理的故障。', 'No open incident.'],
  'health.instance': ['流程实例', 'Instance'],
  'health.element': ['节点', 'Element'],
  'health.message': ['错误信息', 'Message'],
  'health.createdAt': ['发生时间', 'Raised'],
  'health.retry': ['重试', 'Retry'],
  'health.retried': ['已重试', 'Retried'],
  'health.stuck': ['停滞实例（{count}）', 'Stuck instances ({count})'],
  'health.stuckHint': ['运行中，但没有待办任务、等待、作业或故障的实例。', 'Running, with no task, wait, job or incident.'],
  'health.noStuck': ['没有停滞的实例。', 'No stuck instance.'],
  'health.processKey': ['流程', 'Process'],
  'health.businessKey': ['业务键', 'Business key'],
  'health.noHistory': ['尚无历史数据', 'No history yet'],
  'health.f.engine.instances.running': ['运行中实例', 'Running instances'],
  'health.f.engine.instances.started': ['新启动实例（每采样周期）', 'Instances started (per interval)'],
  'health.f.engine.instances.ended': ['已结束实例（每采样周期）', 'Instances ended (per interval)'],
  'health.f.engine.jobs.due': ['到期作业', 'Jobs due'],
  'health.f.engine.jobs.overdue': ['逾期作业', 'Jobs overdue'],
  'health.f.engine.incidents.open': ['未处理故障', 'Open incidents'],
  'health.f.engine.outbox.backlog': ['发件箱积压', 'Outbox backlog'],
  'health.f.engine.timers.overdue': ['逾期定时器', 'Timers overdue'],
  'health.f.complaints.received': ['新受理投诉（每采样周期）', 'Complaints received (per interval)'],
  'health.f.complaints.overdue': ['超期投诉', 'Overdue complaints'],
  'health.f.notifications.pending': ['待发送通知', 'Notifications pending'],
  'health.f.notifications.failed': ['发送失败通知', 'Notifications failed'],
});

const engineFigures = ['engine.instances.running', 'engine.instances.started', 'engine.instances.ended', 'engine.jobs.due', 'engine.jobs.overdue', 'engine.incidents.open', 'engine.outbox.backlog', 'engine.timers.overdue'];
const domainFigures = ['complaints.received', 'complaints.overdue', 'notifications.pending', 'notifications.failed'];

const { main } = await mountLayout({ page: 'operations', title: 'health.title', roles: ['administrator'], wide: true });
if (main) {
  await start(main);
}

function table(id, headers, rows) {
  return h('table', { id }, h('thead', null, h('tr', null, headers.map((x) => h('th', null, t(x))))), h('tbody', null, rows));
}

async function start(root) {
  const range = h('select', { id: 'health-range', style: { maxWidth: '160px' } }, h('option', { value: 'hour' }, t('health.hour')), h('option', { value: 'day' }, t('health.day')));
  const refresh = h('button', { type: 'button', class: 'primary', id: 'health-refresh' }, t('health.refresh'));
  const message = h('div', { id: 'health-message' });
  const cards = h('div', { class: 'kpis', id: 'health-figures' });
  const engineChart = h('div', { class: 'chart', id: 'chart-engine' });
  const domainChart = h('div', { class: 'chart', id: 'chart-domain' });
  const hosts = h('div', { id: 'health-hosts' });
  const incidents = h('div', { id: 'health-incidents' });
  const stuck = h('div', { id: 'health-stuck' });
  root.append(h('h1', null, t('health.title')), h('div', { class: 'toolbar card' }, range, refresh), message,
    h('h2', null, t('health.figures')), cards, h('h2', null, t('health.charts')), engineChart, domainChart,
    h('h2', null, t('health.hosts')), hosts, incidents, stuck);
  const charts = { engine: echarts.init(engineChart), domain: echarts.init(domainChart) };
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  async function load() {
    try {
      const [health, history] = await Promise.all([api('/api/admin/operations/health'), api(`/api/admin/operations/history?range=${range.value}`)]);
      replace(message);
      drawFigures(health.figures);
      draw(charts.engine, engineChart, 'health.engine', engineFigures, history);
      draw(charts.domain, domainChart, 'health.domain', domainFigures, history);
      drawHosts(health.hosts);
      drawIncidents(health.incidents);
      drawStuck(health.stuck);
      root.dataset.ready = 'true';
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  }

  function drawFigures(figures) {
    replace(cards, [...engineFigures, ...domainFigures].map((name) => h('div', { class: 'kpi', id: `figure-${name.replaceAll('.', '-')}`, dataset: { value: figures[name] ?? 0 } },
      h('div', { class: 'muted' }, t(`health.f.${name}`)), h('div', { class: 'value' }, String(figures[name] ?? 0)))));
  }

  // The time axis spans the chosen window (the last hour or day, from the server's clock), not just the samples taken.
  function draw(chart, element, title, names, history) {
    const shown = history.series.filter((s) => names.includes(s.name));
    const [from, to] = [Date.parse(history.from), Date.parse(history.to)];
    chart.setOption({
      title: { text: t(title), left: 'center', textStyle: { fontSize: 14 }, subtext: shown.length === 0 ? t('health.noHistory') : '' },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 50, right: 30, bottom: 70, top: 50 },
      xAxis: { type: 'time', min: from, max: to },
      yAxis: { type: 'value', minInterval: 1 },
      series: shown.map((s) => ({ name: t(`health.f.${s.name}`), type: 'line', showSymbol: s.points.length < 3, data: s.points })),
    }, true);
    element.dataset.series = JSON.stringify(Object.fromEntries(shown.map((s) => [s.name, s.points.length])));
    element.dataset.window = String(to - from);
  }

  function drawHosts(list) {
    replace(hosts, table('health-hosts-table', ['health.host', 'health.startedAt', 'health.lastSeenAt', 'health.state'], list.map((x) => h('tr', { dataset: { host: x.hostName } },
      h('td', null, x.hostName), h('td', null, formatDateTime(x.startedAt)), h('td', null, formatDateTime(x.lastSeenAt)),
      h('td', { class: x.silent ? 'state silent' : 'state alive' }, t(x.silent ? 'health.silent' : 'health.alive'))))));
  }

  function drawIncidents(list) {
    replace(incidents, h('h2', null, t('health.incidents', { count: list.length })),
      list.length === 0 ? h('p', { class: 'muted' }, t('health.noIncidents')) : table('health-incidents-table', ['health.instance', 'health.element', 'health.message', 'health.createdAt', ''],
        list.map((x) => h('tr', { dataset: { instance: x.processInstanceId, node: x.nodeId } },
          h('td', null, h('a', { href: `/instances/?id=${encodeURIComponent(x.processInstanceId)}` }, x.processInstanceId)),
          h('td', null, x.elementId), h('td', null, x.message), h('td', null, formatDateTime(x.createdAt)),
          h('td', null, h('button', { type: 'button', class: 'retry', onclick: async (event) => {
            event.target.disabled = true;
            try {
              await api(`/api/process-instances/${encodeURIComponent(x.processInstanceId)}/incidents/${x.nodeId}/retry`, { method: 'POST' });
              toast('success', t('health.retried'));
              await load();
            } catch (error) {
              event.target.disabled = false;
              toast('error', error.fullMessage ?? error.message, 8000);
            }
          } }, t('health.retry')))))));
  }

  function drawStuck(list) {
    replace(stuck, h('h2', null, t('health.stuck', { count: list.length })), h('p', { class: 'muted' }, t('health.stuckHint')),
      list.length === 0 ? h('p', { class: 'muted' }, t('health.noStuck')) : table('health-stuck-table', ['health.instance', 'health.processKey', 'health.businessKey', 'health.startedAt'],
        list.map((x) => h('tr', null, h('td', null, h('a', { href: `/instances/?id=${encodeURIComponent(x.id)}` }, x.id)), h('td', null, x.processKey), h('td', null, x.businessKey ?? ''), h('td', null, formatDateTime(x.startedAt))))));
  }

  range.addEventListener('change', load);
  refresh.addEventListener('click', load);
  await load();
}
