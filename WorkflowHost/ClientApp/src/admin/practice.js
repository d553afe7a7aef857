// Administration tabs for the mobile intake points (流动投诉受理点), the ODR businesses and their portal accounts, and
// the monthly complaint disclosure's review (投诉公示: draft → reviewed → published).
import { api } from '../shared/api.js';
import { h, notice, replace, toast } from '../shared/dom.js';
import { define, t } from '../shared/i18n.js';

define({
  'admin.mobilePoints': ['流动受理点', 'Mobile intake points'],
  'admin.odr': ['ODR企业', 'ODR businesses'],
  'admin.disclosure': ['投诉公示', 'Disclosure'],
  'practice.place': ['地点', 'Place'],
  'practice.weekdays': ['开放日（1=周一 … 7=周日，逗号分隔）', 'Open days (1 = Monday … 7 = Sunday, comma separated)'],
  'practice.staff': ['值班人员用户名（逗号分隔）', 'Staff on duty, user names (comma separated)'],
  'practice.active': ['启用', 'Open'],
  'practice.branches': ['门店/分支机构（每行一个）', 'Branches (one per line)'],
  'practice.accounts': ['企业端账号', 'Portal accounts'],
  'practice.addAccount': ['新增企业端账号', 'Add a portal account'],
  'practice.month': ['月份（yyyy-MM）', 'Month (yyyy-MM)'],
  'practice.draft': ['统计（草稿）', 'Count (draft)'],
  'practice.review': ['审核通过', 'Mark reviewed'],
  'practice.publish': ['公示', 'Publish'],
  'practice.status.Draft': ['草稿', 'Draft'],
  'practice.status.Reviewed': ['已审核', 'Reviewed'],
  'practice.status.Published': ['已公示', 'Published'],
});

const fail = (error) => toast('error', error.fullMessage ?? error.message, 8000);
const input = (id, value = '') => h('input', { id, value });
const labelled = (id, label, control) => [h('label', { for: id }, t(label)), control];

export async function mobilePoints(body) {
  const [points, units] = await Promise.all([api('/api/admin/mobile-points'), api('/api/admin/units')]);
  const id = input('point-id');
  const name = input('point-name');
  const place = input('point-place');
  const unit = h('select', { id: 'point-unit' }, units.map((u) => h('option', { value: u.id }, u.name)));
  const days = input('point-days', '2,5');
  const staff = input('point-staff');
  const form = h('form', { class: 'card', id: 'point-form' }, h('h2', null, t('admin.create')),
    labelled('point-id', 'admin.id', id), labelled('point-name', 'admin.name', name), labelled('point-place', 'practice.place', place),
    labelled('point-unit', 'admin.unit', unit), labelled('point-days', 'practice.weekdays', days), labelled('point-staff', 'practice.staff', staff),
    h('button', { type: 'submit', class: 'primary', id: 'point-save' }, t('admin.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/admin/mobile-points/${encodeURIComponent(id.value.trim())}`, { method: 'PUT', json: {
        name: name.value, place: place.value, unitId: unit.value,
        weekdays: days.value.split(',').map((d) => Number(d.trim())).filter((d) => d), staffOnDuty: staff.value.split(',').map((s) => s.trim()).filter(Boolean), active: true,
      } });
      toast('success', t('admin.saved'));
      await mobilePoints(body);
    } catch (error) {
      fail(error);
    }
  });
  const weekday = ['', '一', '二', '三', '四', '五', '六', '日'];
  replace(body, h('table', { class: 'table', id: 'point-list' },
    h('thead', null, h('tr', null, ['admin.name', 'practice.place', 'admin.unit', 'practice.weekdays', 'practice.staff', 'practice.active'].map((k) => h('th', null, t(k))))),
    h('tbody', null, points.map((p) => h('tr', { 'data-id': p.id },
      h('td', null, p.name), h('td', null, p.place), h('td', null, units.find((u) => u.id === p.unitId)?.name ?? p.unitId),
      h('td', null, p.weekdays.map((d) => `周${weekday[d]}`).join('、')), h('td', null, p.staffOnDuty.join('、')), h('td', null, p.active ? '✓' : '—'))))),
  form);
}

export async function odr(body) {
  const businesses = await api('/api/admin/odr/businesses');
  const id = input('odr-id');
  const name = input('odr-name');
  const branches = h('textarea', { id: 'odr-branches' });
  const form = h('form', { class: 'card', id: 'odr-form' }, h('h2', null, t('admin.create')),
    labelled('odr-id', 'admin.id', id), labelled('odr-name', 'admin.name', name), labelled('odr-branches', 'practice.branches', branches),
    h('button', { type: 'submit', class: 'primary', id: 'odr-save' }, t('admin.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/admin/odr/businesses/${encodeURIComponent(id.value.trim())}`, { method: 'PUT', json: { name: name.value, branches: branches.value, active: true } });
      toast('success', t('admin.saved'));
      await odr(body);
    } catch (error) {
      fail(error);
    }
  });
  const account = (b) => {
    const user = h('input', { placeholder: t('admin.userName') });
    const password = h('input', { type: 'password', autocomplete: 'new-password', placeholder: t('admin.password') });
    const add = h('form', { class: 'toolbar' }, user, password, h('button', { type: 'submit' }, t('practice.addAccount')));
    add.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api(`/api/admin/odr/businesses/${encodeURIComponent(b.id)}/accounts`, { json: { userName: user.value.trim(), password: password.value } });
        toast('success', t('admin.created', { name: user.value.trim() }));
        await odr(body);
      } catch (error) {
        fail(error);
      }
    });
    return add;
  };
  replace(body, businesses.map((b) => h('div', { class: 'card', 'data-id': b.id },
    h('h3', null, b.name), h('p', null, t('practice.branches'), '：', b.branches.join('、') || '—'),
    h('p', null, t('practice.accounts'), '：', b.accounts.join('、') || '—'), account(b))), form);
}

export async function disclosure(body) {
  const now = new Date();
  const last = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  const month = input('disclosure-month', `${last.getFullYear()}-${String(last.getMonth() + 1).padStart(2, '0')}`);
  const result = h('div', { id: 'disclosure-result' });
  const act = (action) => async () => {
    try {
      show(await api(`/api/admin/disclosures/${month.value.trim()}/${action}`, { json: {} }));
    } catch (error) {
      fail(error);
    }
  };
  const show = (data) => replace(result, h('p', { id: 'disclosure-status' }, t(`practice.status.${data.status}`)),
    h('table', { class: 'table' }, h('tbody', null, data.lines.map((l) => h('tr', null, h('td', null, l.businessName), h('td', null, String(l.received)),
      h('td', null, l.mediationSuccessRate === null ? '—' : `${(l.mediationSuccessRate * 100).toFixed(1)}%`),
      h('td', null, l.odr && l.odrSettledRate !== null ? `${(l.odrSettledRate * 100).toFixed(1)}%` : '—'))))));
  replace(body, h('div', { class: 'card toolbar' }, labelled('disclosure-month', 'practice.month', month),
    h('button', { type: 'button', id: 'disclosure-draft', onclick: act('draft') }, t('practice.draft')),
    h('button', { type: 'button', id: 'disclosure-review', onclick: act('review') }, t('practice.review')),
    h('button', { type: 'button', class: 'primary', id: 'disclosure-publish', onclick: act('publish') }, t('practice.publish'))), result);
  api(`/api/admin/disclosures/${month.value}`).then(show).catch(() => replace(result, notice('info', '—')));
}
