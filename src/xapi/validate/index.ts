export { validateStatement, validateStatementBatch } from './statement';
export type { ValidateOptions } from './statement';
export { validateActor, validateAgent, validateGroup, validateIdentifiedActor, validateAuthority } from './agents';
export { validateActivity } from './activity';
export { isIri, isUuid, isLanguageTag, isDuration, parseTimestamp, timestampToUtc, truncateDuration } from './primitives';
