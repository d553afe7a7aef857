// The signed-in user (GET /api/auth/me), sign-in and sign-out (POST /api/auth/login|logout), role checks.
import { api, redirectToLogin } from './api.js';

let current;

/** The signed-in user { userName, displayName, roles, unitId, departmentId, locale }, or null when signed out. */
export function me({ refresh = false } = {}) {
  if (!current || refresh) {
    current = api('/api/auth/me', { onUnauthorized: 'ignore' }).catch((error) => {
      if (error.status === 401) {
        return null;
      }
      current = undefined;
      throw error;
    });
  }
  return current;
}

export async function login(userName, password) {
  await api('/api/auth/login', { json: { userName, password }, onUnauthorized: 'ignore' });
  return me({ refresh: true });
}

export async function logout() {
  await api('/api/auth/logout', { method: 'POST', onUnauthorized: 'ignore' }).catch(() => {});
  current = Promise.resolve(null);
}

export const Roles = Object.freeze({
  administrator: 'administrator',
  deskOfficer: 'desk_officer',
  handler: 'handler',
  reviewer: 'reviewer',
  leader: 'leader',
  legal: 'legal',
  consumer: 'consumer',
});

/** Every staff role (everyone but consumers). */
export const staffRoles = Object.freeze(['administrator', 'desk_officer', 'handler', 'reviewer', 'leader', 'legal']);

export function hasAnyRole(user, roles) {
  return !roles || roles.length === 0 || (user?.roles ?? []).some((role) => roles.includes(role));
}

/**
 * The signed-in user, sending a signed-out visitor to the sign-in page (the promise then never settles).
 * With `roles`, answers { user, allowed } where allowed says whether the user has one of them.
 */
export async function requireUser(roles) {
  const user = await me();
  if (!user) {
    redirectToLogin();
    return new Promise(() => {});
  }
  return { user, allowed: hasAnyRole(user, roles) };
}
