import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchLicenseText } from '../../filters/license-match.js';
import { findLicenseNotice } from '../../filters/license-notice.js';
import { isExpressionAllowed, parseSpdxExpression, toSpdxExpression } from '../../filters/license-expression.js';
import { readManifestLicenses } from '../../filters/license-manifests.js';
import { decideLicense } from '../../filters/license-decide.js';
import { readFileEvidence } from '../../filters/license-evidence.js';
import { DEFAULT_LICENSE_OPTIONS, validateLicenseOptions } from '../../filters/license-stage.js';
import { commonLicenseCases, dep5Cases, scoreLicenseCases } from './license-ground-truth.js';
import { debianLicense, requireReal, spdxText } from './filter-fixtures.js';

const allow = new Set(DEFAULT_LICENSE_OPTIONS.allow);
const allowed = (expr: string): boolean => isExpressionAllowed(parseSpdxExpression(expr)!, allow);

test("license texts: Debian's common-licenses are recognized (exact id or its -only/-or-later twin)", () => {
  requireReal('/usr/share/common-licenses', 'base-files');
  const r = scoreLicenseCases(commonLicenseCases());
  assert.ok(r.cases >= 8, `found ${r.cases} common licenses`);
  assert.deepEqual(r.errors, []);
  assert.equal(matchLicenseText(debianLicense('Apache-2.0'), 0.9).spdx, 'Apache-2.0');
  assert.equal(matchLicenseText(debianLicense('BSD'), 0.9).spdx, 'BSD-3-Clause');
});

test('license texts: a reflowed, re-dated SPDX text still matches; BSD-2 and BSD-3 are told apart; prose is not a license', () => {
  const mit = spdxText('MIT').replace(/\n(?!\n)/g, ' ').replace('2024', '1999-2031');
  assert.equal(matchLicenseText(mit, 0.9).spdx, 'MIT');
  assert.equal(matchLicenseText(spdxText('BSD-2-Clause'), 0.9).spdx, 'BSD-2-Clause');
  assert.equal(matchLicenseText(spdxText('BSD-3-Clause'), 0.9).spdx, 'BSD-3-Clause');
  assert.equal(matchLicenseText(spdxText('ISC'), 0.9).spdx, 'ISC');
  const prose = matchLicenseText('This repository holds a RISC-V core. Use it as you like, but ask first.', 0.9);
  assert.equal(prose.spdx, null);
  assert.equal(prose.method, 'none');
});

test("license texts: accuracy on Debian's machine-readable copyright files stays high, wrong answers stay rare", () => {
  const r = scoreLicenseCases(dep5Cases());
  assert.ok(r.cases >= 100, `only ${r.cases} DEP-5 license paragraphs found under /usr/share/doc`);
  assert.ok((r.exact + r.family) / r.cases >= 0.8, `accuracy ${(r.exact + r.family) / r.cases}`);
  assert.ok(r.wrong / r.cases <= 0.08, `wrong ${r.wrong}/${r.cases}`);
});

test('file headers: SPDX-License-Identifier wins, GPL notices keep their "or later"', () => {
  assert.deepEqual(findLicenseNotice('// SPDX-License-Identifier: Apache-2.0 OR MIT\nmodule m; endmodule'), { spdx: 'Apache-2.0 OR MIT', method: 'spdx-id', rule: 'spdx-license-identifier' });
  assert.equal(findLicenseNotice('/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */')?.spdx, 'GPL-2.0-only WITH Linux-syscall-note');
  const gpl = '/*\n * This program is free software; you can redistribute it and/or modify\n * it under the terms of the GNU General Public License as published by\n * the Free Software Foundation; either version 2 of the License, or\n * (at your option) any later version.\n */';
  assert.equal(findLicenseNotice(gpl)?.spdx, 'GPL-2.0-or-later');
  assert.equal(findLicenseNotice('-- Licensed under the Apache License, Version 2.0 (the "License");')?.spdx, 'Apache-2.0');
  assert.equal(findLicenseNotice('// NOTICE TO LICENSEE: This source code is subject to NVIDIA intellectual property rights')?.spdx, 'LicenseRef-NVIDIA-Proprietary');
  assert.equal(findLicenseNotice('module alu; // an ALU\nendmodule'), null);
});

test('SPDX expressions: OR needs one allowed branch, AND needs all, WITH keeps the license; aliases map, junk stays unknown', () => {
  assert.ok(allowed('MIT OR GPL-3.0-only'));
  assert.ok(!allowed('MIT AND GPL-3.0-only'));
  assert.ok(allowed('Apache-2.0 WITH LLVM-exception'));
  assert.ok(!allowed('GPL-2.0-or-later WITH Classpath-exception-2.0'));
  assert.ok(!allowed('LicenseRef-Proprietary'));
  assert.equal(toSpdxExpression('Expat'), 'MIT');
  assert.equal(toSpdxExpression('GPL-2.0+'), 'GPL-2.0-or-later');
  assert.equal(toSpdxExpression('MIT/Apache-2.0'), 'MIT OR Apache-2.0');
  assert.equal(toSpdxExpression('NOASSERTION'), null);
  assert.equal(toSpdxExpression('BSD License'), null, 'which BSD is unknown: not guessed');
});

test('manifests: package.json, Cargo.toml, pyproject, setup.cfg, FuseSoC .core, library.properties', () => {
  const spdx = (name: string, text: string): Array<string | null> => readManifestLicenses(name, text).map((m) => m.spdx);
  assert.deepEqual(spdx('package.json', '{"name":"x","license":"ISC"}'), ['ISC']);
  assert.deepEqual(spdx('package.json', '{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}'), ['MIT OR Apache-2.0']);
  assert.deepEqual(spdx('Cargo.toml', '[package]\nname = "k"\nlicense = "MIT OR Apache-2.0"\n'), ['MIT OR Apache-2.0']);
  assert.deepEqual(spdx('pyproject.toml', '[project]\nlicense = {text = "BSD-3-Clause"}\nclassifiers = [\n  "License :: OSI Approved :: MIT License",\n]\n'), ['BSD-3-Clause', 'MIT']);
  assert.deepEqual(spdx('setup.cfg', '[metadata]\nlicense = Apache-2.0\n'), ['Apache-2.0']);
  assert.deepEqual(spdx('uart.core', 'CAPI=2:\nname: ::uart:1.0\nlicense: ISC\n'), ['ISC']);
  assert.deepEqual(spdx('uart.core', 'CAPI=2:\n# SPDX-License-Identifier: Apache-2.0\nname: ::uart:1.0\n'), ['Apache-2.0']);
  assert.deepEqual(spdx('library.properties', 'name=Blink\nlicense=LGPL-2.1-or-later\n'), ['LGPL-2.1-or-later']);
  assert.deepEqual(spdx('package.json', '{"name":"x"}'), []);
});

test('repository decisions: agreement, dual licenses, conflicts and unknowns are recorded as such', () => {
  const mit = readFileEvidence('LICENSE', spdxText('MIT'), 0.9);
  const apache = readFileEvidence('LICENSE-APACHE', debianLicense('Apache-2.0'), 0.9);
  const cargo = readFileEvidence('Cargo.toml', 'license = "MIT OR Apache-2.0"\n', 0.9);
  assert.deepEqual(decideLicense([...mit, ...apache, ...cargo]), { status: 'detected', spdx: 'MIT OR Apache-2.0', evidence: [...mit, ...apache, ...cargo] });
  const gpl3 = readFileEvidence('package.json', '{"license":"GPL-3.0-only"}', 0.9);
  const conflict = decideLicense([...mit, ...gpl3]);
  assert.equal(conflict.status, 'conflict');
  assert.deepEqual(conflict.candidates, ['MIT', 'GPL-3.0-only']);
  // A bare GPL text cannot say "or later"; the manifest can, and is taken.
  const gpl2 = decideLicense([...readFileEvidence('COPYING', debianLicense('GPL-2'), 0.9), ...readFileEvidence('package.json', '{"license":"GPL-2.0-or-later"}', 0.9)]);
  assert.equal(gpl2.spdx, 'GPL-2.0-or-later');
  assert.equal(decideLicense(readFileEvidence('LICENSE', 'Ask me before using this.', 0.9)).status, 'unknown');
  assert.equal(decideLicense([]).status, 'none');
});

test('license policy options are validated when the stage is built', () => {
  assert.throws(() => validateLicenseOptions({ ...DEFAULT_LICENSE_OPTIONS, allow: ['MIT', 'Apache 2'] }), /license\.allow/);
  assert.throws(() => validateLicenseOptions({ ...DEFAULT_LICENSE_OPTIONS, unknown: 'maybe' as 'keep' }), /license\.unknown/);
});
