// The enterprise portal (在线消费纠纷解决, ODR): an ODR business's account sees the complaints offered to it (the
// consumer's name and phone masked), answers and proposes a settlement within the limit, and reads the centre's
// feedback (处理意见) and risk notices (风险提示).
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';
import { statusName } from '../shared/complaints.js';

define({
  'odr.title': ['企业端 · 在线消费纠纷解决', 'Enterprise portal (ODR)'],
  'odr.complaints': ['待处理与历史投诉', 'Complaints'],
  'odr.none': ['暂无投诉', 'No complaints'],
  'odr.notices': ['处理意见与风险提示', 'Feedback and risk notices'],
  'odr.noNotices': ['暂无', 'None'],
  'odr.kind.feedback': ['处理意见', 'Feedback'],
  'odr.kind.risk': ['风险提示', 'Risk notice'],
  'odr.consumer': ['投诉人：{name}（{phone}）', 'Consumer: {name} ({phone})'],
  'odr.request': ['诉求：', 'Request: '],
  'odr.facts': ['事实与理由：', 'Facts: '],
  'odr.dueAt': ['请于 {at} 前答复', 'Answer by {at}'],
  'odr.answer': ['答复', 'Answer'],
  'odr.proposal': ['和解方案', 'Settlement proposal'],
  'odr.submit': ['提交答复与和解方案', 'Send answer and proposal'],
  'odr.sent': ['已提交，等待消费者确认', 'Sent; the consumer decides next'],
  'odr.outcome.settled': ['和解成功', 'Settled'],
  'odr.outcome.rejected': ['消费者未接受，已转调解', 'Rejected; gone to mediation'],
  'odr.outcome.expired': ['逾期，已转调解', 'Time limit passed; gone to mediation'],
  'odr.decision.accepted': ['消费者已接受', 'Accepted'],
  'odr.decision.rejected': ['消费者已拒绝', 'Rejected'],
  'odr.privacy': ['消费者个人信息按规定脱敏显示。', 'The consumer\'s personal data is shown masked, as the rules require.'],
});

const { main } = await mountLayout({ page: 'odr', title: 'odr.title', roles: ['business'] });
if (main) {
  const complaints = h('div', { id: 'odr-complaints' });
  const notices = h('div', { id: 'odr-notices' });
  main.append(h('h1', null, t('odr.title')), h('p', { class: 'muted' }, t('odr.privacy')),
    h('h2', null, t('odr.notices')), notices, h('h2', null, t('odr.complaints')), complaints);

  const card = (c) => {
    const body = [
      h('h3', null, c.trackingNumber, ' · ', c.respondentName, ' · ', statusName(c.status)),
      h('p', { class: 'odr-consumer' }, t('odr.consumer', { name: c.consumerName, phone: c.consumerPhone })),
      h('p', null, h('strong', null, t('odr.request')), c.request),
      h('p', null, h('strong', null, t('odr.facts')), c.facts),
      c.settlements.map((s) => h('p', { class: 'odr-settlement' }, `${t('odr.proposal')}：${s.proposal}`, s.decision ? `（${t(`odr.decision.${s.decision}`)}）` : '')),
      c.notices.map((n) => h('p', { class: 'notice info' }, `${t(`odr.kind.${n.kind}`)}：${n.text}`)),
      c.outcome ? h('p', { class: 'odr-outcome' }, t(`odr.outcome.${c.outcome}`)) : null,
    ];
    if (c.awaitingAnswer) {
      const answer = h('textarea', { id: `odr-answer-${c.id}`, required: true });
      const proposal = h('textarea', { id: `odr-proposal-${c.id}`, required: true });
      const form = h('form', { class: 'odr-form' },
        c.answerDueAt ? h('p', { class: 'odr-due' }, t('odr.dueAt', { at: formatDateTime(c.answerDueAt) })) : null,
        h('label', { for: answer.id }, t('odr.answer')), answer,
        h('label', { for: proposal.id }, t('odr.proposal')), proposal,
        h('button', { type: 'submit', class: 'primary' }, t('odr.submit')));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          await api(`/api/odr/complaints/${c.id}/answer`, { json: { answer: answer.value, proposal: proposal.value } });
          toast('success', t('odr.sent'));
          await load();
        } catch (error) {
          toast('error', error.fullMessage ?? error.message);
        }
      });
      body.push(form);
    }
    return h('div', { class: 'card odr-complaint', 'data-id': c.id }, body);
  };

  async function load() {
    const [list, items] = await Promise.all([api('/api/odr/complaints'), api('/api/odr/notices')]);
    replace(complaints, list.length ? list.map(card) : h('p', { class: 'muted' }, t('odr.none')));
    const general = items.filter((n) => !n.complaintId || n.kind === 'risk');
    replace(notices, general.length ? general.map((n) => h('p', { class: `notice ${n.kind === 'risk' ? 'warning' : 'info'}` }, `${formatDateTime(n.at)} ${t(`odr.kind.${n.kind}`)}：${n.text}`)) : h('p', { class: 'muted' }, t('odr.noNotices')));
  }

  try {
    await load();
  } catch (error) {
    replace(complaints, notice('error', error.fullMessage ?? error.message));
  }
}
