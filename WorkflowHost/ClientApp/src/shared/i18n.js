// Chinese first, English second. Each page registers its strings with `define({ key: ['中文', 'English'] })`
// and reads them with `t(key, { name })`; elements with data-i18n="key" (and data-i18n-placeholder,
// data-i18n-title) are filled by `translatePage()`. The choice is kept in localStorage.

const storageKey = 'cw.lang';
const messages = new Map();

/** The current language: 'zh-CN' (default) or 'en'. */
export function lang() {
  const stored = globalThis.localStorage?.getItem(storageKey);
  return stored === 'en' ? 'en' : 'zh-CN';
}

export const isEnglish = () => lang() === 'en';

/** Switches the language and reloads the page (bpmn-js and form-js take their translation when created). */
export function setLang(value) {
  localStorage.setItem(storageKey, value === 'en' ? 'en' : 'zh-CN');
  location.reload();
}

/** Registers strings: `{ key: ['中文', 'English'] }`. A later definition of a key replaces the earlier one. */
export function define(table) {
  for (const [key, value] of Object.entries(table)) {
    messages.set(key, value);
  }
}

/** The string for a key in the current language, with `{name}` placeholders filled. Unknown keys come back as themselves. */
export function t(key, params) {
  const entry = messages.get(key);
  let text = entry ? (isEnglish() ? entry[1] ?? entry[0] : entry[0]) : key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
  }
  return text;
}

/** Both languages at once ("中文 (English)"), for places that show both such as server messages. */
export function both(key) {
  const entry = messages.get(key);
  return entry ? `${entry[0]} (${entry[1]})` : key;
}

/** Fills data-i18n, data-i18n-placeholder, data-i18n-title and data-i18n-aria-label under root. */
export function translatePage(root = document) {
  document.documentElement.lang = lang();
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const [attribute, data] of [['placeholder', 'i18nPlaceholder'], ['title', 'i18nTitle'], ['aria-label', 'i18nAriaLabel']]) {
    for (const element of root.querySelectorAll(`[data-${attribute === 'aria-label' ? 'i18n-aria-label' : 'i18n-' + attribute}]`)) {
      element.setAttribute(attribute, t(element.dataset[data]));
    }
  }
}

/** Dates and numbers in the current language. */
export function formatDateTime(value) {
  if (!value) {
    return '';
  }
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(lang(), { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatNumber(value, options) {
  return new Intl.NumberFormat(lang(), options).format(value);
}

define({
  'common.loading': ['加载中…', 'Loading…'],
  'common.save': ['保存', 'Save'],
  'common.cancel': ['取消', 'Cancel'],
  'common.close': ['关闭', 'Close'],
  'common.refresh': ['刷新', 'Refresh'],
  'common.error': ['出错了', 'Something went wrong'],
  'common.none': ['无', 'None'],
  'common.yes': ['是', 'Yes'],
  'common.no': ['否', 'No'],
  'common.language': ['English', '中文'],
  'common.languageTitle': ['切换到英文', 'Switch to Chinese'],
  'common.forbidden': ['您没有访问此页面的权限。', 'You are not allowed to use this page.'],
  'common.network': ['无法连接服务器，请稍后再试。', 'The server cannot be reached; try again later.'],
});
