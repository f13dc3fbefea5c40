import { argumentRule } from './argument-rule.js';

export const invalidHost = argumentRule('invalid-host', 'error', 'A repmgr_site host that is not an IP address or a valid host name.');
