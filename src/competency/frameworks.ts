/**
 * Frameworks: import (CASE 1.1 JSON, CSV), re-import in place, export, and reading.
 *
 * Who may do what (docs/security.md): a framework is a publication, so every signed-in person
 * reads every framework (like a catalog entry); only an author or administrator of the owning
 * organization imports into it. Import validates the whole package before the first write.
 */
import { randomUUID } from 'node:crypto';
import { assertRoleIn } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { CompetencyItem, Framework } from '../store/ports';
import { buildCasePackage, packageRecords, parseCasePackage, scaleOf } from './case-package';
import { csvToCasePackage, nameUuid } from './csv-framework';

type Services = Pick<AppServices, 'store' | 'now' | 'config'>;

/** What an import did. */
export interface ImportResult {
  readonly framework: Framework;
  readonly created: boolean;
  readonly items: number;
  readonly retired: number;
  readonly associations: number;
}

/** The URI base of items LearnHQ mints (CSV imports, demo framework). */
export function caseUriBase(s: Pick<AppServices, 'config'>): string {
  return `${s.config.publicUrl.replace(/\/$/, '')}/case/uri/`;
}

/**
 * Imports a CASE package into an organization (no access check: callers check). A package whose
 * CFDocument identifier the organization already has updates that framework in place: items by
 * identifier, items no longer present are retired (never deleted), associations replaced;
 * alignments and evidence, which name items by identifier, stay.
 */
export async function importPackage(s: Services, orgId: string, body: unknown): Promise<ImportResult> {
  const parsed = parseCasePackage(body);
  const at = s.now().toISOString();
  const existing = await s.store.competency.findFrameworkByIdentifier(orgId, parsed.document.identifier);
  const id = existing?.id ?? randomUUID();
  const { items, associations } = packageRecords(id, parsed);
  const incoming = new Set(items.map((i) => i.identifier));
  const previous = existing ? await s.store.competency.findItems({ frameworkId: id, includeRetired: true }) : [];
  const retire = previous.filter((p) => !incoming.has(p.identifier) && p.retiredAt === undefined).map((p): CompetencyItem => ({ ...p, retiredAt: at }));
  const framework: Framework = {
    id,
    orgId,
    identifier: parsed.document.identifier,
    uri: parsed.document.uri,
    title: parsed.document.title,
    ...(typeof parsed.document['version'] === 'string' ? { version: parsed.document['version'] } : {}),
    scale: scaleOf(parsed.extras),
    raw: parsed.document,
    extras: parsed.extras,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
  // Items first, the framework record last: a framework is listed only once its items are in.
  await s.store.competency.upsertItems([...items, ...retire]);
  await s.store.competency.replaceAssociations(id, associations);
  await s.store.competency.upsertFramework(framework);
  return { framework, created: existing === undefined, items: items.length, retired: retire.length, associations: associations.length };
}

async function assertOrgExists(s: Services, orgId: string): Promise<void> {
  if (!(await s.store.accounts.findOrganization(orgId))) throw notFound(`no organization ${orgId}`);
}

/** An author or administrator of `orgId` imports a CASE package. */
export async function importCaseFor(s: Services, user: UserContext, orgId: string, body: unknown): Promise<ImportResult> {
  assertRoleIn(user, orgId, 'author', 'orgAdmin');
  await assertOrgExists(s, orgId);
  return importPackage(s, orgId, body);
}

/** An author or administrator of `orgId` imports a CSV sheet (title and, to update, the identifier). */
export async function importCsvFor(s: Services, user: UserContext, orgId: string, input: { csv: unknown; title: unknown; identifier?: unknown }): Promise<ImportResult> {
  assertRoleIn(user, orgId, 'author', 'orgAdmin');
  await assertOrgExists(s, orgId);
  if (typeof input.csv !== 'string' || input.csv.trim() === '') throw badRequest('csv must be the sheet as text');
  if (typeof input.title !== 'string' || input.title.trim() === '') throw badRequest('title must be a non-empty string');
  const identifier = typeof input.identifier === 'string' && input.identifier !== ''
    ? input.identifier
    : nameUuid(orgId, `csv-framework|${input.title.trim()}`);
  const pkg = csvToCasePackage(input.csv, { identifier, title: input.title.trim(), base: caseUriBase(s), now: s.now().toISOString() });
  return importPackage(s, orgId, pkg);
}

/** A framework every signed-in person may read; 404 when none. */
export async function frameworkOr404(s: Services, id: string): Promise<Framework> {
  const f = await s.store.competency.findFramework(id);
  if (!f) throw notFound(`no framework ${id}`);
  return f;
}

/** The framework as a CASE package. */
export async function exportPackage(s: Services, id: string): Promise<Record<string, unknown>> {
  const f = await frameworkOr404(s, id);
  const [items, associations] = await Promise.all([s.store.competency.findItems({ frameworkId: id }), s.store.competency.findAssociations(id)]);
  return buildCasePackage(f.raw, f.extras, items, associations);
}

/** One node of the framework tree. */
export interface TreeNode {
  readonly item: CompetencyItem;
  readonly children: TreeNode[];
}

/** The current items as a tree (position order); items whose parent is missing go to the top. */
export function buildTree(items: readonly CompetencyItem[]): TreeNode[] {
  const nodes = new Map(items.map((i) => [i.identifier, { item: i, children: [] as TreeNode[] }]));
  const top: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.item.parentIdentifier !== undefined ? nodes.get(n.item.parentIdentifier) : undefined;
    (parent ? parent.children : top).push(n);
  }
  return top;
}

/** Items whose statement, short statement or code contains every word of `q` (case-insensitive). */
export function searchItems(items: readonly CompetencyItem[], q: string): CompetencyItem[] {
  const words = q.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [];
  return items.filter((i) => {
    const text = `${i.humanCodingScheme ?? ''} ${i.abbreviatedStatement ?? ''} ${i.fullStatement} ${i.notes ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** One competency: its framework and item (retired items too: evidence may point at them); 404 when none. */
export async function competencyOr404(s: Services, frameworkId: string, identifier: string): Promise<{ framework: Framework; item: CompetencyItem }> {
  const framework = await frameworkOr404(s, frameworkId);
  const [item] = await s.store.competency.findItems({ frameworkId, identifiers: [identifier], includeRetired: true });
  if (!item) throw notFound(`no competency ${identifier} in framework ${frameworkId}`);
  return { framework, item };
}
