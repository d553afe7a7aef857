// The frame every page shares: header with the product name, navigation for the user's roles, the user,
// sign-out and the language switch; the page's content goes into the returned <main>.
import './styles.css';
import { h, notice, replace } from './dom.js';
import { define, lang, setLang, t, translatePage } from './i18n.js';
import { logout, me, requireUser, staffRoles, hasAnyRole } from './auth.js';

define({
  'app.name': ['消费者投诉工作流', 'ComplaintWorkflows'],
  'nav.home': ['首页', 'Home'],
  'nav.designer': ['流程设计器', 'Process designer'],
  'nav.instances': ['流程实例', 'Process instances'],
  'nav.inbox': ['收件箱', 'Inbox'],
  'nav.dashboard': ['统计看板', 'Dashboard'],
  'nav.admin': ['系统管理', 'Administration'],
  'nav.operations': ['运行监控', 'Engine health'],
  'nav.portal': ['我要投诉', 'File a complaint'],
  'nav.track': ['进度查询', 'Track'],
  'nav.mobile': ['流动受理点', 'Mobile intake'],
  'nav.odr': ['企业端', 'Enterprise portal'],
  'nav.disclosure': ['投诉公示', 'Disclosure'],
  'nav.signIn': ['登录', 'Sign in'],
  'nav.signOut': ['退出', 'Sign out'],
  'nav.menu': ['菜单', 'Menu'],
});

/**
 * The navigation, in order. `roles`: who sees the entry (null: everyone, signed in or not; [] : any signed-in user).
 * Pages of their own add an entry here (folder name = page, see vite.config.js).
 */
export const navigation = [
  { page: 'home', href: '/', label: 'nav.home', roles: null },
  { page: 'designer', href: '/designer/', label: 'nav.designer', roles: ['administrator'] },
  { page: 'instances', href: '/instances/', label: 'nav.instances', roles: ['administrator'] },
  { page: 'inbox', href: '/inbox/', label: 'nav.inbox', roles: ['administrator', 'desk_officer', 'handler', 'reviewer', 'leader', 'legal'] },
  { page: 'dashboard', href: '/dashboard/', label: 'nav.dashboard', roles: ['leader', 'reviewer', 'administrator'] },
  { page: 'admin', href: '/admin/', label: 'nav.admin', roles: ['administrator'] },
  { page: 'operations', href: '/operations/', label: 'nav.operations', roles: ['administrator'] },
  { page: 'portal', href: '/portal/', label: 'nav.portal', roles: null },
  { page: 'track', href: '/track/', label: 'nav.track', roles: null },
  { page: 'mobile', href: '/mobile/', label: 'nav.mobile', roles: ['desk_officer', 'administrator'] },
  { page: 'odr', href: '/odr/', label: 'nav.odr', roles: ['business'] },
  { page: 'disclosure', href: '/disclosure/', label: 'nav.disclosure', roles: null },
];

export { staffRoles };

/**
 * Draws the frame and answers { user, main }.
 * `roles`: the page needs a signed-in user with one of these roles ([]: any signed-in user; null/undefined: no sign-in).
 * A signed-out visitor is sent to the sign-in page; a user without the role sees a refusal and gets main = null.
 */
export async function mountLayout({ page, title, roles, wide = false } = {}) {
  document.documentElement.lang = lang();
  let user = null;
  let allowed = true;
  if (roles) {
    ({ user, allowed } = await requireUser(roles));
  } else {
    user = await me().catch(() => null);
  }

  const main = h('main', { id: 'main', class: wide ? 'page page-wide' : 'page' });
  document.body.prepend(header(page, user), main);
  if (title) {
    document.title = `${t(title)} · ${t('app.name')}`;
  }
  translatePage();
  if (!allowed) {
    replace(main, notice('error', t('common.forbidden')));
    return { user, main: null };
  }
  return { user, main };
}

function header(page, user) {
  const links = navigation
    .filter((item) => item.roles === null || (user && hasAnyRole(user, item.roles)))
    .map((item) => h('a', { href: item.href, class: item.page === page ? 'active' : null, 'aria-current': item.page === page ? 'page' : null }, t(item.label)));

  const nav = h('nav', { class: 'nav', id: 'cw-nav' }, links);
  const toggle = h('button', { type: 'button', class: 'nav-toggle', 'aria-controls': 'cw-nav', 'aria-expanded': 'false', onclick: () => {
    const open = nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  } }, t('nav.menu'));

  const language = h('button', { type: 'button', class: 'link', id: 'cw-lang', title: t('common.languageTitle'), onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en') }, t('common.language'));
  const account = user
    ? [h('span', { class: 'user', id: 'cw-user' }, user.displayName || user.userName),
      h('button', { type: 'button', class: 'link', id: 'cw-logout', onclick: async () => { await logout(); location.assign('/login/'); } }, t('nav.signOut'))]
    : [h('a', { href: '/login/?returnUrl=' + encodeURIComponent(location.pathname + location.search) }, t('nav.signIn'))];

  return h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '/' }, t('app.name')),
    toggle,
    nav,
    h('div', { class: 'account' }, account, language));
}
