import type { Rule } from '../types.js';
import { arity } from './arity.js';
import { badWhitespace } from './bad-whitespace.js';
import { bom } from './bom.js';
import { clockskewOrder } from './clockskew-order.js';
import { createDir } from './create-dir.js';
import { duplicateSetting } from './duplicate-setting.js';
import { hostCase } from './host-case.js';
import { hostPortToken } from './host-port-token.js';
import { inlineComment } from './inline-comment.js';
import { intermediateDirMode } from './intermediate-dir-mode.js';
import { invalidHost } from './invalid-host.js';
import { invalidNumber } from './invalid-number.js';
import { lineTooLong } from './line-too-long.js';
import { localSite } from './local-site.js';
import { logDirMissing } from './log-dir-missing.js';
import { memoryMaxTooSmall } from './memory-max-too-small.js';
import { missingValue } from './missing-value.js';
import { mutexMaxTooSmall } from './mutex-max-too-small.js';
import { noBootstrapHelper } from './no-bootstrap-helper.js';
import { noEquals } from './no-equals.js';
import { noLocalSite } from './no-local-site.js';
import { nsitesWithRepmgr } from './nsites-with-repmgr.js';
import { nulByte } from './nul-byte.js';
import { numberRange } from './number-range.js';
import { portRange } from './port-range.js';
import { preferIpv4 } from './prefer-ipv4.js';
import { requestRange } from './request-range.js';
import { siteTooManyPairs } from './site-too-many-pairs.js';
import { staleRegionFiles } from './stale-region-files.js';
import { strayCr } from './stray-cr.js';
import { stringValue } from './string-value.js';
import { unknownDirective } from './unknown-directive.js';
import { unknownKeyword } from './unknown-keyword.js';

/** Every file rule, in the order findings on the same spot are listed. */
export const RULES: readonly Rule[] = [
  bom, lineTooLong, strayCr, nulByte, badWhitespace, inlineComment, noEquals, hostPortToken,
  unknownDirective, missingValue, arity, invalidNumber, numberRange, unknownKeyword, portRange,
  siteTooManyPairs, invalidHost, intermediateDirMode, createDir, logDirMissing, nsitesWithRepmgr,
  clockskewOrder, requestRange, memoryMaxTooSmall, mutexMaxTooSmall, localSite, noLocalSite, noBootstrapHelper, duplicateSetting,
  stringValue, preferIpv4, hostCase, staleRegionFiles,
];
