/**
 * Secrets of forwarding targets at rest (issue 13): AES-256-GCM under a key derived (HKDF) from
 * the session secret, so a database dump alone does not reveal them. Rotating
 * LEARNHQ_SESSION_SECRET makes stored target secrets unreadable: their targets must be added again.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { sessionKey } from '../accounts/session-secret';

function keyOf(config: Config): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionKey(config), 'learnhq', 'forwarding target secrets v1', 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function sealSecret(config: Config, plain: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyOf(config), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** The plain secret; throws when it was sealed under another key or altered. */
export function openSecret(config: Config, sealed: string): string {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || iv === undefined || tag === undefined || body === undefined) throw new Error('not a sealed secret');
  const d = createDecipheriv('aes-256-gcm', keyOf(config), Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}
