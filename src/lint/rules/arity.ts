import { argumentRule } from './argument-rule.js';

export const arity = argumentRule('arity', 'error', 'Wrong number of values for a directive.');
