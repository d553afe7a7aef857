// Vite plugin: `import lint from 'virtual:bpmnlint-config'` gives bpmn-js-bpmnlint the rules named in
// .bpmnlintrc, compiled by bpmnlint's own config compiler so the browser needs no Node resolver.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const compileConfig = require('bpmnlint/lib/support/compile-config.js');

const id = 'virtual:bpmnlint-config';
const resolvedId = '\0' + id;

export default function bpmnlintConfig(configFile) {
  return {
    name: 'complaintworkflows-bpmnlint-config',
    resolveId(source) {
      return source === id ? resolvedId : null;
    },
    async load(loaded) {
      if (loaded !== resolvedId) {
        return null;
      }
      const file = resolve(configFile);
      this.addWatchFile(file);
      let config;
      try {
        config = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new Error(`${file}: not valid JSON (${error.message})`);
      }
      return compileConfig(config);
    },
  };
}
