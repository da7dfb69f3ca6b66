import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareKeep, KEEP_ORDER, keepRankOf, licenseClassOf, STREAM_ORDER, type KeepRank } from '../../dedup/keep-rule.js';
import { findRepoFamilies, type RepoFacts } from '../../dedup/repo-families.js';
import { classifyExpression, classifyLicense, DEFAULT_LICENSE_ALLOW } from '../../filters/license-policy.js';
import { findLicenseNotice } from '../../filters/license-notice.js';
import { readFileEvidence } from '../../filters/license-evidence.js';
import { decideLicense } from '../../filters/license-decide.js';
import { requireReal, spdxText } from '../filters/filter-fixtures.js';
import { makeDoc } from '../helpers.js';

const allow = new Set(DEFAULT_LICENSE_ALLOW);

/** The decision the license stage reaches for a repository whose only evidence is this LICENSE file. */
const decisionOfLicenseFile = (text: string) => decideLicense(readFileEvidence('LICENSE', text, 0.9));

test('license classes come from the policy: Solderpad, MulanPSL, public domain and LLVM-exception expressions rank as permissive', () => {
  // Real license texts (SPDX reference texts from spdx-license-list), read by the real license matcher.
  for (const id of ['SHL-0.51', 'MulanPSL-2.0', 'CERN-OHL-P-2.0', 'MIT', 'Apache-2.0']) {
    const d = decisionOfLicenseFile(spdxText(id));
    assert.equal(d.spdx, id, `${id} text recognized`);
    assert.equal(classifyLicense(d, allow), 'permissive', id);
  }
  assert.equal(classifyLicense(decisionOfLicenseFile(spdxText('GPL-3.0-only')), allow), 'non-permissive');
  // Real headers nobody here wrote: libstdc++'s parallel STL carries LLVM's exception.
  const pstl = readFileSync(requireReal('/usr/include/c++/12/pstl/algorithm_fwd.h', 'libstdc++-12-dev'), 'utf8');
  const notice = findLicenseNotice(pstl.slice(0, 4000))!;
  assert.equal(notice.spdx, 'Apache-2.0 WITH LLVM-exception');
  assert.equal(classifyExpression(notice.spdx), 'permissive', 'an exception id is not a license: WITH keeps Apache-2.0');
  assert.equal(classifyExpression('Apache-2.0 WITH SHL-2.1'), 'permissive', 'Solderpad 2.1 is an exception to Apache-2.0 in SPDX');
  assert.equal(classifyExpression('LicenseRef-Public-Domain'), 'permissive');
  assert.equal(classifyExpression('GPL-2.0-only WITH Linux-syscall-note'), 'non-permissive');
  assert.equal(classifyExpression('Apache-2.0 OR GPL-2.0-only'), 'permissive', 'OR: one allowed choice is enough');
  assert.equal(classifyExpression('MIT AND GPL-3.0-only'), 'non-permissive');
  assert.equal(classifyExpression(null), 'no-license');
  assert.equal(classifyExpression('LicenseRef-Proprietary'), 'non-permissive');
  // The configured policy decides, not a list of its own: allow GPL and GPL ranks as permissive.
  assert.equal(classifyExpression('GPL-3.0-only', new Set(['GPL-3.0-only'])), 'permissive');
  assert.equal(classifyLicense({ status: 'none', spdx: null, evidence: [] }, allow), 'no-license');
  assert.equal(classifyLicense({ status: 'unknown', spdx: null, evidence: [] }, allow), 'non-permissive', 'unnamed evidence may hide any license');
  assert.equal(classifyLicense({ status: 'conflict', spdx: null, candidates: ['MIT', 'SHL-0.51'], evidence: [] }, allow), 'permissive');
  assert.equal(classifyLicense({ status: 'conflict', spdx: null, candidates: ['MIT', 'GPL-2.0-only'], evidence: [] }, allow), 'non-permissive');
});

test('a document ranks by the class the license stage gave it, else by its expression under the default policy', () => {
  assert.equal(licenseClassOf({ license: null, licenseClass: 'permissive' }), 'permissive');
  assert.equal(licenseClassOf({ license: 'SHL-0.51' }), 'permissive');
  assert.equal(licenseClassOf({ license: null }), 'no-license');
  const solderpad = keepRankOf(makeDoc('alu.v', 'module alu; endmodule\n', { repo: 'pulp/alu', license: 'SHL-0.51' }));
  const student = keepRankOf(makeDoc('alu.v', 'module alu; endmodule\n', {
    repo: 'aaa-student/alu',
    license: null,
    repoInfo: { stars: 900, forks: 40, forkParent: null, revisionTime: '2030-01-01', licenseClaim: null },
  }));
  assert.ok(compareKeep(solderpad, student) < 0, 'the Solderpad original beats an unlicensed, starred, newer copy that sorts first');
});

const rank = (over: Partial<KeepRank>): KeepRank => ({ license: 1, canonical: 1, stars: 0, forks: 0, fork: 0, revisionTime: '', repo: 'r', path: 'p', ...over });

test('keep rule order: license, canonical repository, stars, forks, originals, newest, then name and path', () => {
  assert.deepEqual([...KEEP_ORDER], ['license', 'canonical', 'stars', 'forks', 'original', 'newest', 'repo', 'path']);
  assert.deepEqual([...STREAM_ORDER], ['stars', 'forks', 'original', 'newest', 'repo', 'path'], 'the rebuild stream follows the same keys');
  const sorted = [rank({ repo: 'gpl-popular', license: 2, stars: 1000 }), rank({ repo: 'none', license: 1, stars: 5 }), rank({ repo: 'mit', license: 0, stars: 1 })].sort(compareKeep);
  assert.deepEqual(sorted.map((r) => r.repo), ['mit', 'none', 'gpl-popular']);
  assert.ok(compareKeep(rank({ canonical: 1 }), rank({ canonical: 0, stars: 99 })) < 0, 'the family canonical beats a starred derivative');
  assert.ok(compareKeep(rank({ stars: 10 }), rank({ stars: 9, forks: 50 })) < 0);
  assert.ok(compareKeep(rank({ stars: 0 }), rank({ stars: -1 })) < 0, 'unknown stars rank below zero, as SQL NULLS LAST');
  assert.ok(compareKeep(rank({ forks: 3 }), rank({ forks: 2, revisionTime: '2030' })) < 0);
  assert.ok(compareKeep(rank({ repo: 'z-original', fork: 0 }), rank({ repo: 'a-fork', fork: 1, revisionTime: '2030' })) < 0, 'originals before forks, before newest and name');
  assert.ok(compareKeep(rank({ revisionTime: '2024-01-02' }), rank({ revisionTime: '2024-01-01' })) < 0, 'newest wins');
  assert.ok(compareKeep(rank({ repo: 'a' }), rank({ repo: 'b' })) < 0, 'stable tiebreak');
  assert.ok(compareKeep(rank({ path: '\u{1F600}' }), rank({ path: '\uFF5C' })) > 0, 'code-point (SQLite BINARY) order, not UTF-16 units');
  assert.equal(compareKeep(rank({}), rank({})), 0);
});

const facts = (over: Partial<RepoFacts> = {}): RepoFacts => ({ stars: 0, forks: 0, forkParent: null, revisionTime: '', license: 1, ...over });

test('fork families: fork graph and content overlap; canonical by the same keep rule', () => {
  const repos = new Map<string, RepoFacts>([
    ['up/core', facts({ stars: 10 })],
    ['alice/core', facts({ stars: 50, forkParent: 'up/core' })],
    ['vendor/copy', facts()],
    ['other/thing', facts()],
  ]);
  const families = findRepoFamilies({
    repos,
    files: new Map([['up/core', 10], ['alice/core', 10], ['vendor/copy', 6], ['other/thing', 8]]),
    shared: [
      { a: 'up/core', b: 'vendor/copy', shared: 5 },
      { a: 'other/thing', b: 'up/core', shared: 1 },
    ],
    overlap: 0.5,
  });
  assert.equal(families.get('alice/core')?.canonical, 'alice/core', 'stars first, as rebuild streams and exact dedup keeps');
  assert.equal(families.get('up/core')?.canonical, 'alice/core');
  assert.equal(families.get('vendor/copy')?.canonical, 'alice/core', 'a vendored copy joins by overlap (5 of 6 files)');
  assert.deepEqual(families.get('vendor/copy')?.members.get('vendor/copy'), { sharedWith: 'up/core', shared: 5, share: 0.833 });
  assert.equal(families.has('other/thing'), false, 'one shared file is not a family');
  const tie = findRepoFamilies({ repos: new Map([['up/x', facts()], ['fork/x', facts({ forkParent: 'up/x' })]]), files: new Map(), shared: [], overlap: 0.5 });
  assert.equal(tie.get('fork/x')?.canonical, 'up/x', 'with equal stars and forks the original wins');
  const licensed = findRepoFamilies({
    repos: new Map([['pulp/core', facts({ license: 0 })], ['aaa/copy', facts({ license: 1, stars: 500, forkParent: 'pulp/core' })]]),
    files: new Map(),
    shared: [],
    overlap: 0.5,
  });
  assert.equal(licensed.get('aaa/copy')?.canonical, 'pulp/core', 'the licensed original leads its family over a starred unlicensed fork');
});
