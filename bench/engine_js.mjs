// Digital Bazaar's JavaScript implementation on the same credential, for comparison
// with `badges bench`: signs and verifies N copies with eddsa-rdfc-2022 on one core.
// Usage: node bench/engine_js.mjs <unsigned-credential.json> <contexts-map.json> [N]
// Uses the packages installed for the independent-verifier test (tests/node_verifier).
import {readFile} from 'node:fs/promises';
import {createRequire} from 'node:module';

const require = createRequire(new URL('../tests/node_verifier/package.json', import.meta.url));
const load = async name => import(require.resolve(name));
const vc = await load('@digitalbazaar/vc');
const {DataIntegrityProof} = await load('@digitalbazaar/data-integrity');
const {cryptosuite} = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
const Ed25519Multikey = await load('@digitalbazaar/ed25519-multikey');
const jsigs = (await load('jsonld-signatures')).default;

const [credentialPath, mapPath, n = '200'] = process.argv.slice(2);
const unsigned = JSON.parse(await readFile(credentialPath, 'utf8'));
const files = JSON.parse(await readFile(mapPath, 'utf8'));
const contexts = {};
for (const [url, path] of Object.entries(files)) contexts[url] = JSON.parse(await readFile(path, 'utf8'));

const controller = unsigned.issuer.id ?? unsigned.issuer;
const keyPair = await Ed25519Multikey.generate({id: `${controller}#key-1`, controller});
const method = await keyPair.export({publicKey: true, includeContext: true});
const controllerDoc = {'@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: controller, verificationMethod: [method], assertionMethod: [method.id]};

async function documentLoader(url) {
  if (contexts[url]) return {contextUrl: null, documentUrl: url, document: contexts[url]};
  if (url === controller) return {contextUrl: null, documentUrl: url, document: controllerDoc};
  if (url === method.id) return {contextUrl: null, documentUrl: url, document: method};
  throw new Error(`refusing to load ${url}`);
}

const count = Number(n);
const signTimes = [], verifyTimes = [], signed = [];
for (let i = 0; i < count; i++) {
  const credential = structuredClone(unsigned);
  credential.id = `${unsigned.id}-${i}`;
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite});
  const t = performance.now();
  signed.push(await vc.issue({credential, suite, documentLoader}));
  signTimes.push(performance.now() - t);
}
for (const credential of signed) {
  const suite = new DataIntegrityProof({cryptosuite});
  const t = performance.now();
  const result = await vc.verifyCredential({credential, suite, documentLoader,
    purpose: new jsigs.purposes.AssertionProofPurpose(), checkStatus: async () => ({verified: true})});
  verifyTimes.push(performance.now() - t);
  if (!result.verified) throw new Error('verification failed: ' + JSON.stringify(result.error));
}
const stats = times => {
  const sorted = [...times].sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  return {ops_per_s: +(1000 * times.length / total).toFixed(1),
    median_ms: +sorted[Math.floor(sorted.length / 2)].toFixed(3),
    p95_ms: +sorted[Math.floor(sorted.length * 0.95)].toFixed(3)};
};
console.log(JSON.stringify({n: count, sign: stats(signTimes), verify: stats(verifyTimes)}));
