// A settlement proposal of an ODR business waiting for the consumer (GET /api/public/odr/proposal): accept or reject.
import { api } from '../shared/api.js';
import { h, replace, toast } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';

define({
  'proposal.title': ['商家和解方案', 'The business\'s settlement proposal'],
  'proposal.answer': ['商家答复：', 'Answer: '],
  'proposal.proposal': ['和解方案：', 'Proposal: '],
  'proposal.at': ['提出时间：{at}', 'Proposed: {at}'],
  'proposal.accept': ['接受方案', 'Accept'],
  'proposal.reject': ['不接受，转调解', 'Reject (go to mediation)'],
  'proposal.accepted': ['您已接受和解方案，投诉办结', 'You accepted; the complaint is closed'],
  'proposal.rejected': ['您未接受方案，投诉转承办单位调解', 'You rejected; the unit will mediate'],
  'proposal.sms': ['也可回复短信 1 接受、2 拒绝。', 'You can also reply 1 (accept) or 2 (reject) by SMS.'],
});

export async function showProposal(host, trackingNumber, phone) {
  let proposal;
  try {
    proposal = await api(`/api/public/odr/proposal?${new URLSearchParams({ trackingNumber, phone })}`, { onUnauthorized: 'ignore' });
  } catch {
    return; // none waiting
  }
  const box = h('div', { class: 'card', id: 'odr-proposal' });
  const decide = async (accept) => {
    try {
      await api('/api/public/odr/decision', { json: { trackingNumber, phone, accept }, onUnauthorized: 'ignore' });
      replace(box, h('p', { class: 'notice success', id: 'odr-decided' }, t(accept ? 'proposal.accepted' : 'proposal.rejected')));
    } catch (error) {
      toast('error', error.fullMessage ?? error.message);
    }
  };
  box.append(h('h2', null, t('proposal.title')),
    h('p', null, t('proposal.answer'), proposal.answer),
    h('p', { id: 'odr-proposal-text' }, t('proposal.proposal'), proposal.proposal),
    h('p', { class: 'muted' }, t('proposal.at', { at: formatDateTime(proposal.proposedAt) })),
    h('button', { type: 'button', class: 'primary', id: 'odr-accept', onclick: () => decide(true) }, t('proposal.accept')), ' ',
    h('button', { type: 'button', id: 'odr-reject', onclick: () => decide(false) }, t('proposal.reject')),
    h('p', { class: 'muted' }, t('proposal.sms')));
  host.prepend(box);
}
