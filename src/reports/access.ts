/**
 * Who sees what in reports (issue 16, ADR 0023): the one place the access rules live. Every report
 * page, its JSON twin and its CSV go through a lens resolved here.
 *
 * - An analyst of organization X, lens "people": the learning of X's people, whatever course (and
 *   whoever's course) they took; per-person rows for X's people.
 * - An analyst of a provider organization P (kind provider or both), lens "courses": how P's
 *   courses are used across every organization; per-person rows only for P's own people, other
 *   organizations' people as aggregates, and no aggregate of fewer than MIN_GROUP learners shown.
 * - The site administrator, lens "site": everything; or any organization's lens.
 * An organization the viewer has no role in answers 404 (nobody learns that it exists); one where
 * the viewer has roles but not analyst, 403.
 */
import { roleError } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import { badRequest, forbidden, notFound } from '../errors';
import type { Organization, ReportScope } from '../store/ports';

/** The smallest group of another organization's learners a provider may see an aggregate of. */
export const MIN_GROUP = 5;

export type LensView = 'people' | 'courses' | 'site';

/** What one viewer sees in one report request. */
export interface ReportLens {
  readonly view: LensView;
  /** The organization looked through; undefined for the site view. */
  readonly orgId?: string;
  /** The store scope every query of the lens starts from (narrowed further by the report's filters). */
  readonly scope: ReportScope;
  /** Learner organizations whose people may appear by name and as rows; undefined = every one. */
  readonly personOrgIds?: readonly string[];
  /** Aggregates of fewer learners than this are withheld (1 = show everything). */
  readonly minGroup: number;
}

/** The lenses a viewer may choose from, for the page's selector. */
export interface LensChoice { readonly orgId?: string; readonly view: LensView; readonly label: string }

/** The organizations where `user` is an analyst (every organization for the site administrator). */
export function analystOrgs(user: UserContext, orgs: readonly Organization[]): Organization[] {
  if (user.isSiteAdmin) return [...orgs];
  return orgs.filter((o) => user.roles.get(o.id)?.has('analyst') === true);
}

/** Every lens the viewer may use, first the default; [] when the viewer may see no report. */
export function lensChoices(user: UserContext, orgs: readonly Organization[]): LensChoice[] {
  const out: LensChoice[] = user.isSiteAdmin ? [{ view: 'site', label: 'Whole site' }] : [];
  for (const o of analystOrgs(user, orgs)) {
    if (o.kind !== 'provider') out.push({ orgId: o.id, view: 'people', label: `${o.name}: our people's learning` });
    if (o.kind !== 'member') out.push({ orgId: o.id, view: 'courses', label: `${o.name}: use of our courses` });
  }
  return out;
}

/**
 * The lens for a request: `orgId` and `view` as asked (either may be absent: the first choice
 * that fits is taken). Throws 404 for an organization the viewer has no role in or that does not
 * exist, 403 when the viewer is not its analyst or the view does not fit its kind.
 */
export function resolveLens(user: UserContext, orgs: readonly Organization[], ask: { orgId?: string; view?: string }): ReportLens {
  if (ask.view !== undefined && ask.view !== 'people' && ask.view !== 'courses' && ask.view !== 'site') {
    throw badRequest(`view must be people, courses or site, not ${ask.view}`);
  }
  if (ask.orgId !== undefined && ask.orgId !== '') {
    const org = orgs.find((o) => o.id === ask.orgId);
    const err = roleError(user, ask.orgId, ['analyst']);
    if (err) throw err;
    if (!org) throw notFound(`no organization ${ask.orgId}`);
    return lensOf(org, ask.view ?? (org.kind === 'provider' ? 'courses' : 'people'));
  }
  const choices = lensChoices(user, orgs).filter((c) => ask.view === undefined || c.view === ask.view);
  const first = choices[0];
  if (!first) throw forbidden('reports need the analyst role in an organization');
  if (first.view === 'site') return { view: 'site', scope: {}, minGroup: 1 };
  const org = orgs.find((o) => o.id === first.orgId);
  if (!org) throw forbidden('reports need the analyst role in an organization');
  return lensOf(org, first.view);
}

function lensOf(org: Organization, view: string): ReportLens {
  if (view === 'people') {
    if (org.kind === 'provider') throw forbidden(`organization ${org.id} is a provider: its report shows the use of its courses`);
    return { view: 'people', orgId: org.id, scope: { orgIds: [org.id] }, personOrgIds: [org.id], minGroup: 1 };
  }
  if (view === 'courses') {
    if (org.kind === 'member') throw forbidden(`organization ${org.id} provides no courses`);
    return { view: 'courses', orgId: org.id, scope: { providerOrgIds: [org.id] }, personOrgIds: [org.id], minGroup: MIN_GROUP };
  }
  throw forbidden('the site view is for the site administrator');
}

/** True when rows of people of `learnerOrgId` may be shown one by one (with names) through the lens. */
export function mayShowPeopleOf(lens: ReportLens, learnerOrgId: string): boolean {
  return lens.personOrgIds === undefined || lens.personOrgIds.includes(learnerOrgId);
}

/** The scope of per-person rows: the lens's scope narrowed to the organizations whose people it may show. */
export function personScope(lens: ReportLens, scope: ReportScope): ReportScope {
  if (lens.personOrgIds === undefined) return scope;
  const allowed = scope.orgIds === undefined ? lens.personOrgIds : scope.orgIds.filter((o) => lens.personOrgIds?.includes(o));
  return { ...scope, orgIds: allowed };
}

/**
 * Whether an aggregate may be shown: always in lenses without a minimum; in a provider's lens only
 * when it counts at least MIN_GROUP learners, or when all of them are the provider's own people.
 */
export function mayShowAggregate(lens: ReportLens, learners: number, onlyOwnPeople = false): boolean {
  return learners >= lens.minGroup || onlyOwnPeople;
}
