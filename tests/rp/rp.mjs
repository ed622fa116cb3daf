// An independent relying party for the test suite: panva's certified openid-client, driven
// over stdin/stdout so the pytest tests can script it against the running pocket-op.
//
// Protocol: one JSON command per line on stdin ({"op": "...", ...}); one JSON result per
// line on stdout, in order. A failure is {"error": <error class name>, "message": ...,
// "code": ..., "oauth": {error, error_description, status}, "cause": {...}}. State kept
// between commands: named Configurations ("client", default "default") and named ES256 keys.
//
// The only relaxation of openid-client's checks is `allowInsecureRequests`, because the test
// issuer is plain http on loopback; everything else (issuer, id_token signature, at_hash,
// nonce, state, RFC 9207 `iss`, PKCE) is checked exactly as in production.
import { createInterface } from 'node:readline';

import * as client from 'openid-client';

const configs = new Map();
const keys = new Map();
const options = { execute: [client.allowInsecureRequests] };

function config(name = 'default') {
  const found = configs.get(name);
  if (!found) throw new Error(`no configuration named ${name}; run discover or register first`);
  return found;
}

async function clientAuth(auth = {}) {
  switch (auth.method ?? 'none') {
    case 'none':
      return client.None();
    case 'client_secret_basic':
      return client.ClientSecretBasic(auth.secret);
    case 'client_secret_post':
      return client.ClientSecretPost(auth.secret);
    case 'private_key_jwt': {
      const key = keys.get(auth.key);
      if (!key) throw new Error(`no key named ${auth.key}; run generate_key first`);
      return client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
    }
    default:
      throw new Error(`unknown client authentication method ${auth.method}`);
  }
}

// What the token endpoint returned, plus the validated ID token claims (if any).
function tokenResult(tokens) {
  return { tokens: { ...tokens }, claims: tokens.claims() ?? null };
}

const ops = {
  // {issuer, client_id, metadata?, auth?, algorithm?, client?} -> the server metadata
  // openid-client kept. algorithm "oidc" (default) reads /.well-known/openid-configuration,
  // "oauth2" reads RFC 8414's /.well-known/oauth-authorization-server.
  async discover({ issuer, client_id, metadata, auth, algorithm, client: name }) {
    const found = await client.discovery(
      new URL(issuer), client_id, metadata, await clientAuth(auth), { ...options, algorithm });
    configs.set(name ?? 'default', found);
    return { server_metadata: found.serverMetadata(), client_metadata: found.clientMetadata() };
  },

  // {name?} -> the public JWK of a new ES256 key pair kept under `name`.
  async generate_key({ name = 'default' }) {
    const pair = await crypto.subtle.generateKey(
      { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const kid = `rp-${name}-${client.randomState().slice(0, 8)}`;
    keys.set(name, { privateKey: pair.privateKey, kid });
    return { jwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' } };
  },

  // {redirect_uri, scope, params?, client?} -> the URL and the PKCE verifier, state and nonce
  // generated with openid-client's helpers.
  async authorization_url({ redirect_uri, scope, params, client: name }) {
    const code_verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config(name), {
      redirect_uri, scope, state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(code_verifier),
      code_challenge_method: 'S256',
      ...params,
    });
    return { url: url.href, code_verifier, state, nonce };
  },

  // {callback_url, code_verifier, state, nonce, client?} -> tokens and ID token claims.
  async code_grant({ callback_url, code_verifier, state, nonce, client: name }) {
    const tokens = await client.authorizationCodeGrant(config(name), new URL(callback_url), {
      pkceCodeVerifier: code_verifier, expectedState: state, expectedNonce: nonce,
      idTokenExpected: true,
    });
    return tokenResult(tokens);
  },

  async refresh({ refresh_token, client: name }) {
    return tokenResult(await client.refreshTokenGrant(config(name), refresh_token));
  },

  async userinfo({ access_token, sub, client: name }) {
    return { userinfo: await client.fetchUserInfo(config(name), access_token, sub) };
  },

  async client_credentials({ scope, client: name }) {
    const parameters = scope ? { scope } : {};
    return { tokens: { ...(await client.clientCredentialsGrant(config(name), parameters)) } };
  },

  // {issuer, metadata, auth?, client?} -> the registered client's metadata (RFC 7591 §3.2.1).
  async register({ issuer, metadata, auth, client: name }) {
    const registered = await client.dynamicClientRegistration(
      new URL(issuer), metadata, await clientAuth(auth), options);
    configs.set(name ?? 'default', registered);
    return { client_metadata: registered.clientMetadata() };
  },
};

function describe(error) {
  if (!(error instanceof Error)) return { error: 'Error', message: String(error) };
  const result = { error: error.name, message: error.message };
  if (error.code) result.code = error.code;
  if (typeof error.error === 'string') {
    result.oauth = {
      error: error.error, error_description: error.error_description, status: error.status,
    };
  }
  if (error.cause instanceof Error) result.cause = describe(error.cause);
  return result;
}

async function run(line) {
  let command;
  try {
    command = JSON.parse(line);
    const op = ops[command.op];
    if (!op) throw new Error(`unknown op ${command.op}`);
    return await op(command);
  } catch (error) {
    return describe(error);
  }
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  process.stdout.write(`${JSON.stringify(await run(line))}\n`);
}
