// Builds the sandboxed renderer into dist/renderer, which both the Electron shell (file
// URLs, hence the relative base) and host mode serve. The CSP there forbids inline script
// and style, so nothing may be inlined into index.html: see the build options below.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // No data: URLs for assets: fonts would break under font-src 'self'.
    assetsInlineLimit: 0,
    // The polyfill is for browsers without modulepreload; Chromium has it.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
