import { BOM } from '../../dbconfig/document.js';
import type { Report, Rule } from '../types.js';

/** The finding, the same in every file that has one: the mark is the file's first three bytes. */
export const BOM_REPORT: Report = {
  line: 1,
  start: 0,
  message: 'File starts with a UTF-8 byte order mark (BOM); Berkeley DB does not strip it, so line 1 fails to parse. Save the file as UTF-8 without BOM.',
  fix: { range: [0, BOM.length], text: '' },
};

export const bom: Rule = {
  id: 'bom',
  severity: 'error',
  description: 'The file starts with a UTF-8 byte order mark, which Berkeley DB reads as part of the first line.',
  check(ctx) {
    if (ctx.doc.bom) ctx.report(BOM_REPORT);
  },
};
