// Reference canonicalisation with jsonld.js, exactly as Digital Bazaar's
// eddsa-rdfc-2022 cryptosuite does it (RDFC-1.0, safe mode, base null,
// rdfDirection 'i18n-datatype'), for differential tests against the Python engine.
// Usage: node canonize.mjs <contexts-map.json>
// Reads one JSON document per line on stdin; writes one JSON line per input:
// {"nquads": "..."} or {"error": "..."}. One process serves a whole batch.
import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

// The cryptosuite's lib/canonize.js, which its package does not export.
async function canonize(input, options) {
  options = {algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true,
    ...options};
  const opts = {rdfDirection: 'i18n-datatype', ...options, produceGeneralizedRdf: false};
  delete opts.format;
  return rdfCanonize.canonize(await jsonld.toRDF(input, opts), options);
}

const contextFiles = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const cache = new Map();

async function documentLoader(url) {
  if (!contextFiles[url]) throw new Error(`refusing to load ${url}`);
  if (!cache.has(url)) cache.set(url, JSON.parse(readFileSync(contextFiles[url], 'utf8')));
  return {contextUrl: null, documentUrl: url, document: structuredClone(cache.get(url))};
}

const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    answer = {nquads: await canonize(JSON.parse(line), {documentLoader})};
  } catch (e) {
    answer = {error: String(e && (e.message || e))};
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
