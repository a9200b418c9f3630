// Verify a credential this service issued with Digital Bazaar's libraries: its
// proof (@digitalbazaar/vc, eddsa-rdfc-2022) and its status with
// vc-bitstring-status-list, an independent reading of the W3C Bitstring Status
// List specification.
// Usage: node status.mjs <contexts-map.json>
// Reads one JSON line per job on stdin:
//   {"credential": {...}, "documents": {"<url>": {...}, ...}}
// where documents holds the status list credentials and the issuer's controller
// document, as this service serves them (nothing is fetched: no network).
// Writes one JSON line per job:
//   {"verified": bool, "statuses": [{"purpose": "...", "set": bool}], "error": "..."}
// "verified": the credential's proof and every status list (signature, issuer) check out;
// "set": that status bit is on (revoked / suspended).
// The status lists' own signatures are verified (eddsa-rdfc-2022) and their
// issuer must match the credential's.
import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import jsigs from 'jsonld-signatures';

const contextFiles = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function loaderFor(documents) {
  return async url => {
    if (contextFiles[url]) {
      const document = JSON.parse(readFileSync(contextFiles[url], 'utf8'));
      return {contextUrl: null, documentUrl: url, document};
    }
    const [base, fragment] = url.split('#');
    const doc = documents[base];
    if (!doc) throw new Error(`refusing to load ${url}`);
    if (fragment && (doc.verificationMethod || []).length) {
      const method = doc.verificationMethod.find(m => m.id === url);
      if (!method) throw new Error(`no verification method ${url}`);
      return {contextUrl: null, documentUrl: url,
        document: {'@context': doc['@context'], ...method}};
    }
    return {contextUrl: null, documentUrl: url, document: doc};
  };
}

const suite = new DataIntegrityProof({cryptosuite});
const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
for await (const line of lines) {
  if (!line.trim()) continue;
  const job = JSON.parse(line);
  const documentLoader = loaderFor(job.documents);
  const result = await vc.verifyCredential({
    credential: job.credential, suite, documentLoader,
    purpose: new jsigs.purposes.AssertionProofPurpose(),
    checkStatus: options => checkStatus({
      ...options, suite, verifyBitstringStatusListCredential: true,
      verifyMatchingIssuers: true,
    }),
  });
  const statusResult = result.statusResult || {};
  const statuses = (statusResult.results || []).map(r => ({
    purpose: r.credentialStatus.statusPurpose, set: r.status === true || r.status === 1,
  }));
  const failure = result.error || statusResult.error ||
    (result.results || []).map(r => r.error).find(Boolean);
  const error = failure ? String(failure.message || failure) : undefined;
  // one entry per proof (a proof set counts as verified when any proof is)
  const proofs = (result.results || []).map(r => r.verified === true);
  console.log(JSON.stringify({verified: result.verified, statuses, error, proofs}));
}
