// The satisfaction survey (满意度评价) from the link in the SMS or e-mail: /survey/?token=... answers through
// GET/POST /api/public/survey?token= (no sign-in); a signed-in consumer may also come with ?complaint=<id>
// (POST /api/complaints/{id}/survey). Six indicators from 1 to 5, overall required, and a comment.
import { mountLayout } from '../shared/layout.js';
import { api } from '../shared/api.js';
import { h, notice, replace } from '../shared/dom.js';
import { define, t } from '../shared/i18n.js';

define({
  'survey.title': ['满意度评价', 'Satisfaction survey'],
  'survey.intro': ['感谢您的反馈。请为本次投诉的处理打分（1 = 非常不满意，5 = 非常满意）。', 'Thank you. Rate how your complaint was handled (1 = very dissatisfied, 5 = very satisfied).'],
  'survey.overall': ['总体满意度', 'Overall'],
  'survey.speed': ['处理速度', 'Speed'],
  'survey.attitude': ['服务态度', 'Attitude'],
  'survey.communication': ['沟通情况', 'Communication'],
  'survey.fairness': ['处理公正', 'Fairness'],
  'survey.professionalism': ['专业水平', 'Professionalism'],
  'survey.comment': ['意见建议', 'Comments'],
  'survey.submit': ['提交评价', 'Submit'],
  'survey.thanks': ['评价已提交，感谢您的参与！', 'Thank you, your answer was recorded.'],
  'survey.required': ['请为每个带 * 的项目打分', 'Rate every item marked *'],
  'survey.noLink': ['链接无效：缺少评价凭证。请使用短信或邮件中的链接。', 'This link is incomplete: use the link from the SMS or e-mail.'],
  'survey.about': ['受理号：', 'Tracking number: '],
});

const { main } = await mountLayout({ page: 'survey', title: 'survey.title' });
const params = new URLSearchParams(location.search);
const token = params.get('token');
const complaint = params.get('complaint');
main.append(h('h1', null, t('survey.title')));

if (!token && !complaint) {
  main.append(notice('error', t('survey.noLink')));
} else {
  let about = null;
  if (token) {
    try {
      about = await api(`/api/public/survey?token=${encodeURIComponent(token)}`, { onUnauthorized: 'ignore' });
    } catch (error) {
      // The server says which: malformed, unknown, expired, already answered or closed.
      main.append(notice('error', [error.problem?.title, error.fullMessage ?? error.message].filter(Boolean).join('\n')));
    }
  }
  if (about || complaint) {
    draw(about);
  }
}

function draw(about) {
  // The server names the indicators and the scale (notify's GET /api/public/survey); the signed-in path uses ours.
  const indicators = about?.indicators?.map((i) => i.key) ?? ['overall', 'speed', 'attitude', 'communication', 'fairness', 'professionalism'];
  const labels = Object.fromEntries((about?.indicators ?? []).map((i) => [i.key, i.label]));
  const scale = about?.scale ?? [5, 4, 3, 2, 1].map((value) => ({ value, label: String(value) }));
  const allRequired = Boolean(token);
  const selects = Object.fromEntries(indicators.map((name) => [name, h('select', { id: `survey-${name}`, name, required: allRequired || name === 'overall' },
    h('option', { value: '' }, '—'), [...scale].sort((a, b) => b.value - a.value).map((s) => h('option', { value: String(s.value) }, s.label === String(s.value) ? s.label : `${s.value} ${s.label}`)))]));
  const comment = h('textarea', { id: 'survey-comment', rows: 4, maxlength: 2000 });
  const message = h('div', { id: 'survey-message' });
  const form = h('form', { class: 'card', novalidate: true },
    about?.trackingNumber ? h('p', null, t('survey.about'), h('strong', null, about.trackingNumber)) : null,
    h('p', { class: 'muted' }, t('survey.intro')),
    indicators.map((name) => [h('label', { for: `survey-${name}` }, labels[name] ?? t(`survey.${name}`), allRequired || name === 'overall' ? ' *' : ''), selects[name]]),
    h('label', { for: 'survey-comment' }, t('survey.comment')), comment,
    message,
    h('button', { type: 'submit', class: 'primary', id: 'survey-submit', style: { width: '100%', marginTop: '1rem' } }, t('survey.submit')));
  main.append(form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (indicators.some((name) => selects[name].required && !selects[name].value)) {
      replace(message, notice('error', t('survey.required')));
      return;
    }
    const body = Object.fromEntries(indicators.map((name) => [name, selects[name].value ? Number(selects[name].value) : null]));
    body.comment = comment.value.trim() || null;
    try {
      await api(token ? `/api/public/survey?token=${encodeURIComponent(token)}` : `/api/complaints/${encodeURIComponent(complaint)}/survey`, { json: body, onUnauthorized: 'ignore' });
      replace(form, notice('success', t('survey.thanks')));
    } catch (error) {
      replace(message, notice('error', error.fullMessage ?? error.message));
    }
  });
}
