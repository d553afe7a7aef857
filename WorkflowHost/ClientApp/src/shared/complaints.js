// What the staff inbox and the consumer pages share about complaints: status names, the timeline and the
// documents (attachments) of a complaint file, and uploading files with the server's type and size limits.
// Everything a consumer wrote is put in as text (h() never parses HTML), so markup in a complaint shows as written.
import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { define, formatDateTime, t } from './i18n.js';

define({
  'status.Registered': ['已登记', 'Registered'],
  'status.Classified': ['已分类', 'Classified'],
  'status.Dispatched': ['已分派', 'Dispatched'],
  'status.Accepted': ['已受理', 'Accepted'],
  'status.Refused': ['不予受理', 'Refused'],
  'status.Handling': ['处理中', 'Handling'],
  'status.Suspended': ['中止', 'Suspended'],
  'status.InReview': ['审核中', 'In review'],
  'status.Closed': ['已办结', 'Closed'],
  'status.Terminated': ['已终止', 'Terminated'],
  'status.Surveyed': ['已回访', 'Surveyed'],
  'status.Archived': ['已归档', 'Archived'],
  'file.timeline': ['办理进度', 'Timeline'],
  'file.attachments': ['附件材料', 'Documents'],
  'file.noAttachments': ['暂无附件', 'No documents'],
  'file.upload': ['上传附件', 'Upload'],
  'file.uploaded': ['已上传 {count} 个附件', '{count} file(s) uploaded'],
  'file.limits': ['可上传 {types}，单个不超过 {size}，每件最多 {count} 个', 'Accepted: {types}; at most {size} each, {count} per complaint'],
  'file.badType': ['“{name}”不是可接受的文件类型（{types}）', '“{name}” is not an accepted type ({types})'],
  'file.tooLarge': ['“{name}”超过 {size}', '“{name}” is larger than {size}'],
  'file.tooMany': ['最多上传 {count} 个附件', 'At most {count} files'],
  'file.by': ['{who} 上传于 {at}', 'by {who}, {at}'],
  'file.consumer': ['投诉人', 'the consumer'],
});

export const statusName = (status) => t(`status.${status}`);

/** The progress timeline: each entry's time and text (as text). */
export function timeline(entries, { showActor = false } = {}) {
  if (!entries?.length) {
    return h('p', { class: 'muted' }, t('common.none'));
  }
  return h('ol', { class: 'timeline', id: 'timeline' }, entries.map((entry) =>
    h('li', { class: entry.public === false ? 'internal' : null },
      h('time', { datetime: entry.at }, formatDateTime(entry.at)),
      h('span', { class: 'timeline-text' }, entry.text),
      showActor && entry.actor ? h('span', { class: 'muted' }, ` · ${entry.actor}`) : null)));
}

/** The documents of a complaint with download links (the server checks who may download). */
export function attachmentList(complaintId, attachments) {
  if (!attachments?.length) {
    return h('p', { class: 'muted', id: 'attachments-empty' }, t('file.noAttachments'));
  }
  return h('ul', { class: 'attachments', id: 'attachments' }, attachments.map((a) =>
    h('li', { dataset: { attachmentId: a.id } },
      h('a', { href: `/api/complaints/${encodeURIComponent(complaintId)}/attachments/${encodeURIComponent(a.id)}`, download: a.fileName }, a.fileName),
      h('span', { class: 'muted' }, ` ${formatSize(a.size)} · ${t('file.by', { who: a.fromConsumer ? t('file.consumer') : a.uploadedBy, at: formatDateTime(a.uploadedAt) })}`))));
}

export function formatSize(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

let limitsPromise;

/** The accepted types, extensions and sizes (GET /api/public/attachment-limits), fetched once. */
export function attachmentLimits() {
  limitsPromise ??= api('/api/public/attachment-limits', { onUnauthorized: 'ignore' });
  return limitsPromise;
}

export function limitsText(limits) {
  return t('file.limits', { types: limits.extensions.join(' '), size: formatSize(limits.maxFileBytes), count: limits.maxFilesPerComplaint });
}

/**
 * Checks files in the page before sending (the server checks again, by content): extension and size.
 * Answers the messages of what is wrong (empty when all is well).
 */
export function checkFiles(files, limits) {
  const problems = [];
  if (files.length > limits.maxFilesPerComplaint) {
    problems.push(t('file.tooMany', { count: limits.maxFilesPerComplaint }));
  }
  for (const file of files) {
    const dot = file.name.lastIndexOf('.');
    const extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
    if (!limits.extensions.includes(extension)) {
      problems.push(t('file.badType', { name: file.name, types: limits.extensions.join(' ') }));
    } else if (file.size > limits.maxFileBytes) {
      problems.push(t('file.tooLarge', { name: file.name, size: formatSize(limits.maxFileBytes) }));
    }
  }
  return problems;
}

/** Uploads files (multipart field "files") to an address; extra form fields (phone) beside them. */
export async function uploadFiles(path, files, fields = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    form.append(name, value);
  }
  for (const file of files) {
    form.append('files', file, file.name);
  }
  return api(path, { method: 'POST', body: form, onUnauthorized: 'ignore' });
}

export { ApiError };
