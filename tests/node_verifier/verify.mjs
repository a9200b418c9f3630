// Independent verification of a credential signed by the Python engine, with
// Digital Bazaar's libraries. Contexts come only from the pinned files; the
// issuer's controller document is fetched over loopback HTTP.
// Usage: node verify.mjs <credential.json> <contexts-map.json>
// Prints {"verified": bool, ...} and exits 0 when verified, 1 otherwise.
import {readFile} from 'node:fs/promises';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import jsigs from 'jsonld-signatures';

const [credentialPath, mapPath] = process.argv.slice(2);
const credential = JSON.parse(await readFile(credentialPath, 'utf8'));
const contextFiles = JSON.parse(await readFile(mapPath, 'utf8'));

async function documentLoader(url) {
  if (contextFiles[url]) {
    const document = JSON.parse(await readFile(contextFiles[url], 'utf8'));
    return {contextUrl: null, documentUrl: url, document};
  }
  if (url.startsWith('http://127.0.0.1:')) {
    const response = await fetch(url.split('#')[0], {headers: {accept: 'application/ld+json'}});
    if (!response.ok) throw new Error(`fetch ${url}: ${response.status}`);
    const doc = await response.json();
    if (url.includes('#')) {
      const method = (doc.verificationMethod || []).find(m => m.id === url);
      if (!method) throw new Error(`no verification method ${url}`);
      return {contextUrl: null, documentUrl: url,
        document: {'@context': doc['@context'], ...method}};
    }
    return {contextUrl: null, documentUrl: url, document: doc};
  }
  throw new Error(`refusing to load ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
const result = await vc.verifyCredential({
  credential, suite, documentLoader,
  purpose: new jsigs.purposes.AssertionProofPurpose(),
  checkStatus: async () => ({verified: true}),
});
const errors = [];
const collect = e => { if (e) errors.push(String(e.message || e)); };
collect(result.error);
for (const r of result.results || []) collect(r.error);
// One entry per proof, in the document's order: in a proof set jsonld-signatures calls the
// document verified when any proof is, so callers that need every proof read these. Its
// results come in the order the checks finish, so each is matched to its proof.
const given = [].concat(credential.proof || []);
const proofs = given.map(p => (result.results || []).some(r => r.verified === true && r.proof
  && r.proof.verificationMethod === p.verificationMethod && r.proof.proofValue === p.proofValue));
console.log(JSON.stringify({verified: result.verified, errors, proofs}));
process.exit(result.verified ? 0 : 1);
