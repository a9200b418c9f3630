// Sign credentials with Digital Bazaar's eddsa-rdfc-2022 cryptosuite, so the
// Python engine can be checked against signatures it did not make itself.
// Usage: node sign.mjs <contexts-map.json>
// Reads one JSON line per credential on stdin:
//   {"credential": {...}, "publicKeyMultibase": "z6Mk…", "secretKeyMultibase": "z3u2…",
//    "verificationMethod": "…", "created": "2025-07-01T00:00:00Z",
//    "suite": "eddsa-rdfc-2022" (default) or "Ed25519Signature2020" (the legacy proof type)}
// and writes one JSON line per input: {"signed": {...}} or {"error": "..."}.
import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import jsigs from 'jsonld-signatures';

const contextFiles = JSON.parse(readFileSync(process.argv[2], 'utf8'));

async function documentLoader(url) {
  if (!contextFiles[url]) throw new Error(`refusing to load ${url}`);
  const document = JSON.parse(readFileSync(contextFiles[url], 'utf8'));
  return {contextUrl: null, documentUrl: url, document};
}

async function sign(job) {
  const key = await Ed25519Multikey.from({
    publicKeyMultibase: job.publicKeyMultibase,
    secretKeyMultibase: job.secretKeyMultibase,
    id: job.verificationMethod,
    controller: job.verificationMethod.split('#')[0],
  });
  const signer = key.signer();
  const suite = job.suite === 'Ed25519Signature2020'
    ? new Ed25519Signature2020({signer, date: job.created})
    : new DataIntegrityProof({signer, cryptosuite, date: job.created});
  return jsigs.sign(job.credential, {
    suite, documentLoader, purpose: new jsigs.purposes.AssertionProofPurpose(),
  });
}

const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    answer = {signed: await sign(JSON.parse(line))};
  } catch (e) {
    answer = {error: String(e && (e.message || e))};
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
