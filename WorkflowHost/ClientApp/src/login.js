// Sign-in: user name and password (POST /api/auth/login sets the HttpOnly cookie), then back to returnUrl.
import { mountLayout } from './shared/layout.js';
import { h, notice, replace } from './shared/dom.js';
import { define, t } from './shared/i18n.js';
import { login } from './shared/auth.js';
import { api, safeReturnUrl } from './shared/api.js';

define({
  'login.title': ['登录', 'Sign in'],
  'login.userName': ['用户名', 'User name'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Sign in'],
  'login.required': ['请输入用户名和密码。', 'Enter your user name and password.'],
  'login.failed': ['登录失败', 'Sign-in failed'],
  'login.changeTitle': ['首次登录，请修改初始密码', 'First sign-in: choose a new password'],
  'login.newPassword': ['新密码', 'New password'],
  'login.confirmPassword': ['再次输入新密码', 'New password again'],
  'login.change': ['修改密码并继续', 'Change the password and continue'],
  'login.mismatch': ['两次输入的新密码不一致。', 'The two new passwords differ.'],
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
    const user = await login(userName.value.trim(), password.value);
    if (user?.mustChangePassword) {
      showChangePassword(password.value);
      return;
    }
    location.assign(returnUrl);
  } catch (error) {
    replace(message, notice('error', `${t('login.failed')}: ${error.fullMessage ?? error.message}`));
    submit.disabled = false;
  }
});

// The first administrator's initial password must be replaced before anything else works.
function showChangePassword(current) {
  const fresh = h('input', { id: 'login-new-password', type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { id: 'login-confirm-password', type: 'password', autocomplete: 'new-password', required: true });
  const change = h('button', { type: 'submit', class: 'primary', id: 'login-change' }, t('login.change'));
  const changeMessage = h('div', { id: 'login-change-message' });
  const changeForm = h('form', { class: 'card', id: 'login-change-form', style: { maxWidth: '380px' }, novalidate: true },
    h('p', null, t('login.changeTitle')),
    h('label', { for: 'login-new-password' }, t('login.newPassword')), fresh,
    h('label', { for: 'login-confirm-password' }, t('login.confirmPassword')), again,
    h('p', null, change), changeMessage);
  changeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (fresh.value !== again.value) {
      replace(changeMessage, notice('error', t('login.mismatch')));
      return;
    }
    change.disabled = true;
    try {
      await api('/api/auth/password', { json: { currentPassword: current, newPassword: fresh.value }, onUnauthorized: 'ignore' });
      location.assign(returnUrl);
    } catch (error) {
      replace(changeMessage, notice('error', error.fullMessage ?? error.message));
      change.disabled = false;
    }
  });
  form.replaceWith(changeForm);
  fresh.focus();
}

main.append(h('h1', null, t('login.title')), form);
userName.focus();
