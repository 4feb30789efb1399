// The servers the differential suite talks to: node-oidc-provider (the
// version package.json pins), one instance per series, each on an ephemeral
// port of 127.0.0.1. Prints one JSON line {"ports": {series: port}, ...} on
// stdout when all listen, then serves until it is killed (run.sh's trap), or
// after a hard deadline.
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

export const CLIENT_ID = 'diff-client';
export const CLIENT_SECRET = 'diff-client-secret-0123456789abcdef';

// The series: what each changes from the provider's defaults.
const SERIES = {
  default: {},
  nonce: { nonceSecret: randomBytes(32), requireNonce: () => true },
  algs: { algs: ['ES384', 'PS256', 'Ed25519'] },
};

function provider(port, s) {
  const issuer = `http://127.0.0.1:${port}`;
  const conf = {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      dPoP: {
        enabled: true,
        ...(s.nonceSecret ? { nonceSecret: s.nonceSecret, requireNonce: s.requireNonce } : {}),
      },
    },
    ...(s.algs ? { enabledJWA: { dPoPSigningAlgValues: s.algs } } : {}),
  };
  const p = new Provider(issuer, conf);
  // Quiet: the suite reads verdicts from the HTTP answers.
  p.on('server_error', (ctx, err) => { process.stderr.write(`server_error: ${err?.message}\n`); });
  return p;
}

// Ephemeral ports: listen on 0 first, then build the provider for the port.
import { createServer } from 'node:http';

async function listen(name, s) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const p = provider(port, s);
  server.on('request', p.callback());
  return [name, port, server];
}

const started = await Promise.all(Object.entries(SERIES).map(([n, s]) => listen(n, s)));
const ports = Object.fromEntries(started.map(([n, port]) => [n, port]));
process.stdout.write(`${JSON.stringify({ ports, algs: SERIES.algs.algs })}\n`);

function stop() {
  for (const [, , server] of started) server.close();
  server_deadline.unref();
  process.exit(0);
}
// Never outlive the suite: 10 minutes at most, whatever happens.
const server_deadline = setTimeout(stop, 10 * 60 * 1000);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
