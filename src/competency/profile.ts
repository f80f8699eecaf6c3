/**
 * The learner's side: self-assessment, confirmation by an organization administrator (or the
 * person's manager, once careers registers the check), and the
 * competency profile (current level per competency, the evidence behind it, what lapses soon).
 */
import { assertRoleIn, roleError } from '../accounts/access';
import { hasRole, type UserContext } from '../accounts/user-context';
import { confirmerChecks } from '../catalog/extension-points';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { Evidence, EvidenceSummary, Framework, SelfAssessment } from '../store/ports';
import { storeAttainments } from './attainment';
import { buildTree, competencyOr404, type TreeNode } from './frameworks';

/** Evidence lapsing within this many days shows as "lapses soon". */
export const LAPSE_WARNING_DAYS = 90;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A person records their own level of a competency in one of their organizations (an earlier confirmation no longer holds). */
export async function selfAssess(s: AppServices, user: UserContext, body: unknown): Promise<SelfAssessment> {
  if (!isObj(body)) throw badRequest('the body must be a JSON object');
  const orgId = String(body['orgId'] ?? '');
  if (!user.roles.has(orgId)) throw notFound(`no organization ${orgId}`);
  const { framework, item } = await competencyOr404(s, String(body['frameworkId'] ?? ''), String(body['itemIdentifier'] ?? ''));
  const level = body['level'];
  if (typeof level !== 'number' || !framework.scale.some((l) => l.rank === level)) throw badRequest('level must be one of the scale\'s ranks');
  const a: SelfAssessment = { userId: user.userId, orgId, frameworkId: framework.id, itemIdentifier: item.identifier, level, at: s.now().toISOString() };
  await s.store.competency.upsertSelfAssessment(a);
  return a;
}

/** Whether `user` may confirm `personId`'s levels in `orgId`: its administrators, and those a registered check allows (managers of the person's units). */
async function mayConfirm(s: AppServices, user: UserContext, orgId: string, personId: string): Promise<boolean> {
  if (hasRole(user, orgId, 'orgAdmin')) return true;
  for (const check of confirmerChecks()) if (await check(s, user, orgId, personId)) return true;
  return false;
}

/** Self-assessments of an organization's people, for its administrators, and for managers those of their people (unconfirmed first). */
export async function listSelfAssessments(s: AppServices, user: UserContext, orgId: string): Promise<SelfAssessment[]> {
  const admin = hasRole(user, orgId, 'orgAdmin');
  if (!admin) assertRoleIn(user, orgId, 'orgAdmin', 'manager');
  let list = await s.store.competency.findSelfAssessments({ orgIds: [orgId] });
  if (!admin) {
    const allowed = new Map<string, boolean>();
    const keep: SelfAssessment[] = [];
    for (const a of list) {
      if (!allowed.has(a.userId)) allowed.set(a.userId, a.userId !== user.userId && (await mayConfirm(s, user, orgId, a.userId)));
      if (allowed.get(a.userId)) keep.push(a);
    }
    list = keep;
  }
  return list.sort((a, b) => Number(a.confirmedAt !== undefined) - Number(b.confirmedAt !== undefined) || (a.at < b.at ? 1 : -1));
}

/** An administrator of `orgId` confirms a person's self-assessment there; writes the attainment to the LRS. */
export async function confirmSelfAssessment(s: AppServices, user: UserContext, orgId: string, body: unknown): Promise<SelfAssessment> {
  const admin = hasRole(user, orgId, 'orgAdmin');
  if (!admin) assertRoleIn(user, orgId, 'orgAdmin', 'manager');
  if (!isObj(body)) throw badRequest('the body must be a JSON object');
  const [a] = await s.store.competency.findSelfAssessments({
    userId: String(body['userId'] ?? ''), orgIds: [orgId], frameworkId: String(body['frameworkId'] ?? ''), itemIdentifier: String(body['itemIdentifier'] ?? ''),
  });
  // A manager is told nothing about people outside their units: the same 404 as for no assessment.
  if (!a || (!admin && !(await mayConfirm(s, user, orgId, a.userId)))) throw notFound('no such self-assessment in this organization');
  if (a.userId === user.userId && !user.isSiteAdmin) throw badRequest('a person cannot confirm their own self-assessment');
  const at = s.now().toISOString();
  const confirmed: SelfAssessment = { ...a, confirmedBy: user.userId, confirmedAt: at };
  await s.store.competency.upsertSelfAssessment(confirmed);
  const { framework, item } = await competencyOr404(s, a.frameworkId, a.itemIdentifier);
  await storeAttainments(s, [{
    key: `self|${a.userId}|${a.orgId}|${a.frameworkId}|${a.itemIdentifier}|${a.level}|${at}`, userId: a.userId, orgId, competencyUri: item.uri,
    competencyName: item.abbreviatedStatement ?? item.fullStatement, frameworkUri: framework.uri, level: a.level,
    levelName: framework.scale.find((l) => l.rank === a.level)?.name ?? String(a.level), at, confirmedBy: user.userId,
  }]);
  return confirmed;
}

/** One competency in a profile. */
export interface ProfileEntry {
  readonly frameworkId: string;
  readonly itemIdentifier: string;
  /** Highest level of current (not lapsed) evidence or a confirmed self-assessment; 0 when none. */
  readonly level: number;
  readonly levelName?: string;
  /** Where the level comes from. */
  readonly source?: 'evidence' | 'confirmed';
  readonly self?: SelfAssessment;
  /** How many pieces of evidence, and the newest three. */
  readonly count: number;
  readonly latest: readonly Evidence[];
  /** Every piece, newest first: only in exports (profileOf with `evidence: true`). */
  readonly evidence?: readonly Evidence[];
  /** The earliest expiry of the evidence that gives the current level, when it lapses within LAPSE_WARNING_DAYS. */
  readonly lapsesAt?: string;
}

/** A profile: per framework, its tree and the entries by item identifier. */
export interface Profile {
  readonly userId: string;
  readonly frameworks: readonly { readonly framework: Framework; readonly tree: readonly TreeNode[]; readonly entries: Readonly<Record<string, ProfileEntry>> }[];
}

/** Computes the entries of one person (pure over the records). */
export function profileEntries(summaries: readonly EvidenceSummary[], selves: readonly SelfAssessment[], frameworks: ReadonlyMap<string, Framework>, now: Date): Map<string, ProfileEntry> {
  const nowIso = now.toISOString();
  const soon = new Date(now.getTime() + LAPSE_WARNING_DAYS * 86_400_000).toISOString();
  const groups = new Map<string, { frameworkId: string; itemIdentifier: string; summary?: EvidenceSummary; self?: SelfAssessment }>();
  const group = (frameworkId: string, itemIdentifier: string) => {
    const key = `${frameworkId}|${itemIdentifier}`;
    let g = groups.get(key);
    if (!g) {
      g = { frameworkId, itemIdentifier };
      groups.set(key, g);
    }
    return g;
  };
  for (const x of summaries) group(x.frameworkId, x.itemIdentifier).summary = x;
  for (const a of selves) {
    const g = group(a.frameworkId, a.itemIdentifier);
    // Several organizations: the confirmed one, else the latest.
    if (!g.self || (a.confirmedAt !== undefined && g.self.confirmedAt === undefined) || (!!a.confirmedAt === !!g.self.confirmedAt && a.at > g.self.at)) g.self = a;
  }
  const out = new Map<string, ProfileEntry>();
  for (const [key, g] of groups) {
    // A level counts while some of its evidence has not lapsed.
    const current = (g.summary?.levels ?? []).filter((l) => l.expiresAt === null || l.expiresAt > nowIso);
    let level = 0;
    let source: ProfileEntry['source'];
    for (const l of current) if (l.level > level) [level, source] = [l.level, 'evidence'];
    if (g.self?.confirmedAt !== undefined && g.self.level > level) [level, source] = [g.self.level, 'confirmed'];
    let lapsesAt: string | undefined;
    if (source === 'evidence') {
      const atLevel = current.filter((l) => l.level >= level);
      if (atLevel.every((l) => l.expiresAt !== null)) {
        const last = atLevel.map((l) => l.expiresAt as string).sort().pop();
        if (last !== undefined && last <= soon) lapsesAt = last;
      }
    }
    const fw = frameworks.get(g.frameworkId);
    const levelName = fw?.scale.find((l) => l.rank === level)?.name;
    out.set(key, {
      frameworkId: g.frameworkId, itemIdentifier: g.itemIdentifier, level,
      ...(levelName !== undefined ? { levelName } : {}), ...(source ? { source } : {}), ...(g.self ? { self: g.self } : {}),
      count: g.summary?.count ?? 0, latest: g.summary?.latest ?? [], ...(lapsesAt !== undefined ? { lapsesAt } : {}),
    });
  }
  return out;
}

/** The signed-in person's profile: frameworks of their organizations and any framework they have evidence in. */
export async function profileOf(s: AppServices, user: UserContext, options: { readonly evidence?: boolean } = {}): Promise<Profile> {
  const [summaries, selves] = await Promise.all([
    s.store.competency.findEvidenceSummaries(user.userId),
    s.store.competency.findSelfAssessments({ userId: user.userId }),
  ]);
  const ids = new Set([...summaries.map((e) => e.frameworkId), ...selves.map((a) => a.frameworkId)]);
  const own = await s.store.competency.findFrameworks({ orgIds: [...user.roles.keys()] });
  for (const f of own) ids.add(f.id);
  const frameworks = new Map<string, Framework>();
  for (const f of own) frameworks.set(f.id, f);
  for (const id of ids) if (!frameworks.has(id)) {
    const f = await s.store.competency.findFramework(id);
    if (f) frameworks.set(id, f);
  }
  const entries = profileEntries(summaries, selves, frameworks, s.now());
  if (options.evidence) {
    // Exports carry every piece of evidence.
    const all = new Map<string, Evidence[]>();
    for (const e of await s.store.competency.findEvidence({ userId: user.userId })) {
      const k = `${e.frameworkId}|${e.itemIdentifier}`;
      all.set(k, [...(all.get(k) ?? []), e]);
    }
    for (const [k, e] of entries) entries.set(k, { ...e, evidence: all.get(k) ?? [] });
  }
  const list = [];
  for (const f of [...frameworks.values()].sort((a, b) => a.title.localeCompare(b.title))) {
    const items = await s.store.competency.findItems({ frameworkId: f.id });
    const mine: Record<string, ProfileEntry> = {};
    for (const [key, e] of entries) if (e.frameworkId === f.id) mine[key.slice(f.id.length + 1)] = e;
    list.push({ framework: f, tree: buildTree(items), entries: mine });
  }
  return { userId: user.userId, frameworks: list };
}

/** The profile as JSON for export (no trees: items flattened with their entry). */
export function profileExport(p: Profile): Record<string, unknown> {
  return {
    userId: p.userId,
    frameworks: p.frameworks.map((f) => ({
      id: f.framework.id, identifier: f.framework.identifier, uri: f.framework.uri, title: f.framework.title, scale: f.framework.scale,
      competencies: Object.values(f.entries).map(({ latest: _latest, ...e }) => e),
    })),
  };
}

/** CSV rows of the profile: one per piece of evidence, plus one per competency with only a self-assessment. */
export function profileCsvRows(p: Profile): string[][] {
  const rows = [['framework', 'code', 'competency', 'current_level', 'source', 'evidence_level', 'evidence_at', 'expires_at', 'statement_id', 'course_id', 'self_level', 'confirmed_by']];
  for (const f of p.frameworks) {
    const items = new Map<string, TreeNode['item']>();
    const walk = (nodes: readonly TreeNode[]): void => nodes.forEach((n) => { items.set(n.item.identifier, n.item); walk(n.children); });
    walk(f.tree);
    for (const e of Object.values(f.entries)) {
      const item = items.get(e.itemIdentifier);
      const base = [f.framework.title, item?.humanCodingScheme ?? '', item?.abbreviatedStatement ?? item?.fullStatement ?? e.itemIdentifier, String(e.level), e.source ?? ''];
      const self = [e.self ? String(e.self.level) : '', e.self?.confirmedBy ?? ''];
      const all = e.evidence ?? e.latest;
      if (all.length === 0) rows.push([...base, '', '', '', '', '', ...self]);
      for (const ev of all) rows.push([...base, String(ev.level), ev.at, ev.expiresAt ?? '', ev.statementId, ev.courseId ?? '', ...self]);
    }
  }
  return rows;
}

/** True when `viewer` may see alignments of `orgId` (any role there). */
export function seesOrg(viewer: UserContext, orgId: string): boolean {
  return roleError(viewer, orgId, []) === undefined;
}
