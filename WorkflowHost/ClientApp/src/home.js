// The home page: what the visitor can do, by role.
import { mountLayout, navigation } from './shared/layout.js';
import { append, h } from './shared/dom.js';
import { define, t } from './shared/i18n.js';
import { hasAnyRole } from './shared/auth.js';

define({
  'home.title': ['首页', 'Home'],
  'home.welcome': ['欢迎，{name}', 'Welcome, {name}'],
  'home.guest': ['消费者投诉工作流：受理、分派、处理调解、反馈回访、归档。', 'ComplaintWorkflows: receive, dispatch, handle and mediate, feed back and survey, archive.'],
  'home.signIn': ['工作人员请登录', 'Staff: sign in'],
  'home.pages': ['您可以使用：', 'You can use:'],
});

const { user, main } = await mountLayout({ page: 'home', title: 'home.title' });
const pages = navigation.filter((item) => item.page !== 'home' && (item.roles === null || (user && hasAnyRole(user, item.roles))));
append(main,
  h('h1', null, user ? t('home.welcome', { name: user.displayName || user.userName }) : t('app.name')),
  h('p', null, t('home.guest')),
  user ? null : h('p', null, h('a', { class: 'button primary', href: '/login/' }, t('home.signIn'))),
  pages.length ? h('div', { class: 'card' }, h('p', null, t('home.pages')), h('ul', { id: 'home-pages' }, pages.map((item) => h('li', null, h('a', { href: item.href }, t(item.label)))))) : null,
);
