import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import type { Alias, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const api = process.env.WW_API_ORIGIN ?? 'http://127.0.0.1:4000';

// The production app runs on Preact's React-compatible runtime (about 190 KB less JavaScript to download and parse on
// a phone than react-dom). Component tests and the dev server use React itself; the browser suite (e2e) drives the
// production build, so every flow is checked on what ships. GraphiQL keeps React (vite.graphiql.config.ts).
const preact: Alias[] = [
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react$/, replacement: 'preact/compat' },
];

/**
 * Paint first, then fetch the app: the entry script and its preloads are added by a small inline script after the
 * browser has painted the HTML frame (index.html), so a phone on a slow network shows the page's shape at once
 * instead of waiting on the app's JavaScript. A timer starts it too where frames do not run (a background tab).
 */
function shellFirst(): Plugin {
  return {
    name: 'ww-shell-first',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const preloads = [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">\n?/g)].map((m) => m[1]);
        const entry = /<script type="module" crossorigin src="([^"]+)"><\/script>\n?/.exec(html);
        if (!entry) return html;
        const loader = `<script>(function(){var d=document,go=function(){if(go.done)return;go.done=1;${JSON.stringify(preloads)}.forEach(function(h){var l=d.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=h;d.head.appendChild(l)});var s=d.createElement('script');s.type='module';s.crossOrigin='';s.src=${JSON.stringify(entry[1])};d.head.appendChild(s)};requestAnimationFrame(function(){setTimeout(go,0)});setTimeout(go,200)})()</script>`;
        return html
          .replace(entry[0], '')
          .replace(/<link rel="modulepreload" crossorigin href="[^"]+">\n?/g, '')
          .replace('</body>', `${loader}\n</body>`);
      },
    },
  };
}

/**
 * Writes `.br` and `.gz` beside every script, stylesheet and page, so a static server can send them to browsers that
 * accept them (nginx `gzip_static`, or the API's static route): a phone then downloads about a third of the bytes.
 */
function precompress(): Plugin {
  return {
    name: 'ww-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir!;
      for (const name of Object.keys(bundle).filter((n) => /\.(js|css|html|svg|json)$/.test(n))) {
        const file = join(dir, name);
        const body = await readFile(file);
        await writeFile(`${file}.br`, brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }));
        await writeFile(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig(({ command, mode }) => ({
  plugins: [react(), shellFirst(), precompress()],
  resolve: { alias: command === 'build' && mode !== 'test' ? preact : [] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html') } },
  },
  server: {
    proxy: { '/graphql': { target: api, ws: true }, '/uploads': api, '/graphiql': api },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
  },
}));
