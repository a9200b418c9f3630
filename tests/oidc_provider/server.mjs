// A real OpenID Provider on loopback for the sign-in tests and the demo:
// panva's certified oidc-provider with one confidential client, PKCE required,
// and a minimal sign-in page where the test (or the person trying the demo)
// says who signs in and which claims the provider vouches for.
//
// Configured from the environment:
//   OIDC_PORT            port on 127.0.0.1 (0 or unset: a free one)
//   OIDC_CLIENT_ID       the client (Skillspas)
//   OIDC_CLIENT_SECRET
//   OIDC_REDIRECT_URIS   space-separated callback URLs of that client
//   OIDC_DEFAULT_SUB, OIDC_DEFAULT_EMAIL, OIDC_DEFAULT_NAME, OIDC_DEFAULT_SCHAC
//                        what the sign-in page suggests (the demo teacher)
// Prints one JSON line {"issuer": "..."} on stdout once it listens.
//
// Test-only switches on the sign-in page: "tamper_nonce" makes the provider put a
// different nonce in the ID token, "tamper_state" sends the browser back with a
// different state, so the client's checks of both can be tested.
import http from 'node:http';

import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const env = process.env;
const accounts = new Map(); // sub -> { claims, tamperNonce }

class Adapter extends MemoryAdapter {
  async upsert(id, payload, expiresIn) {
    if (this.model === 'AuthorizationCode' && accounts.get(payload.accountId)?.tamperNonce) {
      payload.nonce = `tampered-${payload.nonce}`;
    }
    return super.upsert(id, payload, expiresIn);
  }
}

const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signInPage(uid, clientId) {
  const field = (name, label, value) => `<p><label for="${name}">${label}</label><br>
    <input id="${name}" name="${name}" value="${escape(value)}"></p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test OpenID Provider</title></head><body><main>
<h1>Test OpenID Provider</h1><p>Sign in to ${escape(clientId)} as:</p>
<form method="post" action="/interaction/${escape(uid)}/login">
${field('sub', 'Subject', env.OIDC_DEFAULT_SUB || '')}
${field('email', 'Email', env.OIDC_DEFAULT_EMAIL || '')}
${field('name', 'Name', env.OIDC_DEFAULT_NAME || '')}
${field('schac_home_organization', 'Home organisation', env.OIDC_DEFAULT_SCHAC || '')}
<p><input type="checkbox" id="email_verified" name="email_verified" value="1" checked>
<label for="email_verified">Email verified</label></p>
<p><input type="checkbox" id="tamper_nonce" name="tamper_nonce" value="1">
<label for="tamper_nonce">Tamper with the nonce (test)</label></p>
<p><input type="checkbox" id="tamper_state" name="tamper_state" value="1">
<label for="tamper_state">Tamper with the state (test)</label></p>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${escape(uid)}/deny"><button type="submit">Deny</button></form>
</main></body></html>`;
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(body))));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(Number(env.OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    adapter: Adapter,
    clients: [{
      client_id: env.OIDC_CLIENT_ID || 'skillspas',
      client_secret: env.OIDC_CLIENT_SECRET || 'skillspas-secret',
      redirect_uris: (env.OIDC_REDIRECT_URIS || '').split(/\s+/).filter(Boolean),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'schac_home_organization'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
    // No consent screen: the test client gets what it asks for.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  // Rewrites the state on the way back to the client for an account that asked for it.
  provider.use(async (ctx, next) => {
    await next();
    const accountId = ctx.oidc?.session?.accountId;
    const location = ctx.response.get('Location');
    if (!location || !accountId || !accounts.get(accountId)?.tamperState) return;
    const url = new URL(location, issuer);
    if (url.origin === issuer || !url.searchParams.has('state')) return;
    url.searchParams.set('state', `tampered-${url.searchParams.get('state')}`);
    ctx.redirect(url.href);
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login|\/deny)?$/);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET' && !match[2]) {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(signInPage(details.uid, details.params.client_id));
      }
      if (req.method === 'POST' && match[2] === '/deny') {
        return provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'The user did not sign in',
        }, { mergeWithLastSubmission: false });
      }
      if (req.method === 'POST' && match[2] === '/login') {
        const form = await readForm(req);
        const claims = {
          email: form.email || undefined,
          email_verified: form.email_verified === '1',
          name: form.name || undefined,
          schac_home_organization: form.schac_home_organization || undefined,
        };
        accounts.set(form.sub, {
          claims, tamperNonce: form.tamper_nonce === '1', tamperState: form.tamper_state === '1',
        });
        return provider.interactionFinished(req, res, { login: { accountId: form.sub } });
      }
      res.statusCode = 405;
      return res.end();
    } catch (err) {
      res.statusCode = 400;
      return res.end(String(err));
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
