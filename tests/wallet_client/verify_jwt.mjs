// Independent check of a VC-JWT with jose: the signature against the issuer's
// published JWK Set (fetched over loopback), and the payload's claims.
// Usage: node verify_jwt.mjs <jwks-url>  (the compact JWT on stdin)
import * as jose from 'jose';

const [jwksUrl] = process.argv.slice(2);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const token = Buffer.concat(chunks).toString('utf8').trim();
try {
  const {payload, protectedHeader} = await jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(jwksUrl)),
    {algorithms: ['EdDSA']});
  console.log(JSON.stringify({verified: true, header: protectedHeader, payload}));
} catch (error) {
  console.log(JSON.stringify({verified: false, error: String(error && (error.message || error))}));
  process.exit(1);
}
