// The public progress of a complaint (GET /api/public/track): status and timeline, as text.
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';
import { statusName, timeline } from '../shared/complaints.js';

define({
  'progress.title': ['办理进度', 'Progress'],
  'progress.status': ['当前状态：{status}', 'Status: {status}'],
  'progress.received': ['登记时间：{at}', 'Received: {at}'],
  'progress.respondent': ['被投诉方：', 'Respondent: '],
});

export async function showProgress(host, trackingNumber, phone) {
  replace(host, h('p', { class: 'muted' }, t('common.loading')));
  try {
    const params = new URLSearchParams({ trackingNumber, phone });
    const progress = await api(`/api/public/track?${params}`, { onUnauthorized: 'ignore' });
    replace(host, h('div', { class: 'card', id: 'progress' },
      h('h2', null, t('progress.title'), ' ', progress.trackingNumber),
      h('p', { id: 'progress-status' }, t('progress.status', { status: statusName(progress.status) })),
      h('p', null, t('progress.received', { at: formatDateTime(progress.receivedAt) })),
      h('p', null, t('progress.respondent'), h('span', { id: 'progress-respondent' }, progress.respondentName)),
      timeline(progress.timeline)));
    return progress;
  } catch (error) {
    replace(host, notice('error', error.fullMessage ?? error.message));
    return null;
  }
}
