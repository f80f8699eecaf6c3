/**
 * The badge page of an organization (twin of GET/POST /api/orgs/:orgId/badges, same rule:
 * authors and administrators of the organization; a learner or analyst there gets 403, anyone
 * else 404):
 *   GET  /admin/competency/:orgId/badges    the organization's badges and the form to define one
 *   POST /admin/competency/:orgId/badges    define a badge (multipart: the image is a file)
 * The form is multipart so that the image can be a file without any script: the fields, the CSRF
 * token among them, are read first, then checked by requireCsrf as any other form.
 */
import busboy from 'busboy';
import type { NextFunction, Request, Response, Router } from 'express';
import { requireCsrf, requireRoleIn, requireUser } from '../../accounts/guards';
import { createBadge } from '../../competency/badges';
import type { AppServices } from '../../deps';
import { badRequest, notFound } from '../../errors';
import { sendPage, signedIn } from '../accounts/render';
import { badgesPageView, type BadgeRow } from './badge-views';

/** Largest image accepted (the API's limit on the data URL is 400,000 characters, ~300 kB). */
const IMAGE_BYTES = 290 * 1024;

interface BadgeForm {
  readonly fields: Record<string, string>;
  readonly image?: { readonly type: string; readonly data: Buffer };
}

/** The image's real type, from its first bytes (the browser's declared type is not trusted). */
function sniff(data: Buffer): string | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  const head = data.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return undefined;
}

/** Reads the multipart form into req.body (fields) and res.locals.badgeImage, then hands on. */
function readBadgeForm(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('multipart/form-data')) {
    next(badRequest('the badge form is sent as multipart/form-data'));
    return;
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 8 * 1024, fileSize: IMAGE_BYTES } });
  } catch {
    next(badRequest('the badge form is not valid multipart/form-data'));
    return;
  }
  const fields: Record<string, string> = {};
  const chunks: Buffer[] = [];
  let tooBig = false;
  let failed = false;
  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    req.unpipe(parser);
    req.resume();
    next(err);
  };
  parser.on('field', (name, value) => {
    fields[name] = value;
  });
  parser.on('file', (_name, stream) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('limit', () => {
      tooBig = true;
    });
  });
  parser.on('error', () => fail(badRequest('the badge form is not valid multipart/form-data')));
  parser.on('close', () => {
    if (failed) return;
    if (tooBig) return fail(badRequest(`the image must be at most ${IMAGE_BYTES / 1024} kB`));
    const data = Buffer.concat(chunks);
    let image: BadgeForm['image'];
    if (data.length > 0) {
      const type = sniff(data);
      if (!type) return fail(badRequest('the image must be a PNG or an SVG file'));
      image = { type, data };
    }
    req.body = fields;
    res.locals['badgeForm'] = { fields, ...(image ? { image } : {}) } satisfies BadgeForm;
    next();
  });
  req.pipe(parser);
}

/** Mounts the badge page on the competency pages' router. */
export function mountBadgePages(pages: Router, s: AppServices): void {
  const rows = async (orgId: string): Promise<BadgeRow[]> => {
    const out: BadgeRow[] = [];
    for (const b of await s.store.competency.findBadges({ orgIds: [orgId] })) {
      let awardedFor = 'a course';
      if (b.courseId !== undefined) {
        const c = await s.store.courses.findCourse(b.courseId);
        awardedFor = `Course: ${c?.title ?? b.courseId}`;
      } else if (b.frameworkId !== undefined && b.itemIdentifier !== undefined) {
        const f = await s.store.competency.findFramework(b.frameworkId);
        const [item] = await s.store.competency.findItems({ frameworkId: b.frameworkId, identifiers: [b.itemIdentifier], includeRetired: true });
        const level = f?.scale.find((l) => l.rank === b.level)?.name ?? String(b.level ?? '');
        awardedFor = `${item ? `${item.humanCodingScheme ? `${item.humanCodingScheme} ` : ''}${item.abbreviatedStatement ?? item.fullStatement}` : b.itemIdentifier} at ${level}`;
      }
      out.push({ badge: b, awardedFor });
    }
    return out;
  };

  // The API's rule (createBadge): authors and administrators of the organization.
  const mayDefine = requireRoleIn('orgId', 'author', 'orgAdmin');
  pages.get('/admin/competency/:orgId/badges', requireUser(), mayDefine, async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId']);
    const org = await s.store.accounts.findOrganization(orgId);
    if (!org) throw notFound(`no organization ${orgId}`);
    const courses = await s.store.courses.findCourses({ orgIds: [orgId] });
    const frameworks = await s.store.competency.findFrameworks({});
    sendPage(res, 200, { title: `Badges of ${org.name}`, body: badgesPageView(org, await rows(orgId), courses, frameworks, user.csrfToken) });
  });

  // The role is checked before the form is read; createBadge checks it again.
  pages.post('/admin/competency/:orgId/badges', requireUser(), mayDefine, readBadgeForm, requireCsrf(), async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId']);
    const form = res.locals['badgeForm'] as BadgeForm;
    const f = form.fields;
    const base = {
      name: f['name'] ?? '', description: f['description'] ?? '', criteria: f['criteria'] ?? '',
      ...(form.image ? { image: `data:${form.image.type};base64,${form.image.data.toString('base64')}` } : {}),
    };
    const target = (f['for'] ?? '').split('|');
    if (target[0] === 'course') {
      await createBadge(s, user, orgId, { ...base, courseId: target[1] ?? '' });
    } else if (target[0] === 'level') {
      const frameworkId = target[1] ?? '';
      const code = (f['competency'] ?? '').trim();
      if (code === '') throw badRequest('name the competency by its code or identifier');
      const items = await s.store.competency.findItems({ frameworkId });
      const item = items.find((i) => i.humanCodingScheme === code) ?? items.find((i) => i.identifier === code);
      if (!item) throw badRequest(`the framework has no competency with the code or identifier ${code}`);
      await createBadge(s, user, orgId, { ...base, frameworkId, itemIdentifier: item.identifier, level: Number(target[2]) });
    } else {
      throw badRequest('choose what the badge is awarded for');
    }
    res.redirect(303, `/admin/competency/${encodeURIComponent(orgId)}/badges`);
  });
}
