/**
 * The reminder job (issue 18) end to end: two LearnHQ instances on one store, each running its own
 * job, mail through a real SMTP server. An assignment's "due soon" and "overdue" reminders each
 * reach the person exactly once however many runs and instances there are; a person who followed
 * the unsubscribe link of a reminder gets none; the job runs by itself, and stops with the app.
 */
import request from 'supertest';
import { createApp, type AppHandle } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import type { Course, User } from '../../../src/store/ports';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp';
import { courseFixture, createWorld, type World } from '../security/fixture';

jest.setTimeout(120_000);

const DAY = 86_400_000;

describe('reminder job (issue 18)', () => {
  let smtp: TestSmtp;
  let w: World;
  let instances: AppHandle[] = [];

  const published = async (title: string): Promise<Course> => {
    const { course, version } = courseFixture(w.orgA.id, 'published');
    const c = { ...course, title };
    await w.store.courses.insertCourse(c, version);
    return c;
  };
  const assign = async (entryId: string, userId: string, dueAt: string): Promise<void> => {
    const s = await w.session(w.people.orgAdminA);
    const r = await request(w.app)
      .post(`/api/orgs/${w.orgA.id}/assignments`)
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.csrf)
      .send({ entryId, target: { kind: 'person', userId }, dueAt });
    expect(r.status).toBe(201);
  };
  const mailsTo = (u: User) => smtp.mails.filter((m) => m.to.includes(u.email.toLowerCase()));
  /** Waits (polling) until `cond` holds; the test fails on its own timeout otherwise. */
  const until = async (cond: () => boolean): Promise<void> => {
    while (!cond()) await new Promise((r) => setTimeout(r, 100));
  };
  /** Both instances run their job at the same moment, twice. */
  const runBothTwice = async (): Promise<void> => {
    for (let i = 0; i < 2; i += 1) await Promise.all(instances.map((h) => h.reminders!.runOnce()));
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    w = await createWorld({ smtpUrl: smtp.url });
    // Two more instances on the world's store and clock, each with its job every second.
    const config = { ...w.config, reminderIntervalSeconds: 1 };
    instances = [1, 2].map(() => createApp({ config, store: w.store, logger: createLogger('silent'), now: w.services.now }));
  });
  afterAll(async () => {
    await Promise.all(instances.map((h) => Promise.all([h.reminders?.stop(), h.pipeline.stop()])));
    await w?.close();
    await smtp?.close();
  });

  it('is off in tests unless asked; on when the interval is set', () => {
    expect(w.config.reminderIntervalSeconds).toBe(0);
    expect(instances.every((h) => h.reminders !== undefined)).toBe(true);
  });

  it('mails due-soon and overdue once each across runs and instances; an unsubscribed person gets none', async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const quitter = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);

    // The quitter's first reminder comes from the jobs' own timers; they follow its unsubscribe link.
    const old = await published('Old training');
    await assign(old.id, quitter.id, new Date(w.services.now().getTime() - DAY).toISOString());
    await until(() => mailsTo(quitter).length > 0);
    const unsubscribe = /https?:\/\/\S+\/reminders\/unsubscribe\/\S+/.exec(mailsTo(quitter)[0]!.text)?.[0];
    expect(unsubscribe).toBeDefined();
    expect((await request(instances[1]!.listener).get(new URL(unsubscribe!).pathname)).status).toBe(200);
    await runBothTwice();
    expect(mailsTo(quitter).map((m) => m.subject)).toEqual(['Overdue: Old training']);

    const c = await published('Storytime basics');
    const due = new Date(w.services.now().getTime() + 2 * DAY).toISOString();
    await assign(c.id, person.id, due);
    await assign(c.id, quitter.id, due);
    await runBothTwice();
    expect(mailsTo(person).map((m) => m.subject)).toEqual([`Due ${due.slice(0, 10)}: Storytime basics`]);
    expect(mailsTo(person)[0]!.text).toContain(`/courses/${c.id}`);

    w.advance(3 * DAY);
    try {
      await runBothTwice();
      // Let the timers take a few more turns too.
      const runs = smtp.mails.length;
      await new Promise((r) => setTimeout(r, 2500));
      expect(smtp.mails.length).toBe(runs);
      expect(mailsTo(person).map((m) => m.subject)).toEqual([`Due ${due.slice(0, 10)}: Storytime basics`, 'Overdue: Storytime basics']);
      expect(mailsTo(quitter).map((m) => m.subject)).toEqual(['Overdue: Old training']);
    } finally {
      w.advance(-3 * DAY);
    }
  });

  it('a refused mail releases its claim: the next run sends it', async () => {
    const person = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const c = await published('Retry course');
    // Stop the timers so only this test's runs send.
    await Promise.all(instances.map((h) => h.reminders!.stop()));
    await assign(c.id, person.id, new Date(w.services.now().getTime() - DAY).toISOString());
    const a = (await w.store.learning.findAssignments({ orgIds: [w.orgA.id] })).find((x) => x.entryId === c.id)!;
    // An instance whose mail server is down claims, fails, and releases. (Its own view of the
    // store: the app keeps one mailer per store object.)
    const store = Object.create(w.store) as typeof w.store;
    const down = createApp({ config: { ...w.config, smtpUrl: 'smtp://127.0.0.1:9', reminderIntervalSeconds: 3600 }, store, logger: createLogger('silent'), now: w.services.now });
    try {
      await down.reminders!.runOnce();
      expect(await w.store.learning.hasReminderMark(a.id, person.id, 'overdue')).toBe(false);
      expect(mailsTo(person)).toHaveLength(0);
    } finally {
      await Promise.all([down.reminders!.stop(), down.pipeline.stop()]);
    }
    await instances[0]!.reminders!.runOnce();
    expect(mailsTo(person).map((m) => m.subject)).toEqual(['Overdue: Retry course']);
    expect(await w.store.learning.hasReminderMark(a.id, person.id, 'overdue')).toBe(true);
  });
});
