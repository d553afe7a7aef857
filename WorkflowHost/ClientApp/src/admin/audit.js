// The administrators' audit log (/api/admin/audit): filters by actor, action, target and time, paged, latest first.
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';

define({
  'admin.audit': ['操作审计', 'Audit log'],
  'audit.actor': ['操作人', 'Actor'],
  'audit.action': ['操作', 'Action'],
  'audit.target': ['对象', 'Target'],
  'audit.status': ['结果', 'Result'],
  'audit.at': ['时间', 'Time'],
  'audit.details': ['详情', 'Details'],
  'audit.node': ['主机', 'Host'],
  'audit.from': ['起始日期', 'From'],
  'audit.to': ['截止日期', 'To'],
  'audit.any': ['（全部）', '(any)'],
  'audit.search': ['查询', 'Search'],
  'audit.previous': ['上一页', 'Previous'],
  'audit.next': ['下一页', 'Next'],
  'audit.page': ['第 {page} / {pages} 页，共 {total} 条', 'Page {page} of {pages}, {total} entries'],
  'audit.none': ['没有符合条件的记录。', 'No entry matches.'],
  'audit.ok': ['成功', 'Done'],
  'audit.failed': ['失败 ({status})', 'Failed ({status})'],
  'audit.a.deploy': ['部署流程', 'Deploy'],
  'audit.a.deployment': ['删除部署', 'Delete deployment'],
  'audit.a.migrate': ['迁移实例', 'Migrate instances'],
  'audit.a.user': ['用户与角色', 'Users and roles'],
  'audit.a.address': ['解除地址锁定', 'Lift address lockout'],
  'audit.a.staff': ['人员变更', 'Staff changes'],
  'audit.a.retention': ['数据保留清理', 'Retention cleanup'],
  'audit.a.consumer': ['消费者数据导出/删除', 'Consumer data export/erase'],
});

const actions = ['deploy', 'deployment', 'migrate', 'user', 'address', 'staff', 'retention', 'consumer'];
const pageSize = 20;

export async function audit(body) {
  const actor = h('input', { id: 'audit-actor' });
  const action = h('select', { id: 'audit-action' }, h('option', { value: '' }, t('audit.any')), actions.map((a) => h('option', { value: a }, t(`audit.a.${a}`))));
  const target = h('input', { id: 'audit-target' });
  const from = h('input', { id: 'audit-from', type: 'date' });
  const to = h('input', { id: 'audit-to', type: 'date' });
  const results = h('div', { id: 'audit-results' });
  let page = 1;
  const load = async () => {
    const query = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
    if (actor.value.trim()) query.set('actor', actor.value.trim());
    if (action.value) query.set('action', action.value);
    if (target.value.trim()) query.set('target', target.value.trim());
    if (from.value) query.set('from', new Date(`${from.value}T00:00:00+08:00`).toISOString());
    if (to.value) query.set('to', new Date(new Date(`${to.value}T00:00:00+08:00`).getTime() + 86400000).toISOString());
    try {
      const result = await api(`/api/admin/audit?${query}`);
      const pages = Math.max(1, Math.ceil(result.total / pageSize));
      replace(results, result.items.length === 0 ? h('p', { id: 'audit-none' }, t('audit.none')) : [
        h('table', { class: 'grid', id: 'audit-table' },
          h('thead', null, h('tr', null, ['audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.status', 'audit.node', 'audit.details'].map((k) => h('th', null, t(k))))),
          h('tbody', null, result.items.map((e) => h('tr', { dataset: { action: e.action } },
            h('td', null, formatDateTime(e.at)), h('td', null, e.actor), h('td', null, actionText(e.action)), h('td', null, e.target ?? ''),
            h('td', null, e.status === 0 || (e.status >= 200 && e.status < 300) ? h('span', { class: 'badge badge-ok' }, t('audit.ok')) : h('span', { class: 'badge badge-error' }, t('audit.failed', { status: e.status }))),
            h('td', null, e.node ?? ''),
            h('td', null, h('code', { style: { whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: '0.8em' } }, e.details ?? '')))))),
        h('div', { class: 'pager', style: { marginTop: '0.5rem' } },
          h('button', { type: 'button', id: 'audit-previous', disabled: page <= 1, onclick: () => { page--; load(); } }, t('audit.previous')), ' ',
          h('span', { id: 'audit-page' }, t('audit.page', { page, pages, total: result.total })), ' ',
          h('button', { type: 'button', id: 'audit-next', disabled: page >= pages, onclick: () => { page++; load(); } }, t('audit.next'))),
      ]);
    } catch (error) {
      replace(results, notice('error', error.fullMessage ?? error.message));
    }
  };
  const form = h('form', { class: 'card', id: 'audit-form' },
    h('label', { for: 'audit-actor' }, t('audit.actor')), actor,
    h('label', { for: 'audit-action' }, t('audit.action')), action,
    h('label', { for: 'audit-target' }, t('audit.target')), target,
    h('label', { for: 'audit-from' }, t('audit.from')), from,
    h('label', { for: 'audit-to' }, t('audit.to')), to,
    h('button', { type: 'submit', class: 'primary', id: 'audit-search' }, t('audit.search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    page = 1;
    load();
  });
  replace(body, form, results);
  await load();
}

function actionText(code) {
  const group = code.split('.')[0];
  const label = actions.includes(group) ? t(`audit.a.${group}`) : code;
  return code.includes('.') ? `${label} · ${code}` : label;
}
