// Administration (administrators): users and roles, units and departments, A/B partners, absences and the duty roster.
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, isEnglish, t } from '../shared/i18n.js';
import { audit } from './audit.js';
import { disclosure, mobilePoints, odr } from './practice.js';

define({
  'admin.title': ['系统管理', 'Administration'],
  'admin.users': ['用户', 'Users'],
  'admin.roles': ['角色', 'Roles'],
  'admin.units': ['单位与科室', 'Units and departments'],
  'admin.partners': ['A/B 岗', 'A/B partners'],
  'admin.duty': ['值班表', 'Duty roster'],
  'admin.absences': ['请假与外出', 'Absences'],
  'admin.userName': ['用户名', 'User name'],
  'admin.displayName': ['姓名', 'Name'],
  'admin.password': ['初始密码（至少 10 位）', 'Initial password (10+ characters)'],
  'admin.unit': ['单位', 'Unit'],
  'admin.department': ['科室', 'Department'],
  'admin.locked': ['已锁定', 'Locked'],
  'admin.lock': ['锁定', 'Lock'],
  'admin.unlock': ['解锁', 'Unlock'],
  'admin.lockedUntil': ['已锁定至 {until}', 'Locked until {until}'],
  'admin.addressLockouts': ['被暂停登录的网络地址', 'Addresses suspended from sign-in'],
  'admin.addressLockoutsHint': ['同一地址登录失败次数过多时，该地址暂停登录一段时间。', 'An address with too many failed sign-ins is suspended from sign-in for a while.'],
  'admin.address': ['网络地址', 'Address'],
  'admin.noAddressLockouts': ['当前没有被暂停的地址。', 'No address is suspended now.'],
  'admin.lift': ['解除', 'Lift'],
  'admin.create': ['新增', 'Add'],
  'admin.created': ['已新增 {name}', 'Added {name}'],
  'admin.saved': ['已保存', 'Saved'],
  'admin.removed': ['已删除', 'Removed'],
  'admin.remove': ['删除', 'Remove'],
  'admin.id': ['编号', 'Id'],
  'admin.name': ['名称', 'Name'],
  'admin.kind': ['类型', 'Kind'],
  'admin.parent': ['上级单位', 'Parent unit'],
  'admin.regions': ['辖区（逗号分隔）', 'Regions (comma separated)'],
  'admin.kind.IntakeCentre': ['投诉举报中心', 'Intake centre'],
  'admin.kind.CountyBureau': ['区县局', 'County bureau'],
  'admin.kind.SupervisionStation': ['监管所', 'Supervision station'],
  'admin.partner': ['A/B 岗搭档', 'A/B partner'],
  'admin.nobody': ['（无）', '(none)'],
  'admin.save': ['保存', 'Save'],
  'admin.date': ['日期', 'Date'],
  'admin.onDuty': ['值班人员', 'On duty'],
  'admin.addOnDuty': ['添加值班人员…', 'Add someone on duty…'],
  'admin.dayKind': ['工作日/休息日', 'Working day or day off'],
  'admin.workingDay': ['工作日', 'Working day'],
  'admin.dayOff': ['周末/节假日', 'Weekend or holiday'],
  'admin.dutyComplete': ['周末和节假日均已安排值班（报送截止 {due}）', 'Every weekend and holiday has someone on duty (due {due})'],
  'admin.dutyMissing': ['以下周末和节假日尚无人值班：{days}（报送截止 {due}）', 'Nobody on duty yet on these weekends and holidays: {days} (due {due})'],
  'admin.from': ['开始', 'From'],
  'admin.to': ['结束', 'To'],
  'admin.reason': ['原因', 'Reason'],
  'admin.staffRoles': ['岗位角色', 'Roles'],
});

const { main } = await mountLayout({ page: 'admin', title: 'admin.title', roles: ['administrator'] });
if (main) {
  start(main);
}

const fail = (error) => toast('error', error.fullMessage ?? error.message, 8000);
const options = (items, value, label, selected, empty) => [
  empty ? h('option', { value: '' }, empty) : null,
  items.map((item) => h('option', { value: value(item), selected: value(item) === selected }, label(item))),
];

function start(root) {
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const body = h('div', { id: 'admin-body' });
  root.append(h('h1', null, t('admin.title')), tabs, body);
  const views = { users, roles, units, partners, absences, duty, mobilePoints, odr, disclosure, audit };
  const buttons = Object.keys(views).map((name) => h('button', { type: 'button', id: `admin-tab-${name}`, onclick: () => show(name) }, t(`admin.${name}`)));
  tabs.append(...buttons);
  function show(name) {
    buttons.forEach((b) => b.classList.toggle('active', b.id === `admin-tab-${name}`));
    replace(body, t('common.loading'));
    views[name](body).catch((error) => replace(body, notice('error', error.fullMessage ?? error.message)));
  }
  show(new URLSearchParams(location.search).get('tab') ?? 'users');
}

async function users(body) {
  const [list, roleList, unitList, addressList] = await Promise.all([api('/api/admin/users'), api('/api/admin/roles'), api('/api/admin/units'), api('/api/admin/address-lockouts')]);
  const userName = h('input', { id: 'user-name' });
  const displayName = h('input', { id: 'user-display' });
  const password = h('input', { id: 'user-password', type: 'password', autocomplete: 'new-password' });
  const unit = h('select', { id: 'user-unit' }, options(unitList, (u) => u.id, (u) => u.name, null, t('admin.nobody')));
  const checks = roleList.map((r) => h('label', { style: { display: 'inline-block', marginRight: '1rem', fontWeight: 'normal' } },
    h('input', { type: 'checkbox', value: r.name, class: 'user-role', style: { width: 'auto' } }), ' ', r.displayName));
  const message = h('div', { id: 'user-message' });
  const form = h('form', { class: 'card', id: 'user-form' },
    h('h2', null, t('admin.create')),
    h('label', { for: 'user-name' }, t('admin.userName')), userName,
    h('label', { for: 'user-display' }, t('admin.displayName')), displayName,
    h('label', { for: 'user-password' }, t('admin.password')), password,
    h('label', { for: 'user-unit' }, t('admin.unit')), unit,
    h('label', null, t('admin.roles')), h('div', null, checks),
    message,
    h('button', { type: 'submit', class: 'primary', id: 'user-create' }, t('admin.create')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/api/admin/users', { json: {
        userName: userName.value.trim(), displayName: displayName.value.trim(), password: password.value, unitId: unit.value || null,
        roles: checks.map((c) => c.querySelector('input')).filter((c) => c.checked).map((c) => c.value),
      } });
      toast('success', t('admin.created', { name: userName.value.trim() }));
      await users(body);
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  });
  const lock = async (u, action) => {
    try {
      await api(`/api/admin/users/${encodeURIComponent(u.userName)}/${action}`, { json: {} });
      await users(body);
    } catch (error) {
      fail(error);
    }
  };
  replace(body, h('table', { class: 'grid', id: 'users-table' },
    h('thead', null, h('tr', null, ['admin.userName', 'admin.displayName', 'admin.roles', 'admin.unit', 'admin.locked', ''].map((k) => h('th', null, k ? t(k) : '')))),
    h('tbody', null, list.map((u) => h('tr', { dataset: { user: u.userName } },
      h('td', null, u.userName), h('td', null, u.displayName ?? ''), h('td', null, u.roles.join(', ')), h('td', null, u.unitId ?? ''),
      h('td', null, u.lockedOut ? h('span', { class: 'badge badge-error' }, lockedText(u.lockoutEnd)) : ''),
      h('td', null, h('button', { type: 'button', onclick: () => lock(u, u.lockedOut ? 'unlock' : 'lock') }, t(u.lockedOut ? 'admin.unlock' : 'admin.lock'))))))),
  form, addressLockouts(addressList, () => users(body)));
}

/** "Locked", with the end when there is one (a lockout by an administrator without an end has none). */
function lockedText(end) {
  return end && new Date(end).getUTCFullYear() < 9999 ? t('admin.lockedUntil', { until: formatDateTime(end) }) : t('admin.locked');
}

/** The addresses suspended from sign-in after too many failures, each with a button that lifts it. */
function addressLockouts(list, reload) {
  const lift = async (address) => {
    try {
      await api(`/api/admin/address-lockouts/${encodeURIComponent(address)}`, { method: 'DELETE' });
      await reload();
    } catch (error) {
      fail(error);
    }
  };
  return h('div', { class: 'card', id: 'address-lockouts' },
    h('h2', null, t('admin.addressLockouts')), h('p', null, t('admin.addressLockoutsHint')),
    list.length === 0 ? h('p', { id: 'address-lockouts-none' }, t('admin.noAddressLockouts')) : h('table', { class: 'grid', id: 'address-lockouts-table' },
      h('thead', null, h('tr', null, h('th', null, t('admin.address')), h('th', null, t('admin.locked')), h('th', null, ''))),
      h('tbody', null, list.map((a) => h('tr', { dataset: { address: a.address } },
        h('td', null, a.address), h('td', null, lockedText(a.lockedUntil)),
        h('td', null, h('button', { type: 'button', class: 'address-lift', onclick: () => lift(a.address) }, t('admin.lift'))))))));
}

async function roles(body) {
  const list = await api('/api/admin/roles');
  replace(body, h('table', { class: 'grid', id: 'roles-table' },
    h('thead', null, h('tr', null, h('th', null, t('admin.id')), h('th', null, t('admin.name')))),
    h('tbody', null, list.map((r) => h('tr', null, h('td', null, r.name), h('td', null, r.displayName))))));
}

async function units(body) {
  const [unitList, departmentList] = await Promise.all([api('/api/admin/units'), api('/api/admin/departments')]);
  const id = h('input', { id: 'unit-id' });
  const name = h('input', { id: 'unit-name' });
  const kind = h('select', { id: 'unit-kind' }, ['SupervisionStation', 'CountyBureau', 'IntakeCentre'].map((k) => h('option', { value: k }, t(`admin.kind.${k}`))));
  const parent = h('select', { id: 'unit-parent' }, options(unitList, (u) => u.id, (u) => u.name, null, t('admin.nobody')));
  const regions = h('input', { id: 'unit-regions' });
  const unitMessage = h('div', { id: 'unit-message' });
  const unitForm = h('form', { class: 'card', id: 'unit-form' }, h('h2', null, t('admin.create'), ' ', t('admin.unit')),
    h('label', { for: 'unit-id' }, t('admin.id')), id, h('label', { for: 'unit-name' }, t('admin.name')), name,
    h('label', { for: 'unit-kind' }, t('admin.kind')), kind, h('label', { for: 'unit-parent' }, t('admin.parent')), parent,
    h('label', { for: 'unit-regions' }, t('admin.regions')), regions, unitMessage,
    h('button', { type: 'submit', class: 'primary', id: 'unit-create' }, t('admin.create')));
  unitForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/api/admin/units', { json: { id: id.value.trim(), name: name.value.trim(), kind: kind.value, parentUnitId: parent.value || null, regions: regions.value.split(/[,，、]/).map((r) => r.trim()).filter(Boolean) } });
      toast('success', t('admin.created', { name: name.value.trim() }));
      await units(body);
    } catch (error) {
      replace(unitMessage, notice('error', error.fullMessage ?? error.message));
    }
  });

  const departmentId = h('input', { id: 'department-id' });
  const departmentName = h('input', { id: 'department-name' });
  const departmentUnit = h('select', { id: 'department-unit' }, options(unitList, (u) => u.id, (u) => u.name));
  const departmentMessage = h('div', { id: 'department-message' });
  const departmentForm = h('form', { class: 'card', id: 'department-form' }, h('h2', null, t('admin.create'), ' ', t('admin.department')),
    h('label', { for: 'department-id' }, t('admin.id')), departmentId, h('label', { for: 'department-name' }, t('admin.name')), departmentName,
    h('label', { for: 'department-unit' }, t('admin.unit')), departmentUnit, departmentMessage,
    h('button', { type: 'submit', class: 'primary', id: 'department-create' }, t('admin.create')));
  departmentForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/api/admin/departments', { json: { id: departmentId.value.trim(), name: departmentName.value.trim(), unitId: departmentUnit.value } });
      toast('success', t('admin.created', { name: departmentName.value.trim() }));
      await units(body);
    } catch (error) {
      replace(departmentMessage, notice('error', error.fullMessage ?? error.message));
    }
  });

  const unitName = new Map(unitList.map((u) => [u.id, u.name]));
  replace(body,
    h('table', { class: 'grid', id: 'units-table' },
      h('thead', null, h('tr', null, ['admin.id', 'admin.name', 'admin.kind', 'admin.parent', 'admin.regions', 'admin.department'].map((k) => h('th', null, t(k))))),
      h('tbody', null, unitList.map((u) => h('tr', { dataset: { unit: u.id } },
        h('td', null, u.id), h('td', null, u.name), h('td', null, t(`admin.kind.${u.kind}`)), h('td', null, unitName.get(u.parentUnitId) ?? ''),
        h('td', null, u.regions.join('、')), h('td', null, departmentList.filter((d) => d.unitId === u.id).map((d) => d.name).join('、')))))),
    h('div', { class: 'split', style: { marginTop: '1rem' } }, unitForm, departmentForm));
}

async function partners(body) {
  const [staff, unitList] = await Promise.all([api('/api/admin/staff'), api('/api/admin/units')]);
  const unitName = new Map(unitList.map((u) => [u.id, u.name]));
  replace(body, h('table', { class: 'grid', id: 'partners-table' },
    h('thead', null, h('tr', null, ['admin.userName', 'admin.displayName', 'admin.unit', 'admin.staffRoles', 'admin.partner', ''].map((k) => h('th', null, k ? t(k) : '')))),
    h('tbody', null, staff.map((s) => {
      const select = h('select', { class: 'partner-select', style: { maxWidth: '220px' } },
        options(staff.filter((o) => o.unitId === s.unitId && o.userName !== s.userName), (o) => o.userName, (o) => `${o.displayName}（${o.userName}）`, s.partnerUserName, t('admin.nobody')));
      const save = h('button', { type: 'button', class: 'partner-save', onclick: async () => {
        try {
          await api(`/api/admin/staff/${encodeURIComponent(s.userName)}/partner`, { method: 'PUT', json: { partnerUserName: select.value || null } });
          toast('success', t('admin.saved'));
        } catch (error) {
          fail(error);
        }
      } }, t('admin.save'));
      return h('tr', { dataset: { user: s.userName } }, h('td', null, s.userName), h('td', null, s.displayName), h('td', null, unitName.get(s.unitId) ?? s.unitId),
        h('td', null, s.roles.join(', ')), h('td', null, select), h('td', null, save));
    }))));
}

async function absences(body) {
  const [list, staff] = await Promise.all([api('/api/admin/absences'), api('/api/admin/staff')]);
  const who = h('select', { id: 'absence-user' }, options(staff, (s) => s.userName, (s) => `${s.displayName}（${s.userName}）`));
  const from = h('input', { id: 'absence-from', type: 'datetime-local' });
  const to = h('input', { id: 'absence-to', type: 'datetime-local' });
  const reason = h('input', { id: 'absence-reason', maxlength: 200 });
  const message = h('div', { id: 'absence-message' });
  const form = h('form', { class: 'card', id: 'absence-form' }, h('h2', null, t('admin.create')),
    h('label', { for: 'absence-user' }, t('admin.displayName')), who, h('label', { for: 'absence-from' }, t('admin.from')), from,
    h('label', { for: 'absence-to' }, t('admin.to')), to, h('label', { for: 'absence-reason' }, t('admin.reason')), reason, message,
    h('button', { type: 'submit', class: 'primary', id: 'absence-create' }, t('admin.create')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('/api/admin/absences', { json: { userName: who.value, from: from.value ? new Date(from.value).toISOString() : null, to: to.value ? new Date(to.value).toISOString() : null, reason: reason.value.trim() || null } });
      await absences(body);
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  });
  replace(body, h('table', { class: 'grid', id: 'absences-table' },
    h('thead', null, h('tr', null, ['admin.displayName', 'admin.from', 'admin.to', 'admin.reason', ''].map((k) => h('th', null, k ? t(k) : '')))),
    h('tbody', null, list.map((a) => h('tr', null, h('td', null, a.userName), h('td', null, formatDateTime(a.from)), h('td', null, formatDateTime(a.to)), h('td', null, a.reason ?? ''),
      h('td', null, h('button', { type: 'button', class: 'danger', onclick: async () => {
        await api(`/api/admin/absences/${a.id}`, { method: 'DELETE' }).catch(fail);
        await absences(body);
      } }, t('admin.remove'))))))), form);
}

// The duty roster (值班表) of a unit for a month: every day with its duty officers, weekends and holidays marked
// (those still without anyone in amber); the month is edited here and saved as a whole.
async function duty(body) {
  const [unitList, staff] = await Promise.all([api('/api/admin/units'), api('/api/admin/staff')]);
  const unit = h('select', { id: 'duty-unit', style: { maxWidth: '320px' } }, options(unitList, (u) => u.id, (u) => u.name));
  const today = new Date();
  const month = h('input', { id: 'duty-month', type: 'month', value: `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}`, style: { maxWidth: '170px' } });
  const status = h('div', { id: 'duty-status' });
  const message = h('div', { id: 'duty-message' });
  const table = h('div', { id: 'duty-list' });
  const name = new Map(staff.map((s) => [s.userName, s.displayName]));
  const weekday = new Intl.DateTimeFormat(isEnglish() ? 'en' : 'zh-CN', { weekday: 'short' });
  let roster = null;
  const render = () => {
    const members = staff.filter((s) => s.unitId === roster.unitId && s.active !== false);
    const missing = roster.days.filter((d) => !d.workingDay && d.userNames.length === 0).map((d) => d.date.slice(5));
    replace(status, missing.length === 0
      ? notice('success', t('admin.dutyComplete', { due: roster.dueDate }))
      : notice('warning', t('admin.dutyMissing', { days: missing.join('、'), due: roster.dueDate })));
    const officers = (day) => day.userNames.map((u) => h('span', { class: 'badge', dataset: { user: u } }, name.get(u) ?? u, ' ',
      h('button', { type: 'button', class: 'link', title: t('admin.remove'), 'aria-label': `${t('admin.remove')} ${name.get(u) ?? u}`, onclick: () => {
        day.userNames = day.userNames.filter((x) => x !== u);
        render();
      } }, '×')));
    const add = (day) => h('select', { 'aria-label': `${t('admin.addOnDuty')} ${day.date}`, style: { maxWidth: '260px' }, onchange: (event) => {
      day.userNames = [...day.userNames, event.target.value];
      render();
    } }, h('option', { value: '' }, t('admin.addOnDuty')), options(members.filter((m) => !day.userNames.includes(m.userName)), (m) => m.userName, (m) => `${m.displayName}（${m.userName}）`));
    replace(table, h('table', { class: 'grid', id: 'duty-table' },
      h('thead', null, h('tr', null, ['admin.date', 'admin.dayKind', 'admin.onDuty'].map((k) => h('th', null, t(k))))),
      h('tbody', null, roster.days.map((day) => h('tr', { dataset: { date: day.date } },
        h('td', null, `${day.date}（${weekday.format(new Date(`${day.date}T00:00:00`))}）`),
        h('td', null, day.workingDay ? t('admin.workingDay') : h('span', { class: day.userNames.length === 0 ? 'badge badge-warn' : 'badge' }, t('admin.dayOff'))),
        h('td', null, officers(day), ' ', add(day)))))));
  };
  let asked = 0;
  const load = async () => {
    const ask = ++asked;
    const answer = await api(`/api/duty-roster?unitId=${encodeURIComponent(unit.value)}&month=${month.value}`);
    if (ask === asked) { // a later choice of unit or month wins over an earlier answer still on its way
      roster = answer;
      replace(message);
      render();
    }
  };
  const save = h('button', { type: 'button', class: 'primary', id: 'duty-save', onclick: async () => {
    const days = roster.days.filter((d) => d.userNames.length > 0).map((d) => ({ date: d.date, userNames: d.userNames }));
    try {
      roster = await api(`/api/duty-roster/${encodeURIComponent(roster.unitId)}/${roster.month}`, { method: 'PUT', json: { days } });
      render();
      replace(message, notice('success', t('admin.saved')));
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  } }, t('admin.save'));
  unit.addEventListener('change', () => load().catch(fail));
  month.addEventListener('change', () => load().catch(fail));
  replace(body, h('div', { class: 'card toolbar', id: 'duty-form' }, t('admin.duty'), unit, month, save), status, message, table);
  await load();
}
