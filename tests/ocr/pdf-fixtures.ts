import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from '@napi-rs/canvas';

/**
 * Fixture builders for the literature tests: real documents from Debian
 * packages, PDFs generated from real source files, scans made with poppler and
 * img2pdf, and broken files made with qpdf. A missing tool is a failure that
 * names the Debian package (scripts/setup.sh installs them), never a skip.
 */

/** Fails with the package to install when a command is missing. */
export function requireCommand(cmd: string, debianPackage: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} not found: install the Debian package ${debianPackage} (bash scripts/setup.sh)`);
}

/** The Yosys manual from Debian's yosys-doc (286 pages, Verilog and C++ listings). */
export function yosysManual(): string {
  return debianFile('yosys-doc', '/usr/share/doc/yosys/manual.pdf');
}

/** verilator.pdf from Debian's verilator package (Sphinx output, code in Type 3 fonts). */
export function verilatorManual(): string {
  return debianFile('verilator', '/usr/share/doc/verilator/verilator.pdf');
}

/** libtasn1's manual from Debian's libtasn1-doc (Texinfo: ASN.1 modules, bulleted lists of types in the code font). */
export function libtasn1Manual(): string {
  return debianFile('libtasn1-doc', '/usr/share/doc/libtasn1-doc/libtasn1.pdf');
}

function debianFile(pkg: string, path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${pkg} (bash scripts/setup.sh)`);
  return path;
}

/** A real Verilog source nobody here wrote, with tabs expanded to 8 columns (the PDF has no tabs). */
export function realVerilog(file = '/usr/share/yosys/mul2dsp.v', maxLines = 130): string[] {
  if (!existsSync(file)) throw new Error(`${file} is missing: install the Debian package yosys (bash scripts/setup.sh)`);
  return readFileSync(file, 'utf8').split('\n').slice(0, maxLines).map((l) => expandTabs(l).trimEnd());
}

export function expandTabs(line: string, width = 8): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(width - (out.length % width)) : ch;
  return out;
}

export interface ListingPdfSpec {
  lines: readonly string[];
  /** Lines per page. @default 50 */
  perPage?: number;
  /** Print line numbers left of the code, in the body font. @default true */
  lineNumbers?: boolean;
  caption?: string;
  header?: string;
  /** Font size of the code. @default 9 */
  size?: number;
}

/**
 * Typesets a listing over as many letter pages as needed, with a running
 * header, a page-number footer, a caption and prose above it, the way books
 * and application notes do (Skia's PDF backend via @napi-rs/canvas).
 */
export function makeListingPdf(spec: ListingPdfSpec): Buffer {
  const perPage = spec.perPage ?? 50;
  const size = spec.size ?? 9;
  const lead = size * 1.25;
  const doc = new PDFDocument({ title: 'incorpus listing fixture' });
  const pages = Math.max(1, Math.ceil(spec.lines.length / perPage));
  // Wide enough for the longest line: real books wrap long lines, this fixture never needs to.
  const width = Math.max(612, Math.ceil(92 + Math.max(...spec.lines.map((l) => l.length)) * size * 0.61 + 40));
  for (let p = 0; p < pages; p++) {
    const ctx = doc.beginPage(width, 792);
    ctx.fillStyle = '#000';
    ctx.font = '9px "DejaVu Serif"';
    ctx.fillText(spec.header ?? 'CHAPTER 4. TECHNOLOGY MAPPING', 200, 40);
    ctx.fillText(String(p + 1), 300, 760);
    let y = 80;
    if (p === 0) {
      ctx.font = '10px "DejaVu Serif"';
      ctx.fillText('The multiplier is mapped onto DSP blocks by the following technology map:', 72, y);
      y += 20;
      if (spec.caption) {
        ctx.fillText(spec.caption, 72, y);
        y += 18;
      }
    }
    spec.lines.slice(p * perPage, (p + 1) * perPage).forEach((line, i) => {
      const n = p * perPage + i + 1;
      if (spec.lineNumbers ?? true) {
        ctx.font = `${size}px "DejaVu Serif"`;
        const num = String(n);
        ctx.fillText(num, 84 - ctx.measureText(num).width, y);
      }
      ctx.font = `${size}px "DejaVu Sans Mono"`;
      ctx.fillText(line, 92, y);
      y += lead;
    });
    doc.endPage();
  }
  return doc.close();
}

/** A page with nothing but a tiny image: no text layer at all, and as large as PDF allows. */
export function makePosterPdf(): Buffer {
  const doc = new PDFDocument();
  const ctx = doc.beginPage(14400, 14400);
  ctx.fillStyle = '#000';
  ctx.fillRect(100, 100, 50, 50);
  doc.endPage();
  return doc.close();
}

/** Rasterizes pages with pdftoppm and wraps the images into an image-only PDF with img2pdf. */
export function scanPdf(src: string, out: string, opts: { first: number; last: number; dpi?: number }, workDir: string): string {
  requireCommand('pdftoppm', 'poppler-utils');
  requireCommand('img2pdf', 'img2pdf');
  const prefix = join(workDir, `scan-${opts.first}`);
  execFileSync('pdftoppm', ['-f', String(opts.first), '-l', String(opts.last), '-r', String(opts.dpi ?? 200), '-gray', '-png', src, prefix]);
  const images = readdirSync(workDir).filter((f) => f.startsWith(`scan-${opts.first}-`) && f.endsWith('.png')).sort().map((f) => join(workDir, f));
  execFileSync('img2pdf', [...images, '-o', out]);
  return out;
}

/** An AES-256 encrypted copy that needs a user password to open (qpdf). */
export function encryptPdf(src: string, out: string): string {
  requireCommand('qpdf', 'qpdf');
  execFileSync('qpdf', ['--encrypt', 'secret-user', 'secret-owner', '256', '--', src, out]);
  return out;
}

/** The first part of a PDF's bytes: no xref table, no trailer, objects cut mid-stream. */
export function truncatePdf(src: string, out: string, keep = 0.4): string {
  const data = readFileSync(src);
  writeFileSync(out, data.subarray(0, Math.floor(data.length * keep)));
  return out;
}
