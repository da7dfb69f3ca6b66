import { re2 } from './linear-regex.js';
/** Embedded firmware facts: target MCU family, peripherals touched, interrupt handlers. */
export interface EmbeddedAnnotations {
  /** e.g. STM32F4, nRF52, ESP32, AVR, SAMD21, Cortex-M4; null when no include names one. */
  mcuFamily: string | null;
  /** The include that decided it. */
  mcuEvidence: string | null;
  peripherals: string[];
  interruptHandlers: string[];
}

// Vendor device headers → family (ST, Nordic, Espressif, Microchip, NXP, TI, CMSIS core).
const FAMILY_RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/\bstm32([a-z]\d)\w*\.h/i, (m) => `STM32${m[1]!.toUpperCase()}`],
  [/\bnrf(5\d|9\d)\w*\.h/i, (m) => `nRF${m[1]}`],
  [/\besp32\w*|esp_system\.h/i, () => 'ESP32'],
  [/\bavr\/io\.h/i, () => 'AVR'],
  [/\bsam(d\d\d|e\d\d|[a-z]\d\d)\w*\.h/i, (m) => `SAM${m[1]!.toUpperCase()}`],
  [/\b(?:fsl_device_registers|MK\d\d\w*)\.h/i, () => 'NXP Kinetis'],
  [/\bLPC(\d{2,4})\w*\.h/i, (m) => `LPC${m[1]}`],
  [/\bmsp430\w*\.h/i, () => 'MSP430'],
  [/\bcore_cm(\d+)\.h/i, (m) => `Cortex-M${m[1]}`],
];

// Register-block names of CMSIS device headers, written as `PERIPH->REG`.
const PERIPHERAL = /\b(RCC|GPIO[A-K]|USART\d|UART\d|LPUART\d|SPI\d|I2C\d|TIM\d{1,2}|ADC\d?|ADC\d?_COMMON|DAC\d?|DMA\d(?:_Stream\d|_Channel\d)?|NVIC|SysTick|SCB|EXTI|SYSCFG|FLASH|PWR|CAN\d|FDCAN\d|USB_OTG_FS|USB_OTG_HS|RTC|IWDG|WWDG|CRC|RNG|SDIO|QUADSPI|FMC|LTDC|ETH)\s*->/g;

export function annotateEmbedded(text: string): EmbeddedAnnotations {
  const t = text.replace(re2(/\/\*[\s\S]*?\*\//g), ' ').replace(/\/\/[^\n]*/g, ' ');
  let mcuFamily: string | null = null;
  let mcuEvidence: string | null = null;
  for (const inc of t.matchAll(re2(/^\s*#\s*include\s*[<"]([^">]+)[">]/gm))) {
    for (const [re, name] of FAMILY_RULES) {
      const m = inc[1]!.match(re);
      if (m) {
        mcuFamily = name(m);
        mcuEvidence = inc[1]!;
        break;
      }
    }
    if (mcuFamily) break;
  }
  const handlers = new Set<string>();
  for (const m of t.matchAll(re2(/\bvoid\s+([A-Za-z_]\w*_(?:IRQ)?Handler)\s*\(\s*(?:void)?\s*\)\s*\{/g))) handlers.add(m[1]!);
  for (const m of t.matchAll(/\bISR\s*\(\s*([A-Za-z_]\w*_vect)\s*\)/g)) handlers.add(m[1]!);
  for (const m of t.matchAll(re2(/__attribute__\s*\(\(\s*interrupt[^)]*\)\)\s*void\s+([A-Za-z_]\w*)/g))) handlers.add(m[1]!);
  return {
    mcuFamily,
    mcuEvidence,
    peripherals: [...new Set([...t.matchAll(PERIPHERAL)].map((m) => m[1]!))].sort(),
    interruptHandlers: [...handlers].sort(),
  };
}

/** CadQuery: operations used, counted (`cq.Workplane(...).box(...).fillet(...)`). */
export function annotateCadQuery(text: string): { operations: Record<string, number> } {
  const t = text.replace(/#[^\n]*/g, '');
  const ops: Record<string, number> = {};
  const OPS = /\.(Workplane|box|sphere|cylinder|wedge|rect|circle|ellipse|polygon|polyline|spline|slot2D|lineTo|line|close|extrude|revolve|loft|sweep|shell|fillet|chamfer|hole|cboreHole|cskHole|union|cut|intersect|mirror|translate|rotate|rotateAboutCenter|workplane|faces|edges|vertices|pushPoints|rarray|polarArray|text|split|combine|section|offset2D|twistExtrude|tag|exportStl|exportStep|export)\s*\(/g;
  for (const m of t.matchAll(OPS)) ops[m[1]!] = (ops[m[1]!] ?? 0) + 1;
  return { operations: ops };
}
