import { checkProperties, checkString, fail, Obj, requireObject } from './checks';
import { isUuid } from './primitives';

/** Data 2.4.4.3: a Statement Reference is { objectType: "StatementRef", id: UUID }. */
export function validateStatementRef(value: unknown, path: string): Obj {
  const ref = requireObject(value, path);
  if (ref.objectType !== 'StatementRef') fail(`${path}.objectType`, 'must be "StatementRef"');
  checkProperties(ref, path, ['objectType', 'id']);
  if (ref.id === undefined) fail(`${path}.id`, 'is required');
  checkString(ref.id, `${path}.id`);
  if (!isUuid(ref.id)) fail(`${path}.id`, 'must be a UUID (8-4-4-4-12 hex digits)');
  return ref;
}
