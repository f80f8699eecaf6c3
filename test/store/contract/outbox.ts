import { nextStored, unique, useStore, type OpenStore } from './builders';

/** OutboxStore contract: mail kept for the site administrator. */
export function outboxContract(open: OpenStore): void {
  describe('outbox', () => {
    const store = useStore(open);

    it('stores mail and lists the newest first, limited, with equal times in reverse insertion order', async () => {
      const at = nextStored();
      const first = { id: unique('m'), at, to: `First.${unique('p')}@Example.ORG`, subject: 'Your invitation', text: 'Open https://learnhq.test/invitations/abc' };
      const second = { id: unique('m'), at, to: `${unique('p')}@example.org`, subject: 'Reset', text: 'Line one\nLine two' };
      await store().outbox.insertOutboxMail(first);
      await store().outbox.insertOutboxMail(second);
      const later = { id: unique('m'), at: nextStored(), to: `${unique('p')}@example.org`, subject: 'Later', text: 'x' };
      await store().outbox.insertOutboxMail(later);
      const newest = await store().outbox.findOutboxMails({ limit: 3 });
      expect(newest).toEqual([later, second, { ...first, to: first.to.toLowerCase() }]);
      expect(await store().outbox.findOutboxMails({ limit: 1 })).toEqual([later]);
      expect(await store().outbox.findOutboxMails({ limit: 0 })).toEqual([]);
    });

    it('refuses a second mail with the same id', async () => {
      const m = { id: unique('m'), at: nextStored(), to: 'a@example.org', subject: 's', text: 't' };
      await store().outbox.insertOutboxMail(m);
      await expect(store().outbox.insertOutboxMail({ ...m, subject: 'other' })).rejects.toMatchObject({ code: 'conflict' });
    });
  });
}
