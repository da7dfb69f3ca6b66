import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Crawled files that try to make a compiler or synthesizer read a host file,
 * in every HDL and C form (issue 12): absolute paths, `../` climbs,
 * macro-built paths, parameter-built paths, instance overrides, inline-asm
 * `.incbin`, `#include_next`, build-file include dirs, and symlinks planted
 * in the repository. Shared by tests/annotate/verify-escapes.test.ts and
 * bench/faults-escapes.ts.
 */
export interface EscapeCase {
  name: string;
  /** Repository files (the target among them); `SECRET` stands for the host file's absolute path. */
  files: Record<string, string>;
  target: string;
  /** Symlinks planted in the repository: path → link target (SECRET_DIR stands for the host dir). */
  links?: Record<string, string>;
  /** `unsafe-include`: refused before any tool runs, at every level. `contained`: may run; nothing of the host may come back. */
  expect: 'unsafe-include' | 'contained';
}

const UP = '../'.repeat(24);

export const ESCAPE_CASES: EscapeCase[] = [
  { name: 'C #include absolute', target: 'src/a.c', files: { 'src/a.c': '#include "SECRET"\nint x;\n' }, expect: 'unsafe-include' },
  { name: 'C #include ../ climb', target: 'src/a.c', files: { 'src/a.c': `#include "${UP}SECRET_REL"\nint x;\n` }, expect: 'unsafe-include' },
  { name: 'C #include <…> climb', target: 'src/a.c', files: { 'src/a.c': `#include <${UP}SECRET_REL>\nint x;\n` }, expect: 'unsafe-include' },
  { name: 'C #include_next absolute', target: 'src/a.h', files: { 'src/a.h': '#include_next "SECRET"\n' }, expect: 'unsafe-include' },
  { name: 'C macro-built path (#define P "…" + #include P)', target: 'src/a.c', files: { 'src/a.c': '#define P "SECRET"\n#include P\nint x;\n' }, expect: 'unsafe-include' },
  { name: 'C macro chain climbing', target: 'src/a.c', files: { 'src/a.c': `#define Q "${UP}SECRET_REL"\n#define P Q\n#include P\nint x;\n` }, expect: 'unsafe-include' },
  { name: 'C stringified path (#include STR(…))', target: 'src/a.c', files: { 'src/a.c': '#define S(x) #x\n#define STR(x) S(x)\n#include STR(SECRET)\nint x;\n' }, expect: 'contained' },
  { name: 'C inline-asm .incbin', target: 'src/a.c', files: { 'src/a.c': '__asm__(".incbin \\"SECRET\\"");\nint x;\n' }, expect: 'unsafe-include' },
  { name: 'C header in context includes the host', target: 'src/a.c', files: { 'src/a.c': '#include "cfg.h"\nint x = CFG;\n', 'inc/cfg.h': '#include "SECRET"\n#define CFG 1\n' }, expect: 'contained' },
  { name: 'C include dir from a Makefile (-I/abs)', target: 'src/a.c', files: { 'src/a.c': '#include "SECRET_BASE"\nint x;\n', Makefile: 'CFLAGS = -ISECRET_DIR\nSRCS = src/a.c\n' }, expect: 'contained' },
  { name: 'C symlink planted in the repository', target: 'src/a.c', files: { 'src/a.c': '#include "../hostdir/SECRET_BASE"\nint x;\n' }, links: { hostdir: 'SECRET_DIR' }, expect: 'contained' },
  { name: 'Verilog `include absolute', target: 'rtl/m.v', files: { 'rtl/m.v': '`include "SECRET"\nmodule m; endmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog `include ../ climb', target: 'rtl/m.v', files: { 'rtl/m.v': `\`include "${UP}SECRET_REL"\nmodule m; endmodule\n` }, expect: 'unsafe-include' },
  { name: 'Verilog macro-built `include', target: 'rtl/m.v', files: { 'rtl/m.v': '`define P "SECRET"\n`include `P\nmodule m; endmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog $readmemh absolute', target: 'rtl/m.v', files: { 'rtl/m.v': 'module m (output [7:0] y);\n  reg [7:0] mem [0:3];\n  initial $readmemh("SECRET", mem);\n  assign y = mem[0];\nendmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog $readmemb ../ climb', target: 'rtl/m.v', files: { 'rtl/m.v': `module m (output [7:0] y);\n  reg [7:0] mem [0:3];\n  initial $readmemb("${UP}SECRET_REL", mem);\n  assign y = mem[0];\nendmodule\n` }, expect: 'unsafe-include' },
  { name: 'Verilog parameter-built $readmemh', target: 'rtl/m.v', files: { 'rtl/m.v': 'module m #(parameter INIT = "SECRET") (output [7:0] y);\n  reg [7:0] mem [0:3];\n  initial $readmemh(INIT, mem);\n  assign y = mem[0];\nendmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog instance parameter override', target: 'rtl/top.v', files: { 'rtl/top.v': 'module top (output [7:0] y);\n  rom #(.INIT("SECRET")) u (.y(y));\nendmodule\n', 'rtl/rom.v': 'module rom #(parameter INIT = "rom.hex") (output [7:0] y);\n  reg [7:0] mem [0:3];\n  initial $readmemh(INIT, mem);\n  assign y = mem[0];\nendmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog macro-built $readmemh', target: 'rtl/m.v', files: { 'rtl/m.v': '`define F "SECRET"\nmodule m (output [7:0] y);\n  reg [7:0] mem [0:3];\n  initial $readmemh(`F, mem);\n  assign y = mem[0];\nendmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog $fopen absolute', target: 'rtl/tb.v', files: { 'rtl/tb.v': 'module tb;\n  integer f;\n  initial f = $fopen("SECRET", "r");\nendmodule\n' }, expect: 'unsafe-include' },
  { name: 'Verilog dependency reads the host', target: 'rtl/top.v', files: { 'rtl/top.v': 'module top (output [7:0] y);\n  leaky u (.y(y));\nendmodule\n', 'rtl/leaky.v': 'module leaky (output [7:0] y);\n  reg [7:0] mem [0:3];\n  initial $readmemh("SECRET", mem);\n  assign y = mem[0];\nendmodule\n' }, expect: 'contained' },
  { name: 'Verilog +incdir+ from a .f list', target: 'rtl/m.v', files: { 'rtl/m.v': '`include "SECRET_BASE"\nmodule m; endmodule\n', 'rtl/m.f': '+incdir+SECRET_DIR\nm.v\n' }, expect: 'contained' },
  { name: 'Verilog symlink planted in the repository', target: 'rtl/m.v', files: { 'rtl/m.v': '`include "../hostdir/SECRET_BASE"\nmodule m; endmodule\n' }, links: { hostdir: 'SECRET_DIR' }, expect: 'contained' },
];

/** A world-readable host file with a unique token whose content must never reach the corpus. */
export function plantSecret(dir: string): { path: string; dir: string; base: string; token: string } {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const token = `INCORPUS_HOST_SECRET_${process.pid}_${Date.now().toString(36)}`;
  const path = join(dir, 'secret.vh');
  // Shaped to make every front end echo it: an identifier where a declaration is expected.
  writeFileSync(path, `${token} ${token}_2;\n${token}\n`, { mode: 0o644 });
  return { path, dir, base: 'secret.vh', token };
}

/** The case's files with the secret's paths filled in. */
export function materializeCase(c: EscapeCase, secret: { path: string; dir: string; base: string }): Record<string, string> {
  const rel = secret.path.replace(/^\//, '');
  const fill = (t: string): string => t.replaceAll('SECRET_REL', rel).replaceAll('SECRET_DIR', secret.dir).replaceAll('SECRET_BASE', secret.base).replaceAll('SECRET', secret.path);
  return Object.fromEntries(Object.entries(c.files).map(([p, t]) => [p, fill(t)]));
}
