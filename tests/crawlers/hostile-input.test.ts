import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHostileSuite } from './hostile-input.js';

test('hostile input, small sizes: every case recorded with a reason, no rebuild stalls, no other document lost or changed', async () => {
  const results = await runHostileSuite({ decorators: 20_000, lineBytes: 9 * 1024 * 1024, bombBytes: 256 * 1024 * 1024, rebuildCapMs: 240_000 });
  const by = new Map(results.map((r) => [r.name, r]));
  for (const r of results) {
    assert.ok(r.othersIntact, `${r.name} lost or changed another document`);
    assert.equal(r.exit[1], 0, `${r.name}: rebuild exit ${r.exit[1]} (${r.recorded})`);
  }
  assert.match(by.get('tar-entries')!.recorded, /escapes the archive root/);
  assert.match(by.get('tar-entries')!.recorded, /absolute path/);
  assert.match(by.get('tar-entries')!.recorded, /link.v: symlink/);
  assert.match(by.get('tar-entries')!.recorded, /hard link/);
  assert.match(by.get('gzip-bomb')!.recorded, /^rejected \(archive inflates past/);
  assert.match(by.get('pdf-encrypted')!.recorded, /encrypted.pdf: failed \(encrypted PDF/);
  assert.match(by.get('pdf-looping')!.recorded, /looping.pdf: (failed|ok|partial)/);
  assert.match(by.get('pdf-huge')!.recorded, /manual.pdf: failed \(file is over the/);
  assert.match(by.get('long-line')!.recorded, /over-cap.py: too-large/);
  assert.match(by.get('bad-bytes')!.recorded, /latin1.v: bad-encoding/);
  assert.match(by.get('bad-bytes')!.recorded, /blob.c: binary/);
  assert.match(by.get('decorators')!.recorded, /kernels.py: ok → (keep|drop)/);
  assert.match(by.get('regex-attacks')!.recorded, /attack.c: ok → (keep|drop)/);
});
