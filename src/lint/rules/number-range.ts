import { argumentRule } from './argument-rule.js';

export const numberRange = argumentRule('number-range', 'error', 'A number outside the range Berkeley DB accepts (negative, too large).');
