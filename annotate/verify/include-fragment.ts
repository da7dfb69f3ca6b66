import { posix } from 'node:path';
import type { CheckInput } from './run-check.js';
import { re2 } from '../linear-regex.js';

/** The wrapper module a fragment is included into. */
export const FRAGMENT_WRAPPER = 'incorpus-fragment.v';

/**
 * An include fragment (`.vh`/`.svh`, or a file declaring no design unit) is
 * written to be pasted inside a module — localparams, functions, tasks, port
 * lists. Checked alone it is a syntax error; checked the way it is used, in a
 * wrapper module that includes it, it is not. Null for anything else.
 */
export function fragmentInput(input: CheckInput): CheckInput | null {
  const t = input.target;
  const declaresUnit = re2(/^\s*(?:module|macromodule|interface|package|program|primitive|class|config)\b/m).test(t.text);
  if (!/\.(?:vh|svh|vinc|inc)$/i.test(t.path) && declaresUnit) return null;
  if (!/^[\w./+-]+$/.test(t.path)) return null;
  const wrapper = { path: FRAGMENT_WRAPPER, text: `module incorpus_fragment;\n\`include "${t.path}"\nendmodule\n` };
  const order = input.order?.map((p) => (p === t.path ? FRAGMENT_WRAPPER : p));
  return {
    ...input,
    target: wrapper,
    headers: [...(input.headers ?? []), t],
    includeDirs: [...new Set(['.', ...(input.includeDirs ?? []), posix.dirname(t.path)])],
    ...(order ? { order } : {}),
  };
}
