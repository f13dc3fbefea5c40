import { argumentRule } from './argument-rule.js';

export const numberRange = argumentRule('number-range', 'error', 'A number outside the range Berkeley DB accepts (negative, too large, a set_cachesize of more than 10000 GB a cache).');
