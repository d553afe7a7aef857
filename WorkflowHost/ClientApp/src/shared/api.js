// fetch() for the host's API: same-origin cookie, JSON in and out, Problem Details turned into ApiError
// with the server's title, detail and per-field errors.
import { t } from './i18n.js';

/**
 * Sent on every call: the host refuses a change made with the sign-in cookie without it (another site cannot send
 * a custom header without the host's consent), see WorkflowHost/Security/CrossSiteRequestGuard.cs.
 */
export const requestHeaders = Object.freeze({ 'X-CW-Request': '1' });

export class ApiError extends Error {
  constructor(status, problem, fallback) {
    const detail = problem?.detail || problem?.title || fallback;
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem ?? {};
    this.code = problem?.code;
    /** Field errors of a validation problem: { field: [message] }. */
    this.errors = problem?.errors ?? {};
  }

  /** Every message of the problem, the field errors included, one per line. */
  get fullMessage() {
    const lines = [this.message];
    for (const [field, messages] of Object.entries(this.errors)) {
      for (const message of [].concat(messages)) {
        lines.push(field ? `${field}: ${message}` : message);
      }
    }
    return [...new Set(lines.filter(Boolean))].join('\n');
  }
}

/**
 * Calls the API. `json` is sent as JSON; `body` as it is (with `contentType`). Answers the parsed JSON
 * (or text, or null for 204). Throws ApiError for any non-2xx answer; `onUnauthorized: 'redirect'`
 * (the default) sends a signed-out user to the sign-in page.
 */
export async function api(path, { method, json, body, contentType, headers, onUnauthorized = 'redirect', signal } = {}) {
  const init = { method: method ?? (json !== undefined || body !== undefined ? 'POST' : 'GET'), credentials: 'same-origin', headers: { Accept: 'application/json', ...requestHeaders, ...headers }, signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
    if (contentType) {
      init.headers['Content-Type'] = contentType;
    }
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error?.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, null, t('common.network'));
  }

  if (response.status === 401 && onUnauthorized === 'redirect') {
    redirectToLogin();
  }

  const type = response.headers.get('Content-Type') ?? '';
  const payload = response.status === 204 ? null : type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, typeof payload === 'object' ? payload : null, `${response.status} ${response.statusText}`);
  }
  return payload;
}

/** Sends the browser to the sign-in page, coming back here afterwards. */
export function redirectToLogin() {
  const back = location.pathname + location.search + location.hash;
  location.assign('/login/?returnUrl=' + encodeURIComponent(back));
}

/** A return address that stays on this site (a path, not //host or a scheme). */
export function safeReturnUrl(value, fallback = '/') {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : fallback;
}
