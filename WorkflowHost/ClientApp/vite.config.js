// The web pages of ComplaintWorkflows: one folder per page (designer/, login/, ...), each with its own
// index.html, built into ../wwwroot; the host serves them (WorkflowHost/WebPages.cs).
import { defineConfig } from 'vite';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import bpmnlintConfig from './build/bpmnlint-plugin.js';

const root = import.meta.dirname;
const notPages = new Set(['node_modules', 'src', 'build', 'public']);

// Every top-level folder with an index.html is a page; a new page needs no change here.
const pages = { home: resolve(root, 'index.html') };
for (const entry of readdirSync(root, { withFileTypes: true })) {
  if (entry.isDirectory() && !notPages.has(entry.name) && !entry.name.startsWith('.') && existsSync(resolve(root, entry.name, 'index.html'))) {
    pages[entry.name] = resolve(root, entry.name, 'index.html');
  }
}

// `npm run dev` serves the pages with live reload and passes API calls to a host on CW_HOST (default :5080).
const host = process.env.CW_HOST ?? 'http://localhost:5080';

export default defineConfig({
  root,
  base: '/',
  plugins: [bpmnlintConfig(resolve(root, '.bpmnlintrc'))],
  build: {
    outDir: resolve(root, '../wwwroot'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: pages },
  },
  server: {
    proxy: {
      '/api': host,
      '/engine-rest': host,
      '/hubs': { target: host, ws: true },
    },
  },
});
