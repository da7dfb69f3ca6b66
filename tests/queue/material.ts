import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * A small real-source corpus as three repositories: Yosys's techmap
 * Verilog, newlib headers (C), and Yosys's iCE40 cells plus one file copied
 * from the first repository (an exact duplicate for the dedup stages).
 * Material from Debian packages (yosys, libnewlib-dev), nothing we wrote.
 */
const REPOS: Record<string, readonly string[]> = {
  'yosys-techmap': ['adff2dff.v', 'cmp2lcu.v', 'dff2ff.v', 'gate2lut.v', 'pmux2mux.v', 'cmp2lut.v'].map((f) => `/usr/share/yosys/${f}`),
  'newlib-headers': ['alloca.h', 'ar.h', 'argz.h', 'assert.h', 'cpio.h', 'ctype.h', 'envz.h', 'fnmatch.h'].map((f) => `/usr/include/newlib/${f}`),
  'ice40-cells': ['/usr/share/yosys/ice40/latches_map.v', '/usr/share/yosys/ice40/ff_map.v', '/usr/share/yosys/ice40/abc9_model.v', '/usr/share/yosys/dff2ff.v'],
};

/** Copies the material under `root` and returns the repository directories in a fixed order. */
export function writeRealRepos(root: string): string[] {
  return Object.entries(REPOS).map(([name, files]) => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (const f of files) {
      if (!existsSync(f)) throw new Error(`${f} is missing: install yosys and libnewlib-dev (scripts/setup.sh)`);
      copyFileSync(f, join(dir, basename(f)));
    }
    return dir;
  });
}
