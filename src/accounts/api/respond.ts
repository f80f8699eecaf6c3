import type { Response } from 'express';
import { AppError } from '../../errors';
import type { User } from '../../store/ports';
import { currentUser } from '../guards';
import { xapiIdentity } from '../identity';
import type { UserContext } from '../user-context';
import type { Config } from '../../config';

/** The signed-in person; only called behind requireUser(). */
export function actorOf(res: Response): UserContext {
  const user = currentUser(res);
  if (!user) throw new AppError('internal', 'route without requireUser()');
  return user;
}

/** A user as the API shows it: never the password hash or the failure counters. */
export function userJson(user: User, config: Config): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isSiteAdmin: user.isSiteAdmin,
    shareEmail: user.shareEmail,
    xapi: xapiIdentity(user, config),
  };
}

/** A route parameter (Express always sets the declared ones). */
export function param(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new AppError('internal', `route parameter ${name} is missing`);
  return value;
}
