// panva's oidc-provider configured as the peer of benchmarks/peer.py: one client_credentials
// client issuing RS256 JWT access tokens (RFC 9068, through resource indicators), one
// issuing opaque tokens (what introspection can read: the peer refuses to introspect JWTs),
// and one public code-flow client with PKCE. devInteractions signs in whoever is named at its
// login form and remembers the consent, so later code flows ride the SSO session (the
// code-flow client is of application_type web: the peer prompts native clients every time).
//
//   node server.mjs [PORT]   (0 or nothing: a free port)
//
// The secrets come from the environment (PEER_CC_SECRET, PEER_OPAQUE_SECRET). Once ready it
// prints exactly one line "peer listening on http://127.0.0.1:PORT"; SIGTERM stops it.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const HOST = '127.0.0.1';
const REDIRECT_URI = 'http://127.0.0.1:8765/callback';
const JWT_RESOURCE = 'urn:pocket-op:bench:jwt';
const OPAQUE_RESOURCE = 'urn:pocket-op:bench:opaque';
const RESOURCE_OF = { 'bench-cc': JWT_RESOURCE, 'bench-opaque': OPAQUE_RESOURCE };

// The same claims as pocket-op's demo user alice (app/seed.py), so userinfo answers alike.
const ALICE = {
  name: 'Alice Adams', given_name: 'Alice', family_name: 'Adams', middle_name: 'Ann',
  nickname: 'ali', preferred_username: 'alice', profile: 'http://localhost/alice',
  picture: 'http://localhost/alice.png', website: 'http://localhost/alice/blog',
  gender: 'female', birthdate: '1990-04-01', zoneinfo: 'Europe/Paris', locale: 'en-US',
  email: 'alice@example.com', email_verified: true,
};

function rsaSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'rs256-1', use: 'sig', alg: 'RS256' };
}

function secret(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function configuration() {
  return {
    clients: [
      {
        client_id: 'bench-cc', client_secret: secret('PEER_CC_SECRET'),
        grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic', scope: 'api.read api.write',
      },
      {
        client_id: 'bench-opaque', client_secret: secret('PEER_OPAQUE_SECRET'),
        grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic', scope: 'api.read api.write',
      },
      {
        client_id: 'bench-spa', application_type: 'web', token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'], response_types: ['code'],
        redirect_uris: [REDIRECT_URI],
      },
    ],
    jwks: { keys: [rsaSigningKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'middle_name', 'nickname',
        'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate',
        'zoneinfo', 'locale'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access', 'api.read', 'api.write'],
    findAccount: async (ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, ...ALICE }),
    }),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, client, oneOf) => oneOf ?? RESOURCE_OF[client.clientId],
        useGrantedResource: async () => false,
        getResourceServerInfo: async (ctx, resource) => ({
          scope: 'api.read api.write',
          audience: resource,
          accessTokenTTL: 3600,
          accessTokenFormat: resource === JWT_RESOURCE ? 'jwt' : 'opaque',
          ...(resource === JWT_RESOURCE ? { jwt: { sign: { alg: 'RS256' } } } : {}),
        }),
      },
    },
  };
}

function listen(port) {
  const server = createServer();
  server.listen(port, HOST, () => {
    const { port: bound } = server.address();
    const issuer = `http://${HOST}:${bound}`;
    const provider = new Provider(issuer, configuration());
    server.on('request', provider.callback());
    process.stdout.write(`peer listening on ${issuer}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('SIGINT', () => server.close(() => process.exit(0)));
}

listen(Number(process.argv[2] ?? 0));
