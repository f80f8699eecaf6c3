import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { assertRoleIn } from '../accounts/access';
import { recordAudit } from '../accounts/audit';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, isAppError } from '../errors';
import type { RoleProfile } from '../store/ports';
import { createRoleProfile, listRoleProfiles, parseCompetency, parseProfileInput, updateRoleProfile, type RoleProfileInput } from './role-profiles';

/** The columns of a role profiles CSV: one row per competency of a role (a role with none has one row with both empty). */
export const CSV_COLUMNS = ['role', 'description', 'shared', 'competency', 'target_level'] as const;
/** Largest CSV accepted (characters). */
export const MAX_CSV = 200_000;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe on export; import takes it off again, so a round trip keeps the text.
 */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function unsafeCell(v: string): string {
  return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}

/** Every profile of the organization as CSV (anyone with a role there, as the list). */
export async function exportRoleProfilesCsv(s: AppServices, actor: UserContext, orgId: string): Promise<string> {
  const profiles = await listRoleProfiles(s, actor, orgId);
  const rows: string[][] = [];
  for (const p of profiles) {
    const base = [safeCell(p.name), safeCell(p.description), p.shared ? 'yes' : 'no'];
    if (p.competencies.length === 0) rows.push([...base, '', '']);
    for (const c of p.competencies) rows.push([...base, c.competencyId, String(c.targetLevel)]);
  }
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}

/** Parses a role profiles CSV into profile inputs, in first-appearance order; 400 naming the line of the first mistake. */
export function parseRoleProfilesCsv(text: string): RoleProfileInput[] {
  if (text.length > MAX_CSV) throw badRequest(`the CSV must be at most ${MAX_CSV} characters`);
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    throw badRequest(`the CSV cannot be read: ${(err as Error).message}`);
  }
  if (records.length === 0) throw badRequest(`the CSV has no rows; its header is ${CSV_COLUMNS.join(',')}`);
  const first = records[0] ?? {};
  if (!('role' in first) || !('competency' in first) || !('target_level' in first)) throw badRequest(`the CSV needs the columns role, competency and target_level (and may have description and shared)`);
  const byName = new Map<string, { name: string; description: string; shared: boolean; competencies: unknown[] }>();
  records.forEach((r, i) => {
    const line = i + 2;
    const name = unsafeCell(r['role'] ?? '');
    if (name === '') throw badRequest(`line ${line}: role is empty`);
    const key = name.toLowerCase();
    const description = unsafeCell(r['description'] ?? '');
    const entry = byName.get(key) ?? { name, description, shared: false, competencies: [] };
    const sharedRaw = (r['shared'] ?? '').toLowerCase();
    if (!['', 'yes', 'no', 'true', 'false'].includes(sharedRaw)) throw badRequest(`line ${line}: shared must be yes or no`);
    if (sharedRaw === 'yes' || sharedRaw === 'true') entry.shared = true;
    if (entry.description === '' && description !== '') entry.description = description;
    const competency = r['competency'] ?? '';
    const level = r['target_level'] ?? '';
    if (competency !== '' || level !== '') {
      try {
        entry.competencies.push(parseCompetency({ competencyId: competency, targetLevel: level }, `line ${line}`));
      } catch (err) {
        if (isAppError(err)) throw badRequest(err.message.replace(`line ${line}.competencyId`, `line ${line}: competency`).replace(`line ${line}.targetLevel`, `line ${line}: target_level`));
        throw err;
      }
    }
    byName.set(key, entry);
  });
  return [...byName.values()].map((e) => {
    try {
      return parseProfileInput(e);
    } catch (err) {
      if (isAppError(err)) throw badRequest(`role ${e.name}: ${err.message}`);
      throw err;
    }
  });
}

/**
 * Imports a role profiles CSV (organization administrators): a role whose name the organization
 * has already (any case) gets the CSV's description, sharing and competencies; the others are
 * created. Everything is checked before anything is written.
 */
export async function importRoleProfilesCsv(s: AppServices, actor: UserContext, orgId: string, text: string): Promise<{ created: RoleProfile[]; updated: RoleProfile[] }> {
  assertRoleIn(actor, orgId, 'orgAdmin');
  const inputs = parseRoleProfilesCsv(text);
  const existing = new Map((await listRoleProfiles(s, actor, orgId)).map((p) => [p.name.toLowerCase(), p]));
  const created: RoleProfile[] = [];
  const updated: RoleProfile[] = [];
  for (const input of inputs) {
    const cur = existing.get(input.name.toLowerCase());
    if (cur) updated.push(await updateRoleProfile(s, actor, orgId, cur.id, { ...input, name: cur.name }));
    else created.push(await createRoleProfile(s, actor, orgId, input));
  }
  await recordAudit(s, actor, { action: 'role-profile.import', orgId, details: { created: created.length, updated: updated.length } });
  return { created, updated };
}
