// The consumer portal (phone first): file a complaint with receipts and photos, get the tracking number and
// see the progress timeline at once. Required fields are checked here and again by the server, whose
// messages are shown under the field they name.
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { define, t } from '../shared/i18n.js';
import { attachmentLimits, checkFiles, limitsText, uploadFiles } from '../shared/complaints.js';
import { showProgress } from './progress.js';
import { voiceInput } from '../shared/voice.js';

define({
  'portal.title': ['我要投诉', 'File a complaint'],
  'portal.intro': ['请如实填写，带 * 的为必填项。提交后您将获得受理号，可凭受理号和手机号查询进度。', 'Fields marked * are required. You get a tracking number to follow the progress with your phone number.'],
  'portal.consumerName': ['您的姓名 *', 'Your name *'],
  'portal.consumerPhone': ['手机号码 *', 'Mobile phone *'],
  'portal.consumerAddress': ['您的地址 *', 'Your address *'],
  'portal.consumerEmail': ['电子邮箱', 'E-mail'],
  'portal.respondentName': ['被投诉商家名称 *', 'Business complained about *'],
  'portal.respondentAddress': ['商家地址 *', 'Business address *'],
  'portal.request': ['您的诉求 *', 'What you ask for *'],
  'portal.facts': ['事实与理由 *', 'What happened *'],
  'portal.files': ['凭证材料（发票、小票、照片）', 'Evidence (invoices, receipts, photos)'],
  'portal.submit': ['提交投诉', 'Submit'],
  'portal.required': ['请填写此项', 'This field is required'],
  'portal.badPhone': ['请填写 11 位手机号或带区号的固定电话', 'Enter an 11-digit mobile number or a landline with area code'],
  'portal.badEmail': ['电子邮箱格式不正确', 'Not an e-mail address'],
  'portal.fix': ['请更正标出的内容后再提交。', 'Correct the marked fields and submit again.'],
  'portal.done': ['投诉已提交，受理号：', 'Complaint filed. Tracking number: '],
  'portal.keep': ['请牢记受理号，凭受理号和手机号可随时查询办理进度。', 'Keep the tracking number: with it and your phone number you can follow the progress.'],
  'portal.filesFailed': ['投诉已提交，但附件未能上传：', 'The complaint was filed, but the files were not uploaded: '],
  'portal.track': ['查询办理进度', 'Follow the progress'],
});

const { main } = await mountLayout({ page: 'portal', title: 'portal.title' });
const limits = await attachmentLimits().catch(() => null);
const fields = {};
const errors = {};

function field(name, { type = 'text', multiline = false, required = true, autocomplete } = {}) {
  const input = multiline
    ? h('textarea', { id: `portal-${name}`, name, rows: name === 'facts' ? 6 : 2, required })
    : h('input', { id: `portal-${name}`, name, type, required, autocomplete, inputmode: type === 'tel' ? 'tel' : null });
  fields[name] = input;
  errors[name] = h('div', { class: 'field-error', id: `portal-${name}-error`, role: 'alert' });
  return [h('label', { for: input.id }, t(`portal.${name}`)), input, errors[name]];
}

const files = h('input', { id: 'portal-files', type: 'file', multiple: true, accept: limits ? limits.extensions.join(',') : null });
const filesError = h('div', { class: 'field-error', id: 'portal-files-error', role: 'alert' });
const message = h('div', { id: 'portal-message' });
const submit = h('button', { type: 'submit', class: 'primary', id: 'portal-submit', style: { width: '100%', marginTop: '1rem' } }, t('portal.submit'));
const form = h('form', { class: 'card', id: 'portal-form', novalidate: true },
  h('p', { class: 'muted' }, t('portal.intro')),
  field('consumerName', { autocomplete: 'name' }),
  field('consumerPhone', { type: 'tel', autocomplete: 'tel' }),
  field('consumerAddress', { autocomplete: 'street-address' }),
  field('consumerEmail', { type: 'email', required: false, autocomplete: 'email' }),
  field('respondentName'),
  field('respondentAddress'),
  field('request', { multiline: true }),
  field('facts', { multiline: true }),
  h('label', { for: 'portal-files' }, t('portal.files')), files,
  limits ? h('p', { class: 'muted', id: 'portal-limits' }, limitsText(limits)) : null,
  filesError,
  message,
  submit);
const voice = await voiceInput(fields.facts, { idPrefix: 'portal' });
fields.facts.after(voice.element);
const result = h('div', { id: 'portal-result' });
main.append(h('h1', null, t('portal.title')), form, result);

// One key per filled-in form: pressing submit twice (or a retry after a lost answer) files one complaint.
let idempotencyKey = crypto.randomUUID();
const phonePattern = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

function check() {
  let ok = true;
  for (const [name, input] of Object.entries(fields)) {
    const value = input.value.trim();
    let problem = '';
    if (input.required && !value) {
      problem = t('portal.required');
    } else if (name === 'consumerPhone' && !phonePattern.test(value.replace(/[\s-]/g, '').replace(/^\+?86/, ''))) {
      problem = t('portal.badPhone');
    } else if (name === 'consumerEmail' && value && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
      problem = t('portal.badEmail');
    }
    replace(errors[name], problem);
    input.setAttribute('aria-invalid', problem ? 'true' : 'false');
    ok &&= !problem;
  }
  const chosen = [...files.files];
  const fileProblems = limits ? checkFiles(chosen, limits) : [];
  replace(filesError, fileProblems.join('\n'));
  return ok && fileProblems.length === 0;
}

files.addEventListener('change', check);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  replace(message);
  if (!check()) {
    replace(message, notice('error', t('portal.fix')));
    return;
  }
  submit.disabled = true;
  const body = Object.fromEntries(Object.entries(fields).map(([name, input]) => [name, input.value.trim() || null]));
  let filed;
  try {
    filed = await api('/api/complaints', { json: { ...body, voiceRecordingId: voice.recordingId() }, headers: { 'Idempotency-Key': idempotencyKey }, onUnauthorized: 'ignore' });
  } catch (error) {
    for (const [name, messages] of Object.entries(error.errors ?? {})) {
      if (errors[name]) {
        replace(errors[name], [].concat(messages).join(' '));
      }
    }
    replace(message, notice('error', error.fullMessage ?? error.message));
    submit.disabled = false;
    return;
  }

  const chosen = [...files.files];
  let filesProblem = null;
  if (chosen.length) {
    try {
      await uploadFiles(`/api/public/complaints/${encodeURIComponent(filed.trackingNumber)}/attachments`, chosen, { phone: body.consumerPhone });
    } catch (error) {
      filesProblem = error.fullMessage ?? error.message;
    }
  }

  idempotencyKey = crypto.randomUUID();
  form.hidden = true;
  replace(result,
    h('div', { class: 'card' },
      notice('success', [t('portal.done'), h('strong', { id: 'portal-tracking' }, filed.trackingNumber)]),
      filesProblem ? notice('warning', t('portal.filesFailed') + filesProblem) : null,
      h('p', null, t('portal.keep')),
      h('p', null, h('a', { href: `/track/?trackingNumber=${encodeURIComponent(filed.trackingNumber)}`, id: 'portal-track-link' }, t('portal.track')))),
    h('div', { id: 'portal-progress' }));
  await showProgress(result.querySelector('#portal-progress'), filed.trackingNumber, body.consumerPhone);
});
