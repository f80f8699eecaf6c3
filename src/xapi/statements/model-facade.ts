/**
 * The statement model functions the Statement API uses, gathered in one place so the HTTP layer
 * depends on one module.
 */
export { agentKey, parseAgentParam } from '../model/agent-key';
export { statementsEquivalent } from '../model/compare';
export { toCanonicalFormat, toIdsFormat } from '../model/formats';
export { prepareStatement } from '../model/normalize';
export { statementRefs, statementTargetId, voidedTargetId } from '../model/refs';
export { validateStatement, validateStatementBatch } from '../validate';
