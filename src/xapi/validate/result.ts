/** Result rules (Data 2.4.5). */
import { checkBoolean, checkExtensions, checkNumber, checkProperties, checkString, fail, requireObject } from './checks';
import { isDuration } from './primitives';

function validateScore(value: unknown, path: string): void {
  const score = requireObject(value, path);
  checkProperties(score, path, ['scaled', 'raw', 'min', 'max']);
  const get = (k: string): number | undefined => (score[k] === undefined ? undefined : checkNumber(score[k], `${path}.${k}`));
  const scaled = get('scaled');
  const raw = get('raw');
  const min = get('min');
  const max = get('max');
  if (scaled !== undefined && (scaled < -1 || scaled > 1)) fail(`${path}.scaled`, 'must be between -1 and 1');
  if (min !== undefined && max !== undefined && !(min < max)) fail(`${path}.min`, 'must be less than max');
  if (raw !== undefined && min !== undefined && raw < min) fail(`${path}.raw`, 'must not be less than min');
  if (raw !== undefined && max !== undefined && raw > max) fail(`${path}.raw`, 'must not be greater than max');
}

export function validateResult(value: unknown, path: string): void {
  const result = requireObject(value, path);
  checkProperties(result, path, ['score', 'success', 'completion', 'response', 'duration', 'extensions']);
  if (result.score !== undefined) validateScore(result.score, `${path}.score`);
  if (result.success !== undefined) checkBoolean(result.success, `${path}.success`);
  if (result.completion !== undefined) checkBoolean(result.completion, `${path}.completion`);
  if (result.response !== undefined) checkString(result.response, `${path}.response`);
  if (result.duration !== undefined) {
    checkString(result.duration, `${path}.duration`);
    if (!isDuration(result.duration)) fail(`${path}.duration`, 'must be an ISO 8601 duration such as PT1H2M3.45S');
  }
  if (result.extensions !== undefined) checkExtensions(result.extensions, `${path}.extensions`);
}
