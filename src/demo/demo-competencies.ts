/**
 * The demo competency framework: LearnHQ's own wording (not taken from any published index) of
 * what library staff and trustees do, six categories of five competencies, as a CASE 1.1 package
 * with a three-level rubric. Identifiers are name-based UUIDs, so every site gets the same ones.
 */
import { nameUuid } from '../competency/csv-framework';

const NS = 'learnhq-demo-library-competencies';
const CATEGORIES: readonly { code: string; name: string; statement: string; items: readonly [string, string][] }[] = [
  { code: 'PS', name: 'Public service', statement: 'Serves every visitor with respect, accuracy and care.', items: [
    ['Reference conversations', 'Draws out what a person actually needs through open questions before searching.'],
    ['Welcoming spaces', 'Keeps the library welcoming and safe for people of every age, language and ability.'],
    ['Readers advisory', 'Suggests reading, viewing and listening that fits a person\'s taste and purpose.'],
    ['Digital help', 'Helps people use devices, accounts and online services without taking over.'],
    ['Difficult situations', 'Calms tense encounters and knows when and how to ask for help.'],
  ] },
  { code: 'CO', name: 'Collections', statement: 'Builds and cares for collections that reflect the community.', items: [
    ['Selection', 'Chooses materials against the collection policy, budget and local demand.'],
    ['Weeding', 'Removes worn, outdated or unused items with a clear and explainable method.'],
    ['Description', 'Describes items so that people and systems can find them.'],
    ['Shared resources', 'Uses interlibrary loan and consortium services to widen access.'],
    ['Local heritage', 'Collects and protects local history and community memory.'],
  ] },
  { code: 'TE', name: 'Technology', statement: 'Uses and looks after the library\'s technology with confidence.', items: [
    ['Library systems', 'Uses the integrated library system for circulation, holds and records.'],
    ['Privacy and security', 'Protects patron data and follows safe practice on shared computers.'],
    ['Troubleshooting', 'Solves everyday hardware and network problems, and reports the rest clearly.'],
    ['Online presence', 'Keeps the website, catalog and social channels accurate and accessible.'],
    ['New tools', 'Tries new tools critically and shares what works with colleagues.'],
  ] },
  { code: 'LE', name: 'Leadership', statement: 'Leads people and change toward the library\'s goals.', items: [
    ['Planning', 'Turns the library\'s goals into plans with owners, dates and measures.'],
    ['Coaching', 'Gives timely feedback and helps colleagues grow their skills.'],
    ['Budgeting', 'Prepares and follows a budget and explains spending choices.'],
    ['Change', 'Introduces change with clear reasons, involvement and follow-through.'],
    ['Evidence use', 'Uses data about use and outcomes to decide and to report.'],
  ] },
  { code: 'CE', name: 'Community engagement', statement: 'Connects the library with the people and groups it serves.', items: [
    ['Partnerships', 'Builds partnerships with schools, agencies and local groups.'],
    ['Outreach', 'Takes services to people who do not come to the building.'],
    ['Programming', 'Plans, runs and evaluates programs that answer local needs.'],
    ['Listening to the community', 'Gathers what residents need and want, especially those rarely heard.'],
    ['Telling the story', 'Shows the library\'s value to residents and funders with stories and figures.'],
  ] },
  { code: 'TG', name: 'Trustee governance', statement: 'Governs the library in the public interest (trustees and board members).', items: [
    ['Roles and duties', 'Knows the board\'s legal duties and how they differ from the director\'s.'],
    ['Policy', 'Sets, reviews and publishes the policies the library runs by.'],
    ['Financial oversight', 'Approves the budget and watches spending against it.'],
    ['Director relationship', 'Hires, supports and evaluates the director fairly.'],
    ['Advocacy', 'Speaks for the library to officials, funders and the public.'],
  ] },
];

/** The demo framework as a CASE 1.1 package. `base` is the site's CASE URI base. */
export function demoCompetencyPackage(base: string, now: string): Record<string, unknown> {
  const docId = nameUuid(NS, 'document');
  const doc = { identifier: docId, uri: `${base}${docId}`, creator: 'LearnHQ', title: 'Library staff and trustee competencies (LearnHQ demo)', lastChangeDateTime: now, version: '1.0', adoptionStatus: 'Draft', language: 'en', description: 'A demonstration framework written for LearnHQ.' };
  const docLink = { title: doc.title, identifier: docId, uri: doc.uri };
  const items: Record<string, unknown>[] = [];
  const associations: Record<string, unknown>[] = [];
  const link = (id: string, title: string) => ({ title, identifier: id, uri: `${base}${id}` });
  const child = (id: string, title: string, parent: { title: string; identifier: string; uri: string }, seq: number): void => {
    const aid = nameUuid(NS, `isChildOf|${id}`);
    associations.push({ identifier: aid, uri: `${base}${aid}`, associationType: 'isChildOf', CFDocumentURI: docLink, sequenceNumber: seq, originNodeURI: link(id, title), destinationNodeURI: parent, lastChangeDateTime: now });
  };
  CATEGORIES.forEach((c, ci) => {
    const cid = nameUuid(NS, c.code);
    items.push({ identifier: cid, uri: `${base}${cid}`, CFDocumentURI: docLink, fullStatement: c.statement, abbreviatedStatement: c.name, humanCodingScheme: c.code, CFItemType: 'Category', lastChangeDateTime: now });
    child(cid, c.name, docLink, ci + 1);
    c.items.forEach(([name, statement], i) => {
      const code = `${c.code}.${i + 1}`;
      const id = nameUuid(NS, code);
      items.push({ identifier: id, uri: `${base}${id}`, CFDocumentURI: docLink, fullStatement: statement, abbreviatedStatement: name, humanCodingScheme: code, CFItemType: 'Competency', lastChangeDateTime: now });
      child(id, name, link(cid, c.name), i + 1);
    });
  });
  const rubricId = nameUuid(NS, 'rubric');
  const level = (rank: number, quality: string, description: string) => {
    const id = nameUuid(NS, `level|${rank}`);
    return { identifier: id, uri: `${base}${id}`, quality, description, position: rank, lastChangeDateTime: now };
  };
  return {
    CFDocument: doc,
    CFItems: items,
    CFAssociations: associations,
    CFDefinitions: { CFItemTypes: [
      { identifier: nameUuid(NS, 'type|Category'), uri: `${base}${nameUuid(NS, 'type|Category')}`, title: 'Category', description: 'A group of competencies', hierarchyCode: '1', lastChangeDateTime: now },
      { identifier: nameUuid(NS, 'type|Competency'), uri: `${base}${nameUuid(NS, 'type|Competency')}`, title: 'Competency', description: 'Something a person can show they do', hierarchyCode: '2', lastChangeDateTime: now },
    ] },
    CFRubrics: [{ identifier: rubricId, uri: `${base}${rubricId}`, title: 'Proficiency', lastChangeDateTime: now, CFRubricCriteria: [{
      identifier: nameUuid(NS, 'criterion'), uri: `${base}${nameUuid(NS, 'criterion')}`, rubricId, position: 1, lastChangeDateTime: now,
      CFRubricCriterionLevels: [
        level(1, 'Aware', 'Knows what this involves and where to find guidance.'),
        level(2, 'Practising', 'Does this unaided in everyday work.'),
        level(3, 'Leading', 'Guides others and improves how it is done.'),
      ],
    }] }],
  };
}

/** Identifier of a demo competency by code (PS.1 ...). */
export function demoCompetencyId(code: string): string {
  return nameUuid(NS, code);
}
