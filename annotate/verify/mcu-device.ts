/**
 * The Cortex-M core and device macro of an embedded C file, from the device
 * headers it includes and the ones its repository ships. CMSIS device headers
 * refuse to compile without a device macro (`#error "Please select first the
 * target STM32F4xx device"`), and the core decides which CMSIS core header and
 * instructions apply. Core per family from the vendors' reference manuals
 * (ST RM0090 etc.) and CMSIS core_cmX.h names.
 */
const FAMILY_CORE: Array<[RegExp, string]> = [
  [/^stm32f0/i, 'cortex-m0'], [/^stm32f[12]/i, 'cortex-m3'], [/^stm32f[34]/i, 'cortex-m4'], [/^stm32[fh]7/i, 'cortex-m7'],
  [/^stm32l0/i, 'cortex-m0plus'], [/^stm32l1/i, 'cortex-m3'], [/^stm32l4/i, 'cortex-m4'], [/^stm32(?:l5|u5|h5)/i, 'cortex-m33'],
  [/^stm32[gc]0/i, 'cortex-m0plus'], [/^stm32(?:g4|wb|wl)/i, 'cortex-m4'],
  [/^nrf51/i, 'cortex-m0'], [/^nrf52/i, 'cortex-m4'], [/^nrf(?:53|91)/i, 'cortex-m33'],
  [/^sam(?:d1|d2|c2|l2)/i, 'cortex-m0plus'], [/^sam(?:d5|e5|4)/i, 'cortex-m4'], [/^sam3/i, 'cortex-m3'],
  [/^lpc(?:8|11|12)/i, 'cortex-m0'], [/^lpc17/i, 'cortex-m3'], [/^lpc(?:40|43|54)/i, 'cortex-m4'], [/^lpc55/i, 'cortex-m33'],
  [/^mkl/i, 'cortex-m0plus'], [/^mk\d/i, 'cortex-m4'], [/^rp2040/i, 'cortex-m0plus'],
  [/^core_cm0plus/i, 'cortex-m0plus'], [/^core_cm0/i, 'cortex-m0'], [/^core_cm3/i, 'cortex-m3'], [/^core_cm4/i, 'cortex-m4'],
  [/^core_cm7/i, 'cortex-m7'], [/^core_cm33/i, 'cortex-m33'], [/^core_cm23/i, 'cortex-m23'],
];

export interface McuDevice {
  mcpu: string;
  /** Device macro to define when no build file does (`STM32F407xx`), from a device header in the repository. */
  define?: string;
  /** The header the family was read from. */
  evidence: string;
}

const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** The device of a file from its includes (and its context headers'), or null when none names a known family. */
export function mcuDeviceFor(includes: readonly string[], repoHeaders: readonly string[], defines: readonly string[]): McuDevice | null {
  for (const inc of includes) {
    const name = basename(inc);
    const hit = FAMILY_CORE.find(([re]) => re.test(name));
    if (!hit) continue;
    const device: McuDevice = { mcpu: hit[1], evidence: name };
    // stm32f4xx.h → a specific stm32f4NNxx.h shipped in the repository names the macro it wants.
    const family = /^(stm32[a-z]\d)xx\.h$/i.exec(name)?.[1];
    if (family && !defines.some((d) => /^STM32[A-Z]\d\w*x\w\b/.test(d))) {
      const specific = repoHeaders.map(basename).filter((h) => h.toLowerCase().startsWith(family.toLowerCase()) && /^\d+x[a-z0-9]\.h$/i.test(h.slice(family.length))).sort()[0];
      // ST's spelling: part number upper-case, then x and the flash-size letter (STM32F407xx, STM32F103xB).
      const m = specific ? /^stm32([a-z]\d+)x([a-z0-9])\.h$/i.exec(specific) : null;
      if (m) device.define = `STM32${m[1]!.toUpperCase()}x${m[2] === 'x' || m[2] === 'X' ? 'x' : m[2]!.toUpperCase()}`;
    }
    return device;
  }
  return null;
}
