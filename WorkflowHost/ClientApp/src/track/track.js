// Follow a complaint with its tracking number and the phone number it was filed with (no sign-in).
import { mountLayout } from '../shared/layout.js';
import { h } from '../shared/dom.js';
import { define, t } from '../shared/i18n.js';
import { showProgress } from '../portal/progress.js';
import { showProposal } from './proposal.js';

define({
  'track.title': ['进度查询', 'Track a complaint'],
  'track.trackingNumber': ['受理号', 'Tracking number'],
  'track.phone': ['投诉时填写的手机号码', 'Phone number given when filing'],
  'track.submit': ['查询', 'Look up'],
  'track.required': ['请填写受理号和手机号码', 'Enter the tracking number and phone number'],
});

const { main } = await mountLayout({ page: 'track', title: 'track.title' });
const tracking = h('input', { id: 'track-number', required: true, value: new URLSearchParams(location.search).get('trackingNumber') ?? '' });
const phone = h('input', { id: 'track-phone', type: 'tel', inputmode: 'tel', required: true });
const error = h('div', { class: 'field-error', id: 'track-error', role: 'alert' });
const result = h('div', { id: 'track-result' });
const form = h('form', { class: 'card', novalidate: true },
  h('label', { for: 'track-number' }, t('track.trackingNumber')), tracking,
  h('label', { for: 'track-phone' }, t('track.phone')), phone, error,
  h('button', { type: 'submit', class: 'primary', id: 'track-submit', style: { marginTop: '1rem', width: '100%' } }, t('track.submit')));
main.append(h('h1', null, t('track.title')), form, result);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = !tracking.value.trim() || !phone.value.trim() ? t('track.required') : '';
  if (!error.textContent) {
    if (await showProgress(result, tracking.value.trim(), phone.value.trim())) {
      await showProposal(result, tracking.value.trim(), phone.value.trim());
    }
  }
});
