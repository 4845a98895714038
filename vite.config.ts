import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Port of `vite preview`; Playwright's webServer waits on it, so it must not drift. */
export const PREVIEW_PORT = 4173;

/** `vite build --mode single` writes the whole lab into this one HTML file (see singleFileConfig). */
export const SINGLE_FILE_DIR = 'dist-single';
export const SINGLE_FILE_NAME = 'kms-policy-lab.html';

const normalConfig: UserConfig = {
  plugins: [react()],
  // Relative asset URLs: the build works from any static host path.
  base: './',
  build: {
    outDir: 'dist',
    // The manifest lets scripts/check-bundle-size.mjs tell the initial chunks from the lazy ones.
    manifest: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: PREVIEW_PORT, strictPort: true, host: '127.0.0.1' },
};

/**
 * The file-share build: one self-contained HTML file that works when opened as a file:// URL. Chromium refuses
 * external module scripts, crossorigin stylesheets, dynamic imports and worker files from file:// pages, so
 * everything goes into the page: one JS chunk (no code splitting) in an inline module script, the CSS in a
 * <style>, fonts and images as data URLs, and every Web Worker as a Blob worker built from an inlined string.
 * It is larger than dist/ and loads Monaco up front; dist/ stays the build for web hosts.
 */
const singleFileConfig: UserConfig = {
  ...normalConfig,
  plugins: [react(), inlineWorkers(), inlineIntoOneHtmlFile()],
  build: {
    outDir: SINGLE_FILE_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // Everything becomes a data URL, whatever its size.
    assetsInlineLimit: () => true,
    cssCodeSplit: false,
    modulePreload: false,
    copyPublicDir: false,
    rolldownOptions: { output: { codeSplitting: false } },
  },
  // Chromium refuses module workers from blob: URLs on a file:// page (the load fails with an error event),
  // but runs classic ones: build each worker as one classic script.
  worker: { format: 'iife' },
};

export default defineConfig(({ mode }) => (mode === 'single' ? singleFileConfig : normalConfig));

/** `new Worker(new URL('./x.worker.ts', import.meta.url), { … })`, the form Vite bundles as a worker file. */
const WORKER_URL_CONSTRUCTOR =
  /new Worker\(\s*new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)\s*(?:,\s*\{[^}]*\}\s*)?\)/g;

/**
 * Makes every worker an inline (Blob) worker: `?worker` imports (the lab's Monaco module) become
 * `?worker&inline`, and the `new Worker(new URL(…))` form (the lab evaluator, and Monaco's JSON language, which
 * starts its own worker this way) becomes an imported `?worker&inline` constructor. Vite's inline wrapper picks the
 * worker type from `worker.format` (classic here), so the `{ type: 'module' }` option written in the source is dropped.
 */
function inlineWorkers(): Plugin {
  return {
    name: 'kms-lab:inline-workers',
    enforce: 'pre',
    apply: 'build',
    transform(code, id) {
      if (!/\.[cm]?[jt]sx?$/.test(id.split('?')[0]) || !/new Worker\(|\?worker['"]/.test(code)) return null;
      const imports: string[] = [];
      let rewritten = code.replace(WORKER_URL_CONSTRUCTOR, (_whole, _quote, url: string) => {
        const name = `__InlineWorker${imports.length}`;
        // `new URL('json.worker.js', …)` is relative to the module even without "./"; an import would not be.
        const specifier = /^\.{0,2}\//.test(url) ? url : `./${url}`;
        imports.push(`import ${name} from ${JSON.stringify(`${specifier}?worker&inline`)};`);
        return `new ${name}()`;
      });
      rewritten = rewritten.replace(/(\bfrom\s*)(['"])([^'"\n]+)\?worker\2/g, '$1$2$3?worker&inline$2');
      if (rewritten === code) return null;
      return { code: imports.join('\n') + '\n' + rewritten, map: null };
    },
  };
}

/**
 * Moves the built JS and CSS into the HTML page and drops their files, so the output is one HTML file.
 * Inline module scripts and <style> elements run from file://; `<script src>` modules and crossorigin links don't.
 */
function inlineIntoOneHtmlFile(): Plugin {
  let publicDir = '';
  return {
    name: 'kms-lab:inline-into-one-html-file',
    enforce: 'post',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle: {
      // After Vite's own generateBundle steps, which still rewrite the chunks (e.g. dynamic-import preload markers).
      order: 'post',
      handler(_options, bundle) {
        const page = bundle['index.html'];
        if (!page || page.type !== 'asset') this.error('single-file build: index.html was not generated');
        let html = String(page.source);
        const takeFile = (href: string): string => {
          const fileName = href.replace(/^\.\//, '');
          const output = bundle[fileName];
          if (!output) this.error(`single-file build: ${href} is not in the bundle`);
          delete bundle[fileName];
          return output.type === 'chunk' ? output.code : String(output.source);
        };
        html = html.replace(
          /<script type="module"[^>]*\ssrc="([^"]+)"[^>]*><\/script>/g,
          (_tag, src: string) => {
            // "</script" inside the code would end the element early; "<\/script" means the same in JS.
            const code = takeFile(src).replace(/<\/script/gi, '<\\/script');
            return `<script type="module">${code}</script>`;
          },
        );
        html = html.replace(/<link rel="stylesheet"[^>]*\shref="([^"]+)"[^>]*>/g, (_tag, href: string) => {
          return `<style>${takeFile(href).replace(/<\/style/gi, '<\\/style')}</style>`;
        });
        html = html.replace(
          /(<link rel="icon" type="image\/svg\+xml" href=")[^"]*(")/,
          (_tag, before, after) => {
            const svg = readFileSync(resolve(publicDir, 'favicon.svg'));
            return `${before}data:image/svg+xml;base64,${svg.toString('base64')}${after}`;
          },
        );
        const leftOver = Object.keys(bundle).filter((fileName) => fileName !== 'index.html');
        if (leftOver.length > 0)
          this.error(`single-file build: files left outside the page: ${leftOver.join(', ')}`);
        delete bundle['index.html'];
        this.emitFile({ type: 'asset', fileName: SINGLE_FILE_NAME, source: html });
      },
    },
  };
}
