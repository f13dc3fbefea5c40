import { argumentRule } from './argument-rule.js';

export const unknownKeyword = argumentRule('unknown-keyword', 'error', 'A keyword value Berkeley DB does not know (ALL for DB_REPMGR_ACKS_ALL, yes for on).');
