/**
 * CASE 1.1 packages (1EdTech Competencies and Academic Standards Exchange): parsing a package
 * into our records and building one back. Every CASE object is kept as received (`raw`), so an
 * import → export round trip returns every identifier, URI, association and field we do not use.
 * Pure: no I/O.
 */
import { badRequest } from '../errors';
import type { CompetencyAssociation, CompetencyItem, ProficiencyLevel } from '../store/ports';

type Json = Record<string, unknown>;

/** The parts of a package, validated. */
export interface ParsedPackage {
  readonly document: Json & { identifier: string; uri: string; title: string };
  readonly items: readonly (Json & { identifier: string; uri: string; fullStatement: string })[];
  readonly associations: readonly (Json & { identifier: string; associationType: string })[];
  /** CFDefinitions and CFRubrics as received (kept for export). */
  readonly extras: Json;
}

/** The default scale of a framework without a CASE rubric. */
export const DEFAULT_SCALE: readonly ProficiencyLevel[] = [
  { rank: 1, name: 'Aware', description: 'Knows what this involves and where to find help.' },
  { rank: 2, name: 'Practising', description: 'Does this unaided in everyday work.' },
  { rank: 3, name: 'Leading', description: 'Guides others and improves how it is done.' },
];

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Json, field: string, where: string, problems: string[]): string {
  const v = o[field];
  if (typeof v !== 'string' || v.trim() === '') {
    problems.push(`${where}.${field} must be a non-empty string`);
    return '';
  }
  return v;
}

/** Node reference of an association end: its identifier. */
function nodeId(o: Json, field: string, where: string, problems: string[]): string {
  const v = o[field];
  if (!isObj(v)) {
    problems.push(`${where}.${field} must be a LinkURI object`);
    return '';
  }
  return str(v, 'identifier', `${where}.${field}`, problems);
}

/**
 * Validates a CASE 1.1 package (CFPackage JSON). Throws 400 naming every problem (up to 20) so
 * nothing is imported from a package with a bad part.
 */
export function parseCasePackage(body: unknown): ParsedPackage {
  if (!isObj(body)) throw badRequest('a CASE package is a JSON object with CFDocument, CFItems and CFAssociations');
  const problems: string[] = [];
  const doc = body['CFDocument'];
  if (!isObj(doc)) throw badRequest('CFDocument is missing or not an object');
  str(doc, 'identifier', 'CFDocument', problems);
  str(doc, 'uri', 'CFDocument', problems);
  str(doc, 'title', 'CFDocument', problems);
  const items = body['CFItems'] ?? [];
  const assocs = body['CFAssociations'] ?? [];
  if (!Array.isArray(items)) throw badRequest('CFItems must be an array');
  if (!Array.isArray(assocs)) throw badRequest('CFAssociations must be an array');
  const seen = new Set<string>();
  items.forEach((it: unknown, i) => {
    const where = `CFItems[${i}]`;
    if (!isObj(it)) return void problems.push(`${where} must be an object`);
    const id = str(it, 'identifier', where, problems);
    str(it, 'uri', where, problems);
    str(it, 'fullStatement', where, problems);
    if (id !== '' && seen.has(id)) problems.push(`${where}.identifier ${id} appears twice`);
    seen.add(id);
  });
  assocs.forEach((a: unknown, i) => {
    const where = `CFAssociations[${i}]`;
    if (!isObj(a)) return void problems.push(`${where} must be an object`);
    str(a, 'identifier', where, problems);
    str(a, 'associationType', where, problems);
    nodeId(a, 'originNodeURI', where, problems);
    nodeId(a, 'destinationNodeURI', where, problems);
  });
  if (problems.length > 0) {
    throw badRequest(`the CASE package has ${problems.length} problem(s), nothing was imported: ${problems.slice(0, 20).join('; ')}`);
  }
  const extras: Json = {};
  for (const k of ['CFDefinitions', 'CFRubrics']) if (body[k] !== undefined) extras[k] = body[k];
  return { document: doc as ParsedPackage['document'], items: items as ParsedPackage['items'], associations: assocs as ParsedPackage['associations'], extras };
}

/** Our item and association records of a parsed package (tree from isChildOf, order from sequenceNumber). */
export function packageRecords(frameworkId: string, p: ParsedPackage): { items: CompetencyItem[]; associations: CompetencyAssociation[] } {
  const itemIds = new Set(p.items.map((i) => i.identifier));
  const parent = new Map<string, { id?: string; seq?: number }>();
  const associations = p.associations.map((a): CompetencyAssociation => {
    const origin = String((a['originNodeURI'] as Json)['identifier']);
    const destination = String((a['destinationNodeURI'] as Json)['identifier']);
    if (a.associationType === 'isChildOf' && itemIds.has(origin) && !parent.has(origin)) {
      const seq = typeof a['sequenceNumber'] === 'number' ? a['sequenceNumber'] : undefined;
      parent.set(origin, { ...(itemIds.has(destination) ? { id: destination } : {}), ...(seq !== undefined ? { seq } : {}) });
    }
    return { frameworkId, identifier: a.identifier, associationType: a.associationType, originIdentifier: origin, destinationIdentifier: destination, raw: a };
  });
  const optional = (o: Json, k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  const items = p.items.map((it, index): CompetencyItem => {
    const link = parent.get(it.identifier);
    const abbreviated = optional(it, 'abbreviatedStatement');
    const code = optional(it, 'humanCodingScheme');
    const type = optional(it, 'CFItemType');
    const notes = optional(it, 'notes');
    return {
      frameworkId,
      identifier: it.identifier,
      uri: it.uri,
      fullStatement: it.fullStatement,
      ...(abbreviated ? { abbreviatedStatement: abbreviated } : {}),
      ...(code ? { humanCodingScheme: code } : {}),
      ...(type ? { itemType: type } : {}),
      ...(notes ? { notes } : {}),
      ...(link?.id ? { parentIdentifier: link.id } : {}),
      position: link?.seq ?? index + 1,
      raw: it,
    };
  });
  return { items, associations };
}

/**
 * The proficiency scale of a package: the levels of its first rubric's first criterion, ordered
 * by position; DEFAULT_SCALE when it has none.
 */
export function scaleOf(extras: Json): readonly ProficiencyLevel[] {
  const rubrics = extras['CFRubrics'];
  if (!Array.isArray(rubrics)) return DEFAULT_SCALE;
  for (const r of rubrics) {
    const criteria = isObj(r) ? r['CFRubricCriteria'] : undefined;
    if (!Array.isArray(criteria)) continue;
    for (const c of criteria) {
      const levels = isObj(c) ? c['CFRubricCriterionLevels'] : undefined;
      if (!Array.isArray(levels) || levels.length === 0) continue;
      const sorted = levels.filter(isObj).sort((a, b) => Number(a['position'] ?? 0) - Number(b['position'] ?? 0));
      return sorted.map((l, i): ProficiencyLevel => {
        const name = typeof l['quality'] === 'string' && l['quality'] !== '' ? l['quality'] : typeof l['description'] === 'string' ? l['description'] : `Level ${i + 1}`;
        const description = typeof l['description'] === 'string' && l['description'] !== name ? l['description'] : typeof l['feedback'] === 'string' ? l['feedback'] : undefined;
        return { rank: i + 1, name, ...(description ? { description } : {}), ...(typeof l['identifier'] === 'string' ? { caseIdentifier: l['identifier'] } : {}) };
      });
    }
  }
  return DEFAULT_SCALE;
}

/** A CASE package of the current (not retired) items. */
export function buildCasePackage(
  doc: Readonly<Json>, extras: Readonly<Json>, items: readonly CompetencyItem[], associations: readonly CompetencyAssociation[],
): Json {
  return {
    CFDocument: doc,
    CFItems: items.filter((i) => i.retiredAt === undefined).map((i) => i.raw),
    CFAssociations: associations.map((a) => a.raw),
    ...extras,
  };
}
