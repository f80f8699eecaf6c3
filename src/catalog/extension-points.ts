/**
 * Extension points of the learner's side (issue 18) that other areas fill when they exist:
 *
 * - careers (issue 15): `assignmentAudiences.unit` (who is in a unit), `assigners` (managers may
 *   assign to their people), and `dashboardSections` (career-plan items);
 * - competencies (issue 14): `dashboardSections` (badges);
 * - reports (issue 16): `landingPages.analyst` ('/reports' once the reports pages exist).
 *
 * Each is a small registry: the area calls the register function once at start-up (from its
 * router factory); nothing here imports those areas, so the arrows keep pointing down.
 */
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import type { AssignmentTarget, Role } from '../store/ports';

/** One line of a dashboard section filled by another area. */
export interface DashboardItem {
  readonly title: string;
  /** Where the person goes for it. */
  readonly href?: string;
  /** A short state such as "due 2026-03-01" or "earned 2026-02-10". */
  readonly detail?: string;
}

/** What another area adds to a person's dashboard. */
export interface DashboardSection {
  readonly id: 'careerPlan' | 'badges' | string;
  readonly heading: string;
  readonly items: readonly DashboardItem[];
}

export type DashboardSectionSource = (s: AppServices, user: UserContext) => Promise<DashboardSection | undefined>;

const sections: DashboardSectionSource[] = [];
/** Registers a dashboard section (career plan, badges...). */
export function registerDashboardSection(source: DashboardSectionSource): void {
  sections.push(source);
}
/** The registered sections' sources. */
export function dashboardSectionSources(): readonly DashboardSectionSource[] {
  return sections;
}

/** Whether a person is in an assignment's audience (for target kinds this area cannot resolve). */
export type AudienceCheck = (s: AppServices, orgId: string, target: AssignmentTarget, userId: string) => Promise<boolean>;
/** Who is in an assignment's audience (for reminders). */
export type AudienceList = (s: AppServices, orgId: string, target: AssignmentTarget) => Promise<readonly string[]>;

const audiences = new Map<AssignmentTarget['kind'], { includes: AudienceCheck; list: AudienceList }>();
/** Registers who is in targets of a kind (careers registers 'unit'). */
export function registerAssignmentAudience(kind: AssignmentTarget['kind'], a: { includes: AudienceCheck; list: AudienceList }): void {
  audiences.set(kind, a);
}
export function assignmentAudience(kind: AssignmentTarget['kind']): { includes: AudienceCheck; list: AudienceList } | undefined {
  return audiences.get(kind);
}

/** Whether someone other than an organization administrator may assign in an organization (managers). */
export type AssignerCheck = (s: AppServices, user: UserContext, orgId: string, target: AssignmentTarget) => Promise<boolean>;
const assigners: AssignerCheck[] = [];
export function registerAssigner(check: AssignerCheck): void {
  assigners.push(check);
}
export function assignerChecks(): readonly AssignerCheck[] {
  return assigners;
}

/** Where a role lands after sign-in when the area that does its work registers a page. */
const landings = new Map<Role, string>();
export function registerLandingPage(role: Role, path: string): void {
  landings.set(role, path);
}
export function landingPage(role: Role): string | undefined {
  return landings.get(role);
}

/**
 * Whether someone other than an organization administrator may see and confirm a person's
 * self-assessed competency levels in an organization (careers registers: managers, for the people
 * of their units). Competencies call the checks; they never import careers.
 */
export type ConfirmerCheck = (s: AppServices, user: UserContext, orgId: string, personId: string) => Promise<boolean>;
const confirmers: ConfirmerCheck[] = [];
export function registerConfirmer(check: ConfirmerCheck): void {
  confirmers.push(check);
}
export function confirmerChecks(): readonly ConfirmerCheck[] {
  return confirmers;
}
