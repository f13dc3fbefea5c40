import { argumentRule } from './argument-rule.js';

export const invalidNumber = argumentRule('invalid-number', 'error', 'A value that is not a decimal whole number (0x10, 1.0, 5s).');
