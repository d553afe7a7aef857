// Mobile intake (流动投诉受理点): a phone-sized complaint form for the staff on duty at a mobile intake point. It works
// without a connection: the service worker (/mobile/sw.js) keeps the page, and submissions wait in the outbox
// (IndexedDB, each with its idempotency key) until the host can be reached; they are sent when the connection returns.
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { define, formatDateTime, t } from '../shared/i18n.js';
import { enqueue, entries, flush } from './outbox.js';
import { voiceInput } from '../shared/voice.js';

define({
  'mobile.title': ['流动受理点登记', 'Mobile intake'],
  'mobile.point': ['受理点', 'Intake point'],
  'mobile.noPoint': ['您不在任何流动受理点的值班名单中', 'You are on duty at no mobile intake point'],
  'mobile.consumerName': ['投诉人姓名', 'Consumer name'],
  'mobile.consumerPhone': ['联系电话', 'Phone'],
  'mobile.consumerAddress': ['投诉人地址', 'Consumer address'],
  'mobile.respondentName': ['被投诉方名称', 'Respondent'],
  'mobile.respondentAddress': ['被投诉方地址', 'Respondent address'],
  'mobile.request': ['投诉诉求', 'Request'],
  'mobile.facts': ['事实与理由', 'Facts'],
  'mobile.submit': ['登记', 'Register'],
  'mobile.online': ['在线', 'Online'],
  'mobile.offline': ['离线：登记将保存在本机，联网后自动提交', 'Offline: registrations are kept on this phone and sent when back online'],
  'mobile.queue': ['本机登记记录', 'Registrations on this phone'],
  'mobile.queued': ['待提交', 'Waiting to be sent'],
  'mobile.sent': ['已提交，受理号 {number}', 'Sent, tracking number {number}'],
  'mobile.refused': ['被退回：{error}', 'Refused: {error}'],
  'mobile.saved': ['已保存，将在联网时提交', 'Saved; it will be sent when online'],
  'mobile.required': ['请填写全部栏目', 'Fill in every field'],
});

const { main } = await mountLayout({ page: 'mobile', title: 'mobile.title', roles: ['desk_officer', 'administrator'] });
if (main) {
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/mobile/sw.js', { scope: '/mobile/' }).catch(() => {});
  }

  const points = await api('/api/mobile-points/mine', { onUnauthorized: 'ignore' }).catch(() => []);
  const status = h('p', { id: 'mobile-status', class: 'muted', role: 'status' });
  const list = h('ul', { id: 'mobile-queue' });
  const field = (name, type = 'input') => h(type, { id: `mobile-${name}`, name, required: true, ...(name === 'consumerPhone' ? { type: 'tel', inputmode: 'tel' } : {}) });
  const names = ['consumerName', 'consumerPhone', 'consumerAddress', 'respondentName', 'respondentAddress', 'request'];
  const inputs = Object.fromEntries([...names.map((n) => [n, field(n)]), ['facts', field('facts', 'textarea')]]);
  const point = h('select', { id: 'mobile-point', name: 'mobilePointId' }, points.map((p) => h('option', { value: p.id }, `${p.name}（${p.place}）`)));
  const error = h('div', { class: 'field-error', id: 'mobile-error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'mobile-form', novalidate: true },
    h('label', { for: 'mobile-point' }, t('mobile.point')), point,
    Object.entries(inputs).flatMap(([name, input]) => [h('label', { for: input.id }, t(`mobile.${name}`)), input]),
    error,
    h('button', { type: 'submit', class: 'primary', id: 'mobile-submit', style: { marginTop: '1rem', width: '100%' } }, t('mobile.submit')));
  const voice = await voiceInput(inputs.facts, { idPrefix: 'mobile' });
  inputs.facts.after(voice.element);
  main.append(h('h1', null, t('mobile.title')), status, points.length ? form : h('p', { class: 'notice error' }, t('mobile.noPoint')), h('h2', null, t('mobile.queue')), list);

  const showStatus = () => { status.textContent = navigator.onLine ? t('mobile.online') : t('mobile.offline'); };
  const showQueue = async () => {
    const all = (await entries()).sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
    replace(list, all.map((e) => h('li', { class: `mobile-entry ${e.state}`, 'data-key': e.key },
      `${formatDateTime(e.queuedAt)} ${e.body.consumerName} → ${e.body.respondentName}：`,
      e.state === 'sent' ? t('mobile.sent', { number: e.trackingNumber }) : e.state === 'refused' ? t('mobile.refused', { error: e.error }) : t('mobile.queued'))));
  };
  const send = async () => { await flush(); await showQueue(); };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, input.value.trim()]));
    if (Object.values(body).some((v) => !v)) {
      error.textContent = t('mobile.required');
      return;
    }
    error.textContent = '';
    // Received now, at the point: the 30-minute registration rule counts from here, however late the phone gets online.
    await enqueue({ ...body, voiceRecordingId: voice.recordingId(), channel: 'MobilePoint', mobilePointId: point.value, receivedAt: new Date().toISOString() });
    form.reset();
    voice.reset();
    status.textContent = t('mobile.saved');
    await showQueue();
    if (navigator.onLine) {
      await send();
    }
  });
  window.addEventListener('online', () => { showStatus(); send(); });
  window.addEventListener('offline', showStatus);
  showStatus();
  await send();
}
