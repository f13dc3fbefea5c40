import { argumentRule } from './argument-rule.js';

export const portRange = argumentRule('port-range', 'error', 'A repmgr_site port outside 1-65535.');
