import { parseSpdxExpression, toSpdxExpression } from './license-expression.js';
import { re2 } from '../annotate/linear-regex.js';

/** A license stated inside a file (or a short notice) rather than by a full license text. */
export interface NoticeMatch {
  /** SPDX expression. */
  spdx: string;
  method: 'spdx-id' | 'notice';
  /** The rule that matched (stable name, for the decision trail). */
  rule: string;
}

/** `SPDX-License-Identifier: <expr>` (REUSE / Linux kernel convention), up to the end of the line or comment. */
const SPDX_ID = re2(/SPDX-License-Identifier:\s*([A-Za-z0-9.+\-: ()]+?)\s*(?:\*\/|-->|\*\)|$)/m);

/**
 * Standard notices, most specific first. Each names the SPDX id its wording
 * belongs to (wording from the licenses' own "how to apply" appendices; the GPL
 * family distinguishes "version N" from "version N, or (at your option) any later").
 */
const NOTICES: ReadonlyArray<{ rule: string; re: RegExp; spdx: string | ((m: RegExpMatchArray) => string) }> = [
  { rule: 'mpl-2', re: /Mozilla Public License,?\s+v(?:ersion|\.)\s*2\.0/i, spdx: 'MPL-2.0' },
  { rule: 'agpl', re: re2(/GNU Affero General Public License[\s\S]{0,200}?(?:version |v)(\d)(?:[\s\S]{0,120}?(any later version))?/i), spdx: (m) => gplId('AGPL', m[1]!, m[2]) },
  { rule: 'lgpl', re: re2(/GNU (?:Lesser|Library) General Public\s+License[\s\S]{0,200}?(?:version |v)(2\.1|2|3)(?:[\s\S]{0,120}?(any later version))?/i), spdx: (m) => gplId('LGPL', m[1]!, m[2]) },
  { rule: 'gpl', re: re2(/GNU General Public License[\s\S]{0,200}?(?:version |v)(1|2|3)(?:[\s\S]{0,120}?(any later version))?/i), spdx: (m) => gplId('GPL', m[1]!, m[2]) },
  { rule: 'apache-2', re: /Apache License,?\s+Version 2\.0/i, spdx: 'Apache-2.0' },
  { rule: 'epl-2', re: re2(/Eclipse Public License\s*-?\s*v(?:ersion)?\s*2\.0/i), spdx: 'EPL-2.0' },
  { rule: 'cern-ohl-s', re: /CERN-OHL-S(?:-2\.0)?\b/, spdx: 'CERN-OHL-S-2.0' },
  { rule: 'solderpad', re: /Solderpad Hardware License,?\s+Version 0\.51/i, spdx: 'SHL-0.51' },
  { rule: 'mit', re: /Permission is hereby granted, free of charge, to any person obtaining a copy/i, spdx: 'MIT' },
  { rule: 'isc', re: /Permission to use, copy, modify, and(?:\/or)? distribute this software for any\s+purpose with or without fee is hereby granted/i, spdx: 'ISC' },
  { rule: 'bsd-3', re: re2(/Redistribution and use in source and binary forms[\s\S]{0,1000}?(?:Neither the name|The names? of (?:the )?(?:copyright holder|author|contributors))[\s\S]{0,300}?endorse or promote/i), spdx: 'BSD-3-Clause' },
  { rule: 'bsd-2', re: re2(/Redistribution and use in source and binary forms[\s\S]{0,900}?THIS SOFTWARE IS PROVIDED BY/i), spdx: 'BSD-2-Clause' },
  { rule: 'zlib', re: /This software is provided 'as-is', without any express or implied\s+warranty/i, spdx: 'Zlib' },
  { rule: 'boost', re: /Boost Software License,?\s+Version 1\.0/i, spdx: 'BSL-1.0' },
  { rule: 'unlicense', re: /This is free and unencumbered software released into the public domain/i, spdx: 'Unlicense' },
  { rule: 'cc0', re: /CC0 1\.0 Universal|creativecommons\.org\/publicdomain\/zero\/1\.0/i, spdx: 'CC0-1.0' },
  // Vendor and NDA terms (ANCHORS: proprietary markers); never permissive.
  { rule: 'nvidia-proprietary', re: re2(/NOTICE TO LICENSEE:[\s\S]{0,300}?NVIDIA intellectual property rights/i), spdx: 'LicenseRef-NVIDIA-Proprietary' },
  { rule: 'proprietary', re: /\b(?:proprietary and confidential|confidential and proprietary|under (?:a |the )?(?:NDA|non-disclosure agreement)|strictly confidential)\b/i, spdx: 'LicenseRef-Proprietary' },
];

function gplId(family: string, version: string, later: string | undefined): string {
  const v = version.includes('.') ? version : `${version}.0`;
  return `${family}-${v}-${later ? 'or-later' : 'only'}`;
}

/**
 * Finds the license a file declares in its header: an SPDX-License-Identifier
 * line wins (it is explicit), else the first standard notice. `text` should be
 * the header (callers pass the first few KB); null when the file says nothing.
 */
export function findLicenseNotice(text: string): NoticeMatch | null {
  const id = SPDX_ID.exec(text);
  if (id) {
    const expr = id[1]!.trim();
    // Deprecated ids (`GPL-2.0 WITH Linux-syscall-note`, the kernel's UAPI style) are upgraded to -only/-or-later.
    if (parseSpdxExpression(expr)) return { spdx: toSpdxExpression(expr) ?? expr, method: 'spdx-id', rule: 'spdx-license-identifier' };
  }
  // Notices wrap across comment lines: match on text without comment leaders.
  const flat = text.replace(/^[ \t]*(?:\/\/+|#+|\*+|--+|;+|%+|\/\*+|!)[ \t]?/gm, '').replace(/\s+/g, ' ');
  for (const n of NOTICES) {
    const m = flat.match(n.re);
    if (m) return { spdx: typeof n.spdx === 'string' ? n.spdx : n.spdx(m), method: 'notice', rule: n.rule };
  }
  return null;
}
