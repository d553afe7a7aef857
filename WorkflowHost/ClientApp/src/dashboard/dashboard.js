// Dashboards: the KPIs against their targets, per unit, department and handler; week or month trends (ECharts);
// the overdue and about-to-be-overdue lists; Excel exports of the figures and of the complaint list.
import * as echarts from 'echarts';
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { define, formatDateTime, formatNumber, t } from '../shared/i18n.js';
import { statusName } from '../shared/complaints.js';

define({
  'dash.title': ['统计看板', 'Dashboard'],
  'dash.from': ['起', 'From'],
  'dash.to': ['止', 'To'],
  'dash.apply': ['统计', 'Show'],
  'dash.exportKpis': ['导出指标 Excel', 'Export KPIs (Excel)'],
  'dash.exportComplaints': ['导出投诉列表 Excel', 'Export complaints (Excel)'],
  'dash.received': ['受理量', 'Received'],
  'dash.onTime': ['按时办结率', 'On-time rate'],
  'dash.acceptance': ['受理及时率', 'Accepted in time'],
  'dash.mediation': ['调解成功率', 'Mediation success'],
  'dash.satisfaction': ['满意率', 'Satisfaction'],
  'dash.closure': ['办结率', 'Closure rate'],
  'dash.conversion': ['诉转案处理率', 'Conversion handled'],
  'dash.target': ['目标 {target}', 'Target {target}'],
  'dash.noData': ['无数据', 'No data'],
  'dash.byUnit': ['按单位', 'By unit'],
  'dash.byDepartment': ['按科室', 'By department'],
  'dash.byHandler': ['按承办人', 'By handler'],
  'dash.group': ['名称', 'Name'],
  'dash.trend': ['趋势', 'Trend'],
  'dash.week': ['按周', 'Weekly'],
  'dash.month': ['按月', 'Monthly'],
  'dash.overdue': ['已超期（{count}）', 'Overdue ({count})'],
  'dash.dueSoon': ['即将超期（{count}）', 'About to be overdue ({count})'],
  'dash.tracking': ['受理号', 'Tracking no.'],
  'dash.respondent': ['被投诉方', 'Respondent'],
  'dash.status': ['状态', 'Status'],
  'dash.dueAt': ['期限', 'Due'],
  'dash.handler': ['承办人', 'Handler'],
  'dash.registration': ['30分钟内登记率（首接负责制）', 'Registered within 30 minutes'],
  'dash.odrSettled': ['企业先行和解率', 'Settled by ODR businesses'],
  'dash.byChannel': ['按渠道：30分钟内登记率（首接负责制）', 'Registered within 30 minutes, by channel'],
  'dash.channel': ['渠道', 'Channel'],
  'dash.channel.Web': ['网上投诉', 'Web'],
  'dash.channel.Platform12315': ['全国12315平台', '12315 platform'],
  'dash.channel.Hotline12345': ['12345热线', '12345 hotline'],
  'dash.channel.Phone': ['电话', 'Phone'],
  'dash.channel.Letter': ['信件', 'Letter'],
  'dash.channel.Email': ['电子邮件', 'E-mail'],
  'dash.channel.WeChat': ['微信', 'WeChat'],
  'dash.channel.Weibo': ['微博', 'Weibo'],
  'dash.channel.WalkIn': ['来访', 'Walk-in'],
  'dash.channel.MobilePoint': ['流动受理点', 'Mobile intake point'],
});

const kpis = [
  ['onTime', 'dash.onTime'], ['acceptanceWithinLimit', 'dash.acceptance'], ['mediationSuccess', 'dash.mediation'],
  ['satisfaction', 'dash.satisfaction'], ['closure', 'dash.closure'], ['conversionHandling', 'dash.conversion'],
  ['registrationWithinLimit', 'dash.registration'], ['odrSettled', 'dash.odrSettled'],
];

const { main } = await mountLayout({ page: 'dashboard', title: 'dash.title', roles: ['leader', 'reviewer', 'administrator'] });
if (main) {
  await start(main);
}

function percent(rate) {
  return rate === null || rate === undefined ? t('dash.noData') : formatNumber(rate, { style: 'percent', maximumFractionDigits: 1 });
}

function localDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

async function start(root) {
  const now = new Date();
  const from = h('input', { type: 'date', id: 'dash-from', value: localDate(new Date(now.getFullYear(), now.getMonth(), 1)), style: { maxWidth: '170px' } });
  const to = h('input', { type: 'date', id: 'dash-to', value: localDate(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)), style: { maxWidth: '170px' } });
  const exportKpis = h('a', { class: 'button', id: 'dash-export-kpis' }, t('dash.exportKpis'));
  const exportComplaints = h('a', { class: 'button', id: 'dash-export-complaints' }, t('dash.exportComplaints'));
  const apply = h('button', { type: 'submit', class: 'primary', id: 'dash-apply' }, t('dash.apply'));
  const toolbar = h('form', { class: 'toolbar card' }, t('dash.from'), from, t('dash.to'), to, apply, exportKpis, exportComplaints);
  const cards = h('div', { class: 'kpis', id: 'dash-kpis' });
  const unitChart = h('div', { class: 'chart', id: 'chart-units' });
  const period = h('select', { id: 'dash-period', style: { maxWidth: '140px' } }, h('option', { value: 'month' }, t('dash.month')), h('option', { value: 'week' }, t('dash.week')));
  const trendChart = h('div', { class: 'chart', id: 'chart-trend' });
  const tables = h('div', { id: 'dash-tables' });
  const deadlines = h('div', { id: 'dash-deadlines' });
  const message = h('div', { id: 'dash-message' });
  root.append(h('h1', null, t('dash.title')), toolbar, message, cards, unitChart,
    h('div', { class: 'toolbar' }, h('h2', null, t('dash.trend')), period), trendChart, tables, deadlines);

  const units = new Map((await api('/api/admin/units').catch(() => [])).map((u) => [u.id, u.name]));
  const departments = new Map((await api('/api/admin/departments').catch(() => [])).map((d) => [d.id, d.name]));
  const staff = new Map((await api('/api/admin/staff').catch(() => [])).map((s) => [s.userName, s.displayName]));
  const charts = { units: echarts.init(unitChart), trend: echarts.init(trendChart) };
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

  function range() {
    const params = new URLSearchParams();
    if (from.value) params.set('from', new Date(`${from.value}T00:00:00`).toISOString());
    if (to.value) params.set('to', new Date(`${to.value}T00:00:00`).toISOString());
    return params;
  }

  async function loadKpis() {
    const params = range();
    exportKpis.href = `/api/exports/kpis.xlsx?${params}`;
    exportComplaints.href = `/api/exports/complaints.xlsx?${params}`;
    try {
      const report = await api(`/api/kpis?${params}`);
      replace(message);
      drawCards(report.total);
      drawUnits(report.byUnit);
      replace(tables,
        channelTable(report.registrationByChannel ?? []),
        table('dash.byUnit', 'dash-by-unit', report.byUnit, (id) => units.get(id) ?? id),
        table('dash.byDepartment', 'dash-by-department', report.byDepartment ?? [], (id) => departments.get(id) ?? id),
        table('dash.byHandler', 'dash-by-handler', report.byHandler, (id) => staff.get(id) ?? id));
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  }

  function drawCards(total) {
    replace(cards,
      h('div', { class: 'kpi', id: 'kpi-received' }, h('div', { class: 'muted' }, t('dash.received')), h('div', { class: 'value' }, String(total.received))),
      kpis.map(([key, label]) => {
        const figure = total[key];
        const state = figure.meetsTarget === true ? 'meet' : figure.meetsTarget === false ? 'miss' : '';
        return h('div', { class: `kpi ${state}`, id: `kpi-${key}`, dataset: { rate: figure.rate ?? '', count: figure.count, of: figure.of } },
          h('div', { class: 'muted' }, t(label)),
          h('div', { class: 'value' }, percent(figure.rate)),
          h('div', { class: 'muted' }, `${figure.count}/${figure.of} · `, t('dash.target', { target: percent(figure.target) })));
      }));
  }

  function channelTable(rows) {
    return h('div', { class: 'card' }, h('h2', null, t('dash.byChannel')),
      h('table', { class: 'table', id: 'dash-by-channel' },
        h('thead', null, h('tr', null, h('th', null, t('dash.channel')), h('th', null, t('dash.received')), h('th', null, t('dash.registration')))),
        h('tbody', null, rows.map((r) => h('tr', { dataset: { channel: r.channel, count: r.withinLimit.count, of: r.withinLimit.of } },
          h('td', null, t(`dash.channel.${r.channel}`)), h('td', null, String(r.withinLimit.of)),
          h('td', { class: r.withinLimit.meetsTarget === false ? 'miss' : null }, `${percent(r.withinLimit.rate)} (${r.withinLimit.count}/${r.withinLimit.of})`))))));
  }

  function drawUnits(byUnit) {
    const names = byUnit.map((s) => units.get(s.group) ?? (s.group || '—'));
    charts.units.setOption({
      title: { text: t('dash.byUnit'), left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 50, right: 50, bottom: 70, top: 40 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 20 : 0 } },
      yAxis: [{ type: 'value', name: t('dash.received'), minInterval: 1 }, { type: 'value', name: '%', max: 100 }],
      series: [
        { name: t('dash.received'), type: 'bar', data: byUnit.map((s) => s.received) },
        { name: t('dash.onTime'), type: 'line', yAxisIndex: 1, data: byUnit.map((s) => (s.onTime.rate === null ? null : Math.round(s.onTime.rate * 1000) / 10)) },
        { name: t('dash.satisfaction'), type: 'line', yAxisIndex: 1, data: byUnit.map((s) => (s.satisfaction.rate === null ? null : Math.round(s.satisfaction.rate * 1000) / 10)) },
      ],
    }, true);
    unitChart.dataset.received = JSON.stringify(byUnit.map((s) => s.received));
  }

  async function loadTrend() {
    try {
      const trend = await api(`/api/dashboard/trends?period=${period.value}`);
      const labels = trend.points.map((p) => p.label);
      const received = trend.points.map((p) => p.figures.received);
      charts.trend.setOption({
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        grid: { left: 50, right: 50, bottom: 60, top: 30 },
        xAxis: { type: 'category', data: labels },
        yAxis: [{ type: 'value', name: t('dash.received'), minInterval: 1 }, { type: 'value', name: '%', max: 100 }],
        series: [
          { name: t('dash.received'), type: 'bar', data: received },
          ...kpis.slice(0, 4).map(([key, label]) => ({ name: t(label), type: 'line', yAxisIndex: 1, connectNulls: true,
            data: trend.points.map((p) => (p.figures[key].rate === null ? null : Math.round(p.figures[key].rate * 1000) / 10)) })),
        ],
      }, true);
      trendChart.dataset.labels = JSON.stringify(labels);
      trendChart.dataset.received = JSON.stringify(received);
    } catch (error) {
      replace(trendChart, notice('error', error.fullMessage ?? error.message));
    }
  }

  async function loadDeadlines() {
    try {
      const lists = await api('/api/dashboard/deadlines');
      replace(deadlines,
        deadlineTable(t('dash.overdue', { count: lists.overdueTotal }), 'dash-overdue', lists.overdue),
        deadlineTable(t('dash.dueSoon', { count: lists.dueSoonTotal }), 'dash-due-soon', lists.dueSoon));
    } catch (error) {
      replace(deadlines, notice('error', error.fullMessage ?? error.message));
    }
  }

  function table(title, id, sets, name) {
    return h('div', { class: 'card' }, h('h2', null, t(title)),
      h('div', { style: { overflowX: 'auto' } }, h('table', { class: 'grid', id },
        h('thead', null, h('tr', null, h('th', null, t('dash.group')), h('th', null, t('dash.received')), kpis.map(([, label]) => h('th', null, t(label))))),
        h('tbody', null, sets.map((s) => h('tr', { dataset: { group: s.group ?? '' } },
          h('td', null, name(s.group ?? '')), h('td', { class: 'received' }, String(s.received)),
          kpis.map(([key]) => h('td', { class: s[key].meetsTarget === false ? 'badge-error' : null }, percent(s[key].rate)))))))));
  }

  function deadlineTable(title, id, items) {
    return h('div', { class: 'card' }, h('h2', null, title),
      items.length === 0 ? h('p', { class: 'muted' }, t('common.none')) : h('table', { class: 'grid', id },
        h('thead', null, h('tr', null, ['dash.tracking', 'dash.respondent', 'dash.status', 'dash.handler', 'dash.dueAt'].map((k) => h('th', null, t(k))))),
        h('tbody', null, items.map((i) => h('tr', null,
          h('td', null, i.complaint.trackingNumber), h('td', null, i.complaint.respondentName), h('td', null, statusName(i.complaint.status)),
          h('td', null, staff.get(i.complaint.handler) ?? i.complaint.handler ?? ''), h('td', null, formatDateTime(i.dueAt)))))));
  }

  toolbar.addEventListener('submit', (event) => {
    event.preventDefault();
    loadKpis();
  });
  period.addEventListener('change', loadTrend);
  await Promise.all([loadKpis(), loadTrend(), loadDeadlines()]);
  root.dataset.ready = 'true';
}
