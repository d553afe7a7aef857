// Public complaint disclosure (投诉公示): per business and month, from archived complaints only, published after an
// administrator's review. No personal data: business names and figures.
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { define, t } from '../shared/i18n.js';

define({
  'disclosure.title': ['投诉公示', 'Complaint disclosure'],
  'disclosure.month': ['月份', 'Month'],
  'disclosure.none': ['尚无公示', 'Nothing published yet'],
  'disclosure.business': ['被投诉企业', 'Business'],
  'disclosure.received': ['投诉量', 'Complaints'],
  'disclosure.growth': ['环比', 'Change'],
  'disclosure.mediation': ['调解成功率', 'Mediation success'],
  'disclosure.odr': ['先行和解率（ODR企业）', 'Settled by the business (ODR)'],
  'disclosure.note': ['统计口径：当月归档的投诉；调解成功率 = 调解成功 / 已调解；先行和解率 = 企业自行和解 / 交由企业先行和解。', 'Counted from the complaints archived in the month; mediation success = successful / mediated; settled by the business = settled / offered to it.'],
});

const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

const { main } = await mountLayout({ page: 'disclosure', title: 'disclosure.title' });
const table = h('div', { id: 'disclosure-table' });
const months = await api('/api/public/disclosures', { onUnauthorized: 'ignore' }).catch(() => []);
const select = h('select', { id: 'disclosure-month' }, months.map((m) => h('option', { value: m }, m)));
main.append(h('h1', null, t('disclosure.title')), h('label', { for: 'disclosure-month' }, t('disclosure.month')), select, table, h('p', { class: 'muted' }, t('disclosure.note')));

async function show(month) {
  if (!month) {
    replace(table, h('p', { class: 'muted' }, t('disclosure.none')));
    return;
  }
  try {
    const data = await api(`/api/public/disclosures/${month}`, { onUnauthorized: 'ignore' });
    replace(table, h('table', { class: 'table' },
      h('thead', null, h('tr', null, ['business', 'received', 'growth', 'mediation', 'odr'].map((k) => h('th', null, t(`disclosure.${k}`))))),
      h('tbody', null, data.lines.map((l) => h('tr', null,
        h('td', null, l.businessName), h('td', null, String(l.received)), h('td', null, percent(l.growth)),
        h('td', null, percent(l.mediationSuccessRate)), h('td', null, l.odr ? percent(l.odrSettledRate) : '—'))))));
  } catch (error) {
    replace(table, notice('error', error.fullMessage ?? error.message));
  }
}

select.addEventListener('change', () => show(select.value));
await show(new URLSearchParams(location.search).get('month') ?? months[0]);
