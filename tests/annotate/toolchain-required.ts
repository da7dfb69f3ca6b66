import assert from 'node:assert/strict';
import { findToolchain, installHint, type Toolchain, type ToolName } from '../../annotate/verify/toolchains.js';
import { probeSandbox } from '../../annotate/verify/sandbox-session.js';

/**
 * The toolchains are part of the project (scripts/setup.sh installs them): a
 * test that needs one fails — never skips — when it is missing, naming the
 * Debian package.
 */
export function requireTool(name: ToolName): Toolchain {
  const t = findToolchain(name);
  assert.ok(t, `${installHint(name)} (scripts/setup.sh installs it)`);
  return t;
}

/** bubblewrap is the sandbox the tests expect (Debian package bubblewrap). */
export async function requireBwrap(): Promise<void> {
  const why = await probeSandbox('bwrap');
  assert.equal(why, null, `bwrap not usable (${why}): install the Debian package bubblewrap (scripts/setup.sh installs it); user namespaces must be allowed`);
}
