import { posix } from 'node:path';
import { isVendorName } from './classify.js';
import { whyMissing, type MissingFacts } from './fill-missing.js';

/**
 * The kind of a missing-dependency or vendor-ip answer, from what is missing
 * and what the repository says about it: generated-include (a build step or
 * script writes it; a Verilator model header), generated-ip, generated-file,
 * absent-submodule, absent-file (a build list names it, the repository lacks
 * it), absent-module, absent-header; vendor-primitive / vendor-header.
 */
export function classifyMissing(missing: readonly string[], facts: MissingFacts | null): string | undefined {
  if (missing.length === 0) return undefined;
  if (missing.every(isVendorName)) return missing.some((m) => m.includes('.')) ? 'vendor-header' : 'vendor-primitive';
  const generatedFiles = facts?.generated.files ?? new Set<string>();
  const kinds = missing.map((m) => {
    if (m.includes('.') || m.includes('/')) {
      const base = posix.basename(m);
      if (generatedFiles.has(base) || (facts?.generated.verilator && /^V[A-Za-z_]\w*\.h$/.test(base))) return 'generated-include';
      return isVendorName(m) ? 'vendor-header' : 'absent-header';
    }
    return facts ? whyMissing(m, facts).why : 'absent-module';
  });
  const order = ['generated-include', 'generated-ip', 'generated-file', 'absent-submodule', 'absent-file', 'absent-header', 'absent-module', 'vendor-primitive', 'vendor-header'];
  return order.find((k) => kinds.includes(k as never));
}
