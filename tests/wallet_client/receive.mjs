// An independent wallet: Sphereon's OpenID4VCI client takes a credential offer
// from Skillspas through the pre-authorized code flow and receives the credential.
// Usage: node receive.mjs <offer-uri> <tx-code> <ldp_vc|jwt_vc_json> <did:key|jwk>
// Prints {"ok": true, "credential": ..., "holder": "did:..."} or {"ok": false, "error": "..."}.
import Debug from 'debug';
import * as jose from 'jose';
import {base58btc} from 'multiformats/bases/base58';
import {OpenID4VCIClient} from '@sphereon/oid4vci-client';

const [uri, txCode, format, binding] = process.argv.slice(2);

// The library reports the issuer's error object only through its debug log: keep it for our answer.
const log = [];
Debug.log = (...args) => log.push(args.join(' '));
Debug.enable('sphereon:*');

const {publicKey, privateKey} = await jose.generateKeyPair('EdDSA', {crv: 'Ed25519'});
const jwk = await jose.exportJWK(publicKey);
const raw = Buffer.from(jwk.x, 'base64url');
const didKey = 'did:key:' + base58btc.encode(Uint8Array.from([0xed, 0x01, ...raw]));
const kid = binding === 'did:key' ? `${didKey}#${didKey.slice('did:key:'.length)}` : undefined;

async function signCallback(jwt) {
  // the library builds header (typ openid4vci-proof+jwt, kid or jwk) and payload (aud, iat, nonce)
  return new jose.SignJWT(jwt.payload).setProtectedHeader({...jwt.header, alg: 'EdDSA'}).sign(privateKey);
}

try {
  const client = await OpenID4VCIClient.fromURI({
    uri, resolveOfferUri: true, retrieveServerMetadata: true, clientId: 'skillspas-test-wallet'});
  await client.acquireAccessToken({pin: txCode});
  const response = await client.acquireCredentials({
    credentialTypes: ['VerifiableCredential', 'OpenBadgeCredential'],
    context: format === 'ldp_vc' ? ['https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'] : undefined,
    format, alg: 'EdDSA', kid, jwk: binding === 'jwk' ? jwk : undefined,
    proofCallbacks: {signCallback},
  });
  console.log(JSON.stringify({ok: true, credential: response.credential, format: response.format,
    holder: binding === 'did:key' ? didKey : 'did:jwk:' + Buffer.from(JSON.stringify(
      {crv: jwk.crv, kty: jwk.kty, x: jwk.x})).toString('base64url')}));
} catch (error) {
  const said = log.filter(line => /error/i.test(line)).join('\n');
  console.log(JSON.stringify({ok: false, error: `${error && (error.message || error)}\n${said}`}));
  process.exit(1);
}
