import { argumentRule } from './argument-rule.js';

export const siteTooManyPairs = argumentRule('site-too-many-pairs', 'error', 'More than 3 flag/value pairs on one repmgr_site line.');
