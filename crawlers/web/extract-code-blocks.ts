import { Parser } from 'htmlparser2';

/** A `<pre>` block (or a multi-line `<code>`) with the hints around it. */
export interface CodeBlock {
  text: string;
  /** Language named by a class: `language-verilog`, `lang-c`, `highlight-source-cuda`, `hljs python`, `brush: cpp`. */
  language: string | null;
  /** The nearest heading or `<figcaption>` before the block. */
  caption: string | null;
  /** The last paragraph before the block. */
  context: string | null;
}

export interface PageBlocks {
  title: string | null;
  blocks: CodeBlock[];
}

const CLASS_LANG = /(?:^|\s)(?:language|lang|highlight-source|highlight|brush:?|sourceCode)[-_: ]+([\w+#-]+)/i;
/** Bare class names highlighters use alongside `hljs`/`sourceCode`/`highlight`. */
const BARE_LANGS = new Set(['verilog', 'systemverilog', 'vhdl', 'c', 'cpp', 'cuda', 'python', 'asm', 'nasm', 'armasm', 'x86asm', 'llvm', 'tcl', 'bash', 'sh', 'shell', 'console', 'makefile', 'cmake', 'rust', 'scala']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg']);
const HEADING = /^(?:h[1-6]|figcaption|caption)$/;

/**
 * Extracts code blocks from HTML with htmlparser2's streaming parser (entities
 * decoded, malformed markup tolerated). Inline `<code>` inside prose is not a
 * snippet; a `<code>` outside `<pre>` counts only when it spans lines.
 */
export function extractCodeBlocks(html: string): PageBlocks {
  const blocks: CodeBlock[] = [];
  let title: string | null = null;
  let caption: string | null = null;
  let context: string | null = null;
  const stack: Array<{ name: string; cls: string }> = [];
  let capture: { depth: number; text: string; language: string | null; pre: boolean } | null = null;
  let prose: { name: string; text: string } | null = null;
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const cls = `${attribs.class ?? ''} ${attribs['data-lang'] ? `language-${attribs['data-lang']}` : ''}`.trim();
        stack.push({ name, cls });
        if (SKIP.has(name)) skipDepth++;
        if (capture) {
          capture.language ??= languageOf(cls);
          if (name === 'br') capture.text += '\n';
          return;
        }
        if (name === 'pre' || name === 'code') {
          capture = { depth: stack.length, text: '', language: languageOf(cls) ?? parentLanguage(stack), pre: name === 'pre' };
        } else if (HEADING.test(name) || name === 'p' || name === 'title') {
          prose = { name, text: '' };
        }
      },
      ontext(text) {
        if (skipDepth > 0) return;
        if (capture) capture.text += text;
        // Inline `<code>` is part of the sentence it sits in.
        if (prose && (!capture || !capture.pre)) prose.text += text;
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        if (capture && stack.length === capture.depth) {
          const text = tidy(capture.text);
          if (text && (capture.pre || capture.text.trim().includes('\n'))) blocks.push({ text, language: capture.language, caption, context });
          capture = null;
        } else if (prose && name === prose.name) {
          const text = prose.text.replace(/\s+/g, ' ').trim().slice(0, 500);
          if (name === 'title') title ??= text || null;
          else if (name === 'p') context = text || context;
          else caption = text || caption;
          prose = null;
        }
        stack.pop();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return { title, blocks };
}

function languageOf(cls: string): string | null {
  const m = CLASS_LANG.exec(cls);
  if (m) return m[1]!.toLowerCase();
  const bare = cls.toLowerCase().split(/\s+/).find((c) => BARE_LANGS.has(c));
  return bare ?? null;
}

/** Sphinx and GitHub put the language on a wrapping div (`highlight-verilog`, `highlight-source-c`). */
function parentLanguage(stack: ReadonlyArray<{ cls: string }>): string | null {
  for (let i = stack.length - 2; i >= 0 && i >= stack.length - 4; i--) {
    const lang = languageOf(stack[i]!.cls);
    if (lang) return lang;
  }
  return null;
}

/** Trailing spaces and leading/trailing blank lines go; indentation stays. */
function tidy(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
