// Sign-in: user name and password (POST /api/auth/login sets the HttpOnly cookie), then back to returnUrl.
import { mountLayout } from './shared/layout.js';
import { h, notice, replace } from './shared/dom.js';
import { define, t } from './shared/i18n.js';
import { login } from './shared/auth.js';
import { safeReturnUrl } from './shared/api.js';

define({
  'login.title': ['登录', 'Sign in'],
  'login.userName': ['用户名', 'User name'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Sign in'],
  'login.required': ['请输入用户名和密码。', 'Enter your user name and password.'],
  'login.failed': ['登录失败', 'Sign-in failed'],
});

const { main } = await mountLayout({ page: 'login', title: 'login.title' });
const returnUrl = safeReturnUrl(new URLSearchParams(location.search).get('returnUrl'));
const message = h('div', { id: 'login-message' });
const userName = h('input', { id: 'login-user', name: 'userName', autocomplete: 'username', required: true });
const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, t('login.submit'));
const form = h('form', { class: 'card', style: { maxWidth: '380px' }, novalidate: true },
  h('label', { for: 'login-user' }, t('login.userName')), userName,
  h('label', { for: 'login-password' }, t('login.password')), password,
  h('p', null, submit), message);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!userName.value.trim() || !password.value) {
    replace(message, notice('error', t('login.required')));
    return;
  }
  submit.disabled = true;
  try {
    await login(userName.value.trim(), password.value);
    location.assign(returnUrl);
  } catch (error) {
    replace(message, notice('error', `${t('login.failed')}: ${error.fullMessage ?? error.message}`));
    submit.disabled = false;
  }
});

main.append(h('h1', null, t('login.title')), form);
userName.focus();
