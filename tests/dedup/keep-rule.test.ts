import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareKeep, licenseCategory, type KeepRank } from '../../dedup/keep-rule.js';
import { findRepoFamilies, type RepoFacts } from '../../dedup/repo-families.js';

test('license categories: permissive < none < non-permissive; OR needs one permissive choice', () => {
  assert.equal(licenseCategory('MIT'), 0);
  assert.equal(licenseCategory('Apache-2.0 OR GPL-2.0-only'), 0);
  assert.equal(licenseCategory('MIT AND GPL-3.0-only'), 2);
  assert.equal(licenseCategory(null), 1);
  assert.equal(licenseCategory('GPL-3.0-or-later'), 2);
  assert.equal(licenseCategory('LicenseRef-proprietary'), 2);
});

const rank = (over: Partial<KeepRank>): KeepRank => ({ license: 1, canonical: 1, stars: 0, forks: 0, revisionTime: '', repo: 'r', path: 'p', ...over });

test('keep rule order: license, canonical repository, stars, forks, newest, then name', () => {
  const sorted = [
    rank({ repo: 'gpl-popular', license: 2, stars: 1000 }),
    rank({ repo: 'none', license: 1, stars: 5 }),
    rank({ repo: 'mit', license: 0, stars: 1 }),
  ].sort(compareKeep);
  assert.deepEqual(sorted.map((r) => r.repo), ['mit', 'none', 'gpl-popular']);
  assert.ok(compareKeep(rank({ canonical: 1 }), rank({ canonical: 0, stars: 99 })) < 0, 'the family canonical beats a starred derivative');
  assert.ok(compareKeep(rank({ stars: 10 }), rank({ stars: 9, forks: 50 })) < 0);
  assert.ok(compareKeep(rank({ forks: 3 }), rank({ forks: 2, revisionTime: '2030' })) < 0);
  assert.ok(compareKeep(rank({ revisionTime: '2024-01-02' }), rank({ revisionTime: '2024-01-01' })) < 0, 'newest wins');
  assert.ok(compareKeep(rank({ repo: 'a' }), rank({ repo: 'b' })) < 0, 'stable tiebreak');
  assert.equal(compareKeep(rank({}), rank({})), 0);
});

const facts = (over: Partial<RepoFacts> = {}): RepoFacts => ({ stars: 0, forks: 0, forkParent: null, revisionTime: '', license: 1, ...over });

test('fork families: fork graph and content overlap; canonical in the order exact dedup keeps', () => {
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
  const tie = findRepoFamilies({
    repos: new Map([['up/x', facts()], ['fork/x', facts({ forkParent: 'up/x' })]]),
    files: new Map(),
    shared: [],
    overlap: 0.5,
  });
  assert.equal(tie.get('fork/x')?.canonical, 'up/x', 'with equal stars and forks the original wins');
});
