// form-js's viewer writes its validation messages and a few labels in English and has no translation hook. This
// watches a form's container and puts the page's language on them as form-js renders them (form-js leaves a text it
// rendered alone until the message itself changes, and then the watcher translates the new one).
import { define, isEnglish, t } from './i18n.js';

define({
  'form.required': ['此项为必填项。', 'Field is required.'],
  'form.min': ['不能小于 {value}。', 'Field must have minimum value of {value}.'],
  'form.max': ['不能大于 {value}。', 'Field must have maximum value of {value}.'],
  'form.minLength': ['至少填写 {value} 个字符。', 'Field must have minimum length of {value}.'],
  'form.maxLength': ['最多填写 {value} 个字符。', 'Field must have maximum length of {value}.'],
  'form.pattern': ['格式不符合要求（{value}）。', 'Field must match pattern {value}.'],
  'form.email': ['请填写有效的电子邮箱地址。', 'Field must be a valid email.'],
  'form.phone': ['请填写国际格式的电话号码（如 +8613800000000）。', 'Field must be a valid international phone number.'],
  'form.badMin': ['表单的最小值设置不是有效数字。', 'Min validation value is not a valid number.'],
  'form.badMax': ['表单的最大值设置不是有效数字。', 'Max validation value is not a valid number.'],
  'form.search': ['搜索', 'Search'],
  'form.select': ['请选择', 'Select'],
  'form.addNew': ['新增', 'Add new'],
});

/** form-js's English texts and the keys of their translations ({value} taken from the first group). */
const messages = [
  [/^Field is required\.$/, 'form.required'],
  [/^Field must have minimum value of (.+)\.$/, 'form.min'],
  [/^Field must have maximum value of (.+)\.$/, 'form.max'],
  [/^Field must have minimum length of (.+)\.$/, 'form.minLength'],
  [/^Field must have maximum length of (.+)\.$/, 'form.maxLength'],
  [/^Field must match pattern (.+)\.$/, 'form.pattern'],
  [/^Field must be a valid email\.$/, 'form.email'],
  [/^Field must be a valid\s+international phone number\..*$/, 'form.phone'],
  [/^Min validation value is not a valid number\.$/, 'form.badMin'],
  [/^Max validation value is not a valid number\.$/, 'form.badMax'],
  [/^Select$/, 'form.select'],
  [/^Add new$/, 'form.addNew'],
];

/** The translation of one of form-js's texts, or null when it is not one of them (labels from the form's schema). */
export function translateFormText(text) {
  const trimmed = text.trim();
  for (const [pattern, key] of messages) {
    const match = pattern.exec(trimmed);
    if (match) {
      return t(key, { value: match[1] ?? '' });
    }
  }
  return null;
}

function translateUnder(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const translated = translateFormText(node.data);
    if (translated !== null && translated !== node.data) {
      node.data = translated;
    }
  }
  for (const input of root.querySelectorAll('input[placeholder="Search"]')) {
    input.placeholder = t('form.search');
  }
}

/** Keeps form-js's own texts under `container` in the page's language (Chinese); in English there is nothing to do. */
export function watchFormLanguage(container) {
  if (isEnglish()) {
    return () => {};
  }
  translateUnder(container);
  const observer = new MutationObserver(() => translateUnder(container));
  observer.observe(container, { subtree: true, childList: true, characterData: true });
  return () => observer.disconnect();
}
