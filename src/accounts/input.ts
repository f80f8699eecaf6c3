import { AppError, badRequest } from '../errors';
import type { OrgKind, Role } from '../store/ports';

/** Every role granted by itself, in the order pages show them (manager comes with a unit: src/careers/teams.ts). */
export const ROLES: readonly Role[] = ['learner', 'author', 'analyst', 'orgAdmin'];
export const ORG_KINDS: readonly OrgKind[] = ['provider', 'member', 'both'];
export type LearnerType = 'staff' | 'trustee';
export const LEARNER_TYPES: readonly LearnerType[] = ['staff', 'trustee'];

/** Shortest password accepted (NIST 800-63B asks for at least 8; we ask a little more). */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest password accepted: scrypt time grows with input, so bound it. */
export const MAX_PASSWORD_LENGTH = 200;

/** 401 for the session API: no WWW-Authenticate Basic challenge (a browser would pop a dialog). */
export function signInRequired(message: string): AppError {
  return new AppError('unauthorized', message);
}

/** Reads a required string property of a JSON body, trimmed; 400 naming the property otherwise. */
export function stringProp(body: unknown, name: string, opts: { max?: number; min?: number; trim?: boolean } = {}): string {
  const v = isRecord(body) ? body[name] : undefined;
  if (typeof v !== 'string') throw badRequest(`${name} must be a string`);
  const s = opts.trim === false ? v : v.trim();
  if (s.length < (opts.min ?? 1)) throw badRequest(`${name} must be at least ${opts.min ?? 1} characters`);
  if (s.length > (opts.max ?? 200)) throw badRequest(`${name} must be at most ${opts.max ?? 200} characters`);
  return s;
}

/** Like stringProp, but undefined when the property is absent. */
export function optionalStringProp(body: unknown, name: string, opts: { max?: number; min?: number } = {}): string | undefined {
  if (!isRecord(body) || body[name] === undefined || body[name] === null) return undefined;
  return stringProp(body, name, opts);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lower-cased email; 400 naming `name` unless it looks like local@domain. */
export function parseEmail(raw: unknown, name = 'email'): string {
  if (typeof raw !== 'string') throw badRequest(`${name} must be a string`);
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw badRequest(`${name} must be an email address like name@example.org`);
  }
  return email;
}

/** Checks a new password against the length rules; 400 naming `name` otherwise. */
export function parseNewPassword(raw: unknown, name = 'password'): string {
  if (typeof raw !== 'string') throw badRequest(`${name} must be a string`);
  if (raw.length < MIN_PASSWORD_LENGTH) throw badRequest(`${name} must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (raw.length > MAX_PASSWORD_LENGTH) throw badRequest(`${name} must be at most ${MAX_PASSWORD_LENGTH} characters`);
  return raw;
}

export function parseRole(raw: unknown, name = 'role'): Role {
  if (typeof raw !== 'string' || !(ROLES as readonly string[]).includes(raw)) {
    throw badRequest(`${name} must be one of ${ROLES.join(', ')}`);
  }
  return raw as Role;
}

export function parseRoles(raw: unknown, name = 'roles'): Role[] {
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest(`${name} must be a non-empty array of roles`);
  return [...new Set(raw.map((r, i) => parseRole(r, `${name}[${i}]`)))];
}

export function parseOrgKind(raw: unknown, name = 'kind'): OrgKind {
  if (typeof raw !== 'string' || !(ORG_KINDS as readonly string[]).includes(raw)) {
    throw badRequest(`${name} must be one of ${ORG_KINDS.join(', ')}`);
  }
  return raw as OrgKind;
}

/** undefined when absent; 400 when not staff or trustee. */
export function parseLearnerType(raw: unknown, name = 'learnerType'): LearnerType | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || !(LEARNER_TYPES as readonly string[]).includes(raw)) {
    throw badRequest(`${name} must be staff or trustee`);
  }
  return raw as LearnerType;
}

/** URL-safe slug: lower-case letters, digits and single dashes. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

export function parseSlug(raw: unknown, name = 'slug'): string {
  if (typeof raw !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(raw) || raw.length > 60) {
    throw badRequest(`${name} must be 1-60 lower-case letters, digits and single dashes`);
  }
  return raw;
}
/** Trimmed non-empty string of at most `max` characters; 400 naming `name` otherwise. */
export function requiredText(raw: unknown, name: string, max = 200): string {
  if (typeof raw !== 'string') throw badRequest(`${name} must be a string`);
  const v = raw.trim();
  if (v === '') throw badRequest(`${name} must not be empty`);
  if (v.length > max) throw badRequest(`${name} must be at most ${max} characters`);
  return v;
}
