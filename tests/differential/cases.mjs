// The cases of the differential suite: each is one change away from a valid
// token request with a DPoP proof, and names what it changes. A case's
// make(env) returns what to send: the DPoP header values (usually one
// proof), and whether its verdict depends on the exact second (then the
// suite resends it until the server's second is the one it was made for).
import {
  enc, flipBit, highS, jti, padded, proof, spareBits,
} from './proof.mjs';

/** Every JWS algorithm name a proof may carry: the JWA registry, RFC 9864, and oddities. */
const ALGS = [
  'ES256', 'ES384', 'ES512', 'ES256K', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'EdDSA', 'Ed25519', 'Ed448', 'HS256', 'HS384', 'HS512', 'none', 'None', 'NONE', 'es256',
  'ML-DSA-44', 'RSA-OAEP', 'dir', '',
];

/** The key each algorithm signs with (an unknown one signs as ES256 with P-256). */
function keyFor(alg, keys) {
  if (alg === 'ES384') return ['p384', keys.p384];
  if (alg === 'ES512') return ['p521', keys.p521];
  if (alg === 'ES256K') return ['k256', keys.k256];
  if (/^(RS|PS)/.test(alg)) return ['rsa', keys.rsa];
  if (alg === 'EdDSA' || alg === 'Ed25519') return ['ed25519', keys.ed25519];
  if (alg === 'Ed448') return ['ed448', keys.ed448];
  if (/^HS/.test(alg)) return ['hmac', keys.hmac];
  return ['p256', keys.p256];
}

/** The valid header and payload for `env`, changed by `h` and `p`. */
export function parts(env, h = {}, p = {}) {
  const header = { typ: 'dpop+jwt', alg: env.baseAlg, jwk: env.keys[env.baseKey].jwk, ...h };
  const payload = {
    jti: jti(), htm: 'POST', htu: env.T, iat: env.now, ...(env.nonce ? { nonce: env.nonce } : {}), ...p,
  };
  return { header, payload };
}

/** A proof from the valid one with these header and payload changes. */
function signed(env, h = {}, p = {}, opts = {}) {
  const { header, payload } = parts(env, h, p);
  return proof({ header, payload, key: env.keys[env.baseKey], ...opts });
}

/** A case: id, the rules or server distinction it aims at, and its maker. */
const c = (id, aims, make, extra = {}) => ({ id, aims, make, ...extra });
/** A case whose whole change is in the header or payload. */
const hdr = (id, aims, h, extra) => c(id, aims, (env) => ({ dpop: [signed(env, h)] }), extra);
const pay = (id, aims, p, extra) => c(id, aims, (env) => ({ dpop: [signed(env, {}, p)] }), extra);
/** A case whose payload depends on the clock. */
const payAt = (id, aims, f, extra) => c(id, aims, (env) => ({ dpop: [signed(env, {}, f(env))] }), extra);

function valid() {
  return [
    c('valid/es256', ['valid'], (env) => ({ dpop: [signed(env)] })),
    c('valid/es256-again', ['valid'], (env) => ({ dpop: [signed(env)] })),
  ];
}

function algCases() {
  const out = [];
  for (const alg of ALGS) {
    out.push(c(`alg/${alg || 'empty'}`, ['dpop/alg-not-allowed', 'dpop/alg-none', 'dpop/alg-symmetric'], (env) => {
      const [name, key] = keyFor(alg, env.keys);
      const jwk = name === 'hmac' ? { kty: 'oct', k: key.secret.toString('base64url') } : key.jwk;
      const { header, payload } = parts(env, { alg, jwk });
      return { dpop: [proof({ header, payload, key, alg })] };
    }));
  }
  // An alg of the wrong JSON type, a missing one, `none` with no signature.
  out.push(hdr('alg/missing', ['dpop/alg-not-allowed'], { alg: undefined }));
  out.push(hdr('alg/number', ['dpop/alg-not-allowed'], { alg: 256 }));
  out.push(c('alg/none-unsigned', ['dpop/alg-none'], (env) => {
    const { header, payload } = parts(env, { alg: 'none' });
    return { dpop: [`${enc(JSON.stringify(header))}.${enc(JSON.stringify(payload))}.`] };
  }));
  // A HS256 proof whose jwk is the EC public key (key confusion).
  out.push(c('alg/hs256-with-ec-jwk', ['dpop/alg-symmetric'], (env) => {
    const { header, payload } = parts(env, { alg: 'HS256' });
    return { dpop: [proof({ header, payload, key: env.keys.hmac, alg: 'HS256' })] };
  }));
  return out;
}

function typCases() {
  const values = [
    ['missing', undefined], ['jwt', 'jwt'], ['upper', 'DPoP+JWT'], ['media-type', 'application/dpop+jwt'],
    ['media-type-upper', 'Application/DPoP+JWT'], ['swapped', 'jwt+dpop'], ['number', 42], ['empty', ''],
    ['trailing-space', 'dpop+jwt '], ['other-media-type', 'text/dpop+jwt'], ['application-jwt', 'application/jwt'],
    ['at-jwt', 'at+jwt'], ['null', null], ['dpop', 'dpop'],
  ];
  return values.map(([n, v]) => hdr(`typ/${n}`, ['dpop/typ', 'dpop/typ-noncanonical'], { typ: v }));
}

function jwkCases() {
  const out = [];
  const k = (env) => env.keys.p256.jwk;
  const jh = (id, aims, f) => c(`jwk/${id}`, aims, (env) => ({ dpop: [signed(env, { jwk: f(env) })] }));
  out.push(hdr('jwk/missing', ['dpop/jwk-missing'], { jwk: undefined }));
  out.push(jh('string', ['dpop/jwk-missing'], (env) => JSON.stringify(k(env))));
  out.push(jh('array', ['dpop/jwk-missing'], (env) => [k(env)]));
  out.push(jh('jwks', ['dpop/jwk-missing'], (env) => ({ keys: [k(env)] })));
  out.push(jh('private-ec', ['dpop/jwk-private'], (env) => env.keys.p256.privateJwk));
  out.push(jh('private-d-empty', ['dpop/jwk-private'], (env) => ({ ...k(env), d: '' })));
  out.push(jh('wrong-kty', ['dpop/jwk-alg-mismatch'], (env) => env.keys.rsa.jwk));
  out.push(jh('wrong-crv-p384', ['dpop/jwk-alg-mismatch'], (env) => env.keys.p384.jwk));
  out.push(jh('crv-name-typo', ['dpop/jwk-invalid', 'dpop/jwk-alg-mismatch'], (env) => ({ ...k(env), crv: 'P256' })));
  out.push(jh('kty-lowercase', ['dpop/jwk-invalid', 'dpop/jwk-alg-mismatch'], (env) => ({ ...k(env), kty: 'ec' })));
  out.push(jh('no-y', ['dpop/jwk-invalid'], (env) => ({ ...k(env), y: undefined })));
  out.push(jh('off-curve', ['dpop/jwk-invalid'], (env) => {
    const y = Buffer.from(k(env).y, 'base64url');
    return { ...k(env), y: flipBit(y, -1).toString('base64url') };
  }));
  out.push(jh('x-33-bytes', ['dpop/jwk-invalid'], (env) => {
    const x = Buffer.from(k(env).x, 'base64url');
    return { ...k(env), x: Buffer.concat([Buffer.from([0]), x]).toString('base64url') };
  }));
  out.push(jh('x-31-bytes', ['dpop/jwk-invalid'], (env) => {
    const x = Buffer.from(k(env).x, 'base64url');
    return { ...k(env), x: x.subarray(1).toString('base64url') };
  }));
  out.push(jh('x-padded', ['dpop/jwk-invalid'], (env) => ({ ...k(env), x: `${k(env).x}=` })));
  out.push(jh('x-standard-alphabet', ['dpop/jwk-invalid'], (env) => ({
    ...k(env), x: Buffer.from(k(env).x, 'base64url').toString('base64').replace(/=+$/, ''),
  })));
  out.push(jh('key-ops-verify', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: ['verify'] })));
  out.push(jh('key-ops-sign', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: ['sign'] })));
  out.push(jh('key-ops-sign-verify', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: ['sign', 'verify'] })));
  out.push(jh('key-ops-empty', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: [] })));
  out.push(jh('key-ops-duplicate', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: ['verify', 'verify'] })));
  out.push(jh('key-ops-string', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: 'verify' })));
  out.push(jh('key-ops-encrypt', ['dpop/jwk-invalid'], (env) => ({ ...k(env), key_ops: ['encrypt'] })));
  out.push(jh('use-sig', ['dpop/jwk-alg-mismatch'], (env) => ({ ...k(env), use: 'sig' })));
  out.push(jh('use-enc', ['dpop/jwk-alg-mismatch'], (env) => ({ ...k(env), use: 'enc' })));
  out.push(jh('alg-es256', ['dpop/jwk-alg-mismatch'], (env) => ({ ...k(env), alg: 'ES256' })));
  out.push(jh('alg-es384', ['dpop/jwk-alg-mismatch'], (env) => ({ ...k(env), alg: 'ES384' })));
  out.push(jh('ext-false', ['dpop/jwk-invalid'], (env) => ({ ...k(env), ext: false })));
  out.push(jh('ext-string', ['dpop/jwk-invalid'], (env) => ({ ...k(env), ext: 'true' })));
  out.push(jh('kid-inside', ['valid'], (env) => ({ ...k(env), kid: 'key-1' })));
  out.push(jh('oct', ['dpop/jwk-private'], (env) => ({ kty: 'oct', k: env.keys.hmac.secret.toString('base64url') })));
  out.push(c('jwk/private-rsa', ['dpop/jwk-private'], (env) => {
    const { header, payload } = parts(env, { alg: 'RS256', jwk: env.keys.rsa.privateJwk });
    return { dpop: [proof({ header, payload, key: env.keys.rsa, alg: 'RS256' })] };
  }));
  out.push(c('jwk/eddsa-ed448', ['dpop/jwk-alg-mismatch', 'dpop/jwk-invalid'], (env) => {
    const { header, payload } = parts(env, { alg: 'EdDSA', jwk: env.keys.ed448.jwk });
    return { dpop: [proof({ header, payload, key: env.keys.ed448, alg: 'EdDSA' })] };
  }));
  out.push(c('jwk/ed25519-alg-eddsa-in-jwk', ['dpop/jwk-alg-mismatch'], (env) => {
    const { header, payload } = parts(env, { alg: 'Ed25519', jwk: { ...env.keys.ed25519.jwk, alg: 'EdDSA' } });
    return { dpop: [proof({ header, payload, key: env.keys.ed25519, alg: 'Ed25519' })] };
  }));
  out.push(c('jwk/private-ed25519', ['dpop/jwk-private'], (env) => {
    const { header, payload } = parts(env, { alg: 'Ed25519', jwk: env.keys.ed25519.privateJwk });
    return { dpop: [proof({ header, payload, key: env.keys.ed25519, alg: 'Ed25519' })] };
  }));
  // Key references besides jwk.
  out.push(hdr('key-ref/kid', ['dpop/key-reference'], { kid: 'key-1' }));
  out.push(hdr('key-ref/jku', ['dpop/key-reference'], { jku: 'https://attacker.example/jwks' }));
  out.push(hdr('key-ref/x5u', ['dpop/key-reference'], { x5u: 'https://attacker.example/cert' }));
  out.push(hdr('key-ref/x5c', ['dpop/key-reference'], { x5c: ['MIIB'] }));
  return out;
}

function signatureCases() {
  const s = (id, opts) => c(`sig/${id}`, ['dpop/signature'], (env) => ({ dpop: [signed(env, {}, {}, opts)] }));
  return [
    s('flip-first', { signature: (b) => flipBit(b, 0) }),
    s('flip-last', { signature: (b) => flipBit(b, -1, 7) }),
    s('flip-middle', { signature: (b) => flipBit(b, 32, 3) }),
    s('der', { der: true }),
    s('truncated-63', { signature: (b) => b.subarray(0, 63) }),
    s('truncated-32', { signature: (b) => b.subarray(0, 32) }),
    s('extra-byte', { signature: (b) => Buffer.concat([b, Buffer.from([0])]) }),
    s('zeros', { signature: (b) => Buffer.alloc(b.length) }),
    s('high-s', { signature: highS }),
    s('empty', { sigText: () => '' }),
    c('sig/other-key', ['dpop/signature'], (env) => ({ dpop: [signed(env, {}, {}, { key: env.keys.p256b })] })),
    c('sig/payload-changed', ['dpop/signature'], (env) => {
      const good = signed(env);
      const [h, , sig] = good.split('.');
      const { payload } = parts(env, {}, { htm: 'POST ' });
      return { dpop: [`${h}.${enc(JSON.stringify(payload))}.${sig}`] };
    }),
  ];
}

function htmCases() {
  return [
    ['get', 'GET'], ['lower', 'post'], ['put', 'PUT'], ['missing', undefined], ['number', 1], ['empty', ''],
    ['trailing-space', 'POST '], ['null', null],
  ].map(([n, v]) => pay(`htm/${n}`, ['dpop/htm-mismatch', 'dpop/claim-missing'], { htm: v }));
}

function htuCases() {
  // Each function gets the port and returns the htu claim.
  const forms = [
    ['exact', (p) => `http://127.0.0.1:${p}/token`],
    ['trailing-slash', (p) => `http://127.0.0.1:${p}/token/`],
    ['query', (p) => `http://127.0.0.1:${p}/token?x=1`],
    ['fragment', (p) => `http://127.0.0.1:${p}/token#f`],
    ['empty-query', (p) => `http://127.0.0.1:${p}/token?`],
    ['query-and-fragment', (p) => `http://127.0.0.1:${p}/token?a=b#c`],
    ['scheme-upper', (p) => `HTTP://127.0.0.1:${p}/token`],
    ['path-upper', (p) => `http://127.0.0.1:${p}/TOKEN`],
    ['https', (p) => `https://127.0.0.1:${p}/token`],
    ['other-port', (p) => `http://127.0.0.1:${p + 1}/token`],
    ['port-leading-zero', (p) => `http://127.0.0.1:0${p}/token`],
    ['no-port', () => 'http://127.0.0.1/token'],
    ['localhost', (p) => `http://localhost:${p}/token`],
    ['no-path', (p) => `http://127.0.0.1:${p}`],
    ['pct-unreserved-t', (p) => `http://127.0.0.1:${p}/%74oken`],
    ['pct-unreserved-e', (p) => `http://127.0.0.1:${p}/tok%65n`],
    ['pct-lower-hex', (p) => `http://127.0.0.1:${p}/tok%65n`],
    ['pct-slash', (p) => `http://127.0.0.1:${p}/%2Ftoken`],
    ['dot-segment', (p) => `http://127.0.0.1:${p}/./token`],
    ['dot-dot-segment', (p) => `http://127.0.0.1:${p}/a/../token`],
    ['pct-dot-segment', (p) => `http://127.0.0.1:${p}/%2e/token`],
    ['no-slashes', (p) => `http:127.0.0.1:${p}/token`],
    ['one-slash', (p) => `http:/127.0.0.1:${p}/token`],
    ['three-slashes', (p) => `http:///127.0.0.1:${p}/token`],
    ['backslashes', (p) => `http:\\\\127.0.0.1:${p}\\token`],
    ['surrounding-space', (p) => ` http://127.0.0.1:${p}/token `],
    ['tab-inside', (p) => `http://127.0.0.1:${p}/to\tken`],
    ['newline-inside', (p) => `http://127.0.0.1:${p}/tok\nen`],
    ['host-trailing-dot', (p) => `http://127.0.0.1.:${p}/token`],
    ['host-hex', (p) => `http://0x7f.0.0.1:${p}/token`],
    ['host-integer', (p) => `http://2130706433:${p}/token`],
    ['host-short', (p) => `http://127.1:${p}/token`],
    ['host-ipv6', (p) => `http://[::1]:${p}/token`],
    ['userinfo', (p) => `http://user@127.0.0.1:${p}/token`],
    ['empty-userinfo', (p) => `http://@127.0.0.1:${p}/token`],
    ['empty-port', () => 'http://127.0.0.1:/token'],
    ['double-slash-path', (p) => `http://127.0.0.1:${p}//token`],
    ['relative', () => '/token'],
    ['urn', () => 'urn:example:token'],
    ['no-scheme', (p) => `127.0.0.1:${p}/token`],
    ['space-in-path', (p) => `http://127.0.0.1:${p}/tok en`],
    ['unicode-path', (p) => `http://127.0.0.1:${p}/tökén`],
    ['empty', () => ''],
  ];
  const out = forms.map(([n, f]) => c(`htu/${n}`, ['dpop/htu-mismatch', 'dpop/htu-invalid', 'dpop/htu-query', 'dpop/htu-not-normalized'],
    (env) => ({ dpop: [signed(env, {}, { htu: f(env.port) })] })));
  out.push(pay('htu/missing', ['dpop/claim-missing'], { htu: undefined }));
  out.push(pay('htu/number', ['dpop/claim-missing'], { htu: 1 }));
  out.push(pay('htu/null', ['dpop/claim-missing'], { htu: null }));
  return out;
}

function iatCases() {
  const at = (id, f, boundary = true) => payAt(`iat/${id}`, ['dpop/iat-out-of-window', 'dpop/iat-fractional', 'dpop/claim-missing'], f, { boundary });
  return [
    at('now', (e) => ({ iat: e.now })),
    at('minus-300', (e) => ({ iat: e.now - 300 })),
    at('minus-301', (e) => ({ iat: e.now - 301 })),
    at('plus-300', (e) => ({ iat: e.now + 300 })),
    at('plus-301', (e) => ({ iat: e.now + 301 })),
    at('minus-300.5', (e) => ({ iat: e.now - 300.5 })),
    at('plus-300.5', (e) => ({ iat: e.now + 300.5 })),
    at('minus-299.5', (e) => ({ iat: e.now - 299.5 })),
    at('plus-299.5', (e) => ({ iat: e.now + 299.5 })),
    at('plus-0.25', (e) => ({ iat: e.now + 0.25 })),
    at('minus-3600', (e) => ({ iat: e.now - 3600 }), false),
    at('plus-3600', (e) => ({ iat: e.now + 3600 }), false),
    at('milliseconds', (e) => ({ iat: e.now * 1000 }), false),
    at('string', (e) => ({ iat: String(e.now) }), false),
    at('zero', () => ({ iat: 0 }), false),
    at('negative', () => ({ iat: -1 }), false),
    at('bool', () => ({ iat: true }), false),
    at('null', () => ({ iat: null }), false),
    at('missing', () => ({ iat: undefined }), false),
    c('iat/exponent', ['dpop/iat-out-of-window'], (env) => {
      const { header, payload } = parts(env);
      const text = JSON.stringify(payload).replace(`"iat":${env.now}`, `"iat":${env.now / 10}e1`);
      return { dpop: [proof({ header, payload: text, key: env.keys.p256 })] };
    }, { boundary: true }),
    c('iat/trailing-zero-fraction', ['dpop/iat-fractional'], (env) => {
      const { header, payload } = parts(env);
      const text = JSON.stringify(payload).replace(`"iat":${env.now}`, `"iat":${env.now}.0`);
      return { dpop: [proof({ header, payload: text, key: env.keys.p256 })] };
    }, { boundary: true }),
  ];
}

function expNbfCases() {
  const at = (id, f) => payAt(id, ['dpop/expired'], f, { boundary: true });
  return [
    at('exp/now', (e) => ({ exp: e.now })),
    at('exp/plus-1', (e) => ({ exp: e.now + 1 })),
    at('exp/minus-1', (e) => ({ exp: e.now - 1 })),
    at('exp/plus-0.5', (e) => ({ exp: e.now + 0.5 })),
    at('exp/minus-0.5', (e) => ({ exp: e.now - 0.5 })),
    at('exp/string', (e) => ({ exp: String(e.now + 60) })),
    at('exp/null', () => ({ exp: null })),
    at('exp/far', (e) => ({ exp: e.now + 86400 })),
    at('nbf/now', (e) => ({ nbf: e.now })),
    at('nbf/plus-1', (e) => ({ nbf: e.now + 1 })),
    at('nbf/plus-0.5', (e) => ({ nbf: e.now + 0.5 })),
    at('nbf/minus-60', (e) => ({ nbf: e.now - 60 })),
    at('nbf/string', (e) => ({ nbf: String(e.now - 60) })),
    at('nbf/plus-3600', (e) => ({ nbf: e.now + 3600 })),
  ];
}

function jtiCases() {
  return [
    pay('jti/missing', ['dpop/claim-missing'], { jti: undefined }),
    pay('jti/empty', ['dpop/claim-missing'], { jti: '' }),
    pay('jti/number', ['dpop/claim-missing'], { jti: 12345 }),
    c('jti/short', ['dpop/jti-weak'], (env) => ({ dpop: [signed(env, {}, { jti: `s${env.seq}` })] })),
    c('jti/long', ['dpop/jti-too-long'], (env) => ({ dpop: [signed(env, {}, { jti: jti().repeat(20) })] })),
    c('jti/very-long', ['dpop/jti-too-long'], (env) => ({ dpop: [signed(env, {}, { jti: jti().repeat(400) })] })),
    // The pair: the first is valid, the second sends the same proof again.
    c('jti/replay-first', ['valid'], (env) => {
      const p = signed(env);
      env.shared.replay = p;
      return { dpop: [p] };
    }),
    c('jti/replayed', ['dpop/replay'], (env) => ({ dpop: [env.shared.replay] })),
  ];
}

function nonceCases(series) {
  if (series === 'nonce') {
    return [
      pay('nonce/missing', ['dpop/nonce-missing'], { nonce: undefined }),
      pay('nonce/wrong', ['dpop/nonce-missing'], { nonce: 'not-the-servers-nonce' }),
      pay('nonce/empty', ['dpop/nonce-syntax'], { nonce: '' }),
      pay('nonce/number', ['dpop/nonce-syntax'], { nonce: 7 }),
      pay('nonce/null', ['dpop/nonce-syntax'], { nonce: null }),
      pay('nonce/space', ['dpop/nonce-syntax'], { nonce: 'a b' }),
      payAt('nonce/old-iat', ['dpop/iat-out-of-window'], (e) => ({ iat: e.now - 3600 })),
      payAt('nonce/future-iat', ['dpop/iat-out-of-window'], (e) => ({ iat: e.now + 3600 })),
      payAt('nonce/iat-missing', ['dpop/claim-missing'], () => ({ iat: undefined })),
    ];
  }
  return [
    pay('nonce/unrequested', ['dpop/nonce-unexpected'], { nonce: 'abc' }),
    pay('nonce/unrequested-number', ['dpop/nonce-syntax'], { nonce: 7 }),
    pay('nonce/unrequested-null', ['dpop/nonce-syntax'], { nonce: null }),
    pay('nonce/unrequested-empty', ['dpop/nonce-syntax'], { nonce: '' }),
  ];
}

function miscCases() {
  return [
    pay('ath/present', ['dpop/ath-at-token-endpoint'], { ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo' }),
    pay('claims/extra', ['valid'], { foo: 'bar' }),
    hdr('crit/b64-true', ['dpop/crit'], { crit: ['b64'], b64: true }),
    hdr('crit/b64-false', ['dpop/crit'], { crit: ['b64'], b64: false }),
    hdr('crit/b64-missing', ['dpop/crit'], { crit: ['b64'] }),
    hdr('crit/exp', ['dpop/crit'], { crit: ['exp'], exp: 1 }),
    hdr('crit/empty', ['dpop/crit'], { crit: [] }),
    hdr('crit/string', ['dpop/crit'], { crit: 'b64', b64: true }),
    hdr('crit/duplicate', ['dpop/crit'], { crit: ['b64', 'b64'], b64: true }),
    hdr('b64/false-without-crit', ['dpop/crit'], { b64: false }),
    hdr('b64/true-without-crit', ['dpop/crit'], { b64: true }),
  ];
}

/** base64url oddities: each part encoded otherwise, then signed over as sent. */
function b64Cases() {
  const e = (id, encode) => c(`b64/${id}`, ['dpop/b64url', 'dpop/malformed'], (env) => {
    const { header, payload } = parts(env);
    return { dpop: [proof({ header, payload, key: env.keys.p256, encode })] };
  });
  const pad = (s) => {
    const x = padded(s);
    return x.endsWith('=') ? x : null;
  };
  // A JSON text whose base64url has padding, and spare bits (lengths not 0 mod 3).
  const fit = (s, want) => {
    let t = s;
    for (let i = 0; i < 3 && Buffer.byteLength(t) % 3 !== want; i += 1) t = `${t} `;
    return t;
  };
  return [
    e('header-padded', (s, part) => (part === 'header' ? pad(fit(s, 1)) : enc(s))),
    e('payload-padded', (s, part) => (part === 'payload' ? pad(fit(s, 2)) : enc(s))),
    e('header-spare-bits', (s, part) => (part === 'header' ? spareBits(fit(s, 1)) : enc(s))),
    e('payload-spare-bits', (s, part) => (part === 'payload' ? spareBits(fit(s, 2)) : enc(s))),
    e('header-standard-alphabet', (s, part) => {
      if (part !== 'header') return enc(s);
      // Pad the JSON until its base64 has a '+' or '/'.
      for (let i = 0; i < 64; i += 1) {
        const t = `${s}${' '.repeat(i)}`;
        const std = Buffer.from(t).toString('base64').replace(/=+$/, '');
        if (/[+/]/.test(std)) return std;
      }
      return enc(s);
    }),
    e('payload-space-inside', (s, part) => {
      const x = enc(s);
      return part === 'payload' ? `${x.slice(0, 8)} ${x.slice(8)}` : x;
    }),
    e('payload-tab-inside', (s, part) => {
      const x = enc(s);
      return part === 'payload' ? `${x.slice(0, 8)}\t${x.slice(8)}` : x;
    }),
    e('header-bom', (s, part) => (part === 'header' ? enc(`\ufeff${s}`) : enc(s))),
    e('payload-whitespace-json', (s, part) => (part === 'payload' ? enc(` \n${s}\n `) : enc(s))),
    e('payload-not-object', (s, part) => (part === 'payload' ? enc('[1]') : enc(s))),
    e('payload-not-json', (s, part) => (part === 'payload' ? enc('{"jti":') : enc(s))),
    e('payload-latin1', (s, part) => (part === 'payload' ? Buffer.from(`${s.slice(0, -1)},"x":"\u00e9"}`, 'latin1').toString('base64url') : enc(s))),
    c('b64/signature-padded', ['dpop/b64url'], (env) => ({
      dpop: [signed(env, {}, {}, { sigText: (t) => (t.length % 4 ? `${t}${'='.repeat(4 - (t.length % 4))}` : t) })],
    })),
    c('b64/signature-spare-bits', ['dpop/b64url'], (env) => ({
      dpop: [signed(env, {}, {}, {
        sigText: (t) => {
          const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
          return t.slice(0, -1) + a[a.indexOf(t.at(-1)) | 1];
        },
      })],
    })),
  ];
}

/** Duplicate members in the header or payload: who wins? */
function duplicateCases() {
  const dup = (id, f) => c(`dup/${id}`, ['dpop/duplicate-member'], (env) => {
    const { header, payload } = parts(env);
    const [h, p] = f(JSON.stringify(header), JSON.stringify(payload), env);
    return { dpop: [proof({ header: h, payload: p, key: env.keys.p256, alg: 'ES256' })] };
  });
  const first = (json, member) => `{${member},${json.slice(1)}`;
  const last = (json, member) => `${json.slice(0, -1)},${member}}`;
  return [
    dup('typ-bad-then-good', (h, p) => [first(h, '"typ":"jwt"'), p]),
    dup('typ-good-then-bad', (h, p) => [last(h, '"typ":"jwt"'), p]),
    dup('alg-bad-then-good', (h, p) => [first(h, '"alg":"HS256"'), p]),
    dup('alg-good-then-bad', (h, p) => [last(h, '"alg":"HS256"'), p]),
    dup('htm-bad-then-good', (h, p) => [h, first(p, '"htm":"GET"')]),
    dup('htm-good-then-bad', (h, p) => [h, last(p, '"htm":"GET"')]),
    dup('htu-bad-then-good', (h, p) => [h, first(p, '"htu":"https://elsewhere.example/token"')]),
    dup('htu-good-then-bad', (h, p) => [h, last(p, '"htu":"https://elsewhere.example/token"')]),
    dup('iat-old-then-now', (h, p, env) => [h, first(p, `"iat":${env.now - 3600}`)]),
    dup('iat-now-then-old', (h, p, env) => [h, last(p, `"iat":${env.now - 3600}`)]),
    dup('jti-twice', (h, p) => [h, last(p, `"jti":"${jti()}"`)]),
    dup('jwk-x-bad-then-good', (h, p, env) => [h.replace('"kty":"EC"', `"kty":"EC","x":"${env.keys.p256b.jwk.x}"`), p]),
    dup('jwk-x-good-then-bad', (h, p, env) => [h.replace(/("y":"[^"]+")/, `$1,"x":"${env.keys.p256b.jwk.x}"`), p]),
  ];
}

/** Where the DPoP header itself is odd. */
function headerCases() {
  const h = (id, aims, f) => c(`header/${id}`, aims, f);
  return [
    h('two-headers', ['dpop/malformed'], (env) => ({ dpop: [signed(env), signed(env)] })),
    h('two-headers-one-empty', ['dpop/malformed'], (env) => ({ dpop: [signed(env), ''] })),
    h('comma-joined', ['dpop/malformed'], (env) => ({ dpop: [`${signed(env)}, ${signed(env)}`] })),
    h('empty', ['dpop/malformed'], () => ({ dpop: [''] })),
    h('spaces-only', ['dpop/malformed'], () => ({ dpop: ['   '] })),
    h('name-lowercase', ['valid'], (env) => ({ dpop: [signed(env)], name: 'dpop' })),
    h('name-uppercase', ['valid'], (env) => ({ dpop: [signed(env)], name: 'DPOP' })),
    h('surrounding-spaces', ['dpop/malformed'], (env) => ({ dpop: [`  ${signed(env)}  `] })),
    h('scheme-prefix', ['dpop/malformed'], (env) => ({ dpop: [`DPoP ${signed(env)}`] })),
    h('bearer-prefix', ['dpop/malformed'], (env) => ({ dpop: [`Bearer ${signed(env)}`] })),
    h('jwe-shape', ['dpop/malformed'], (env) => ({ dpop: [`${signed(env)}.AAAA.BBBB`] })),
    h('two-parts', ['dpop/malformed'], (env) => ({ dpop: [signed(env).split('.').slice(0, 2).join('.')] })),
    h('garbage', ['dpop/malformed'], () => ({ dpop: ['not-a-jwt'] })),
    h('quoted', ['dpop/malformed'], (env) => ({ dpop: [`"${signed(env)}"`] })),
  ];
}

/** A proof made large with a padding claim, so the DPoP header line has about `n` bytes. */
function sizeCases() {
  const sized = (n) => (env) => {
    const base = signed(env, {}, { pad: '' });
    const grow = Math.max(0, Math.floor(((n - base.length) * 3) / 4));
    return { dpop: [signed(env, {}, { pad: 'x'.repeat(grow) })] };
  };
  return [8000, 15000, 16000, 16200, 16300, 16400, 17000, 24000].map((n) => c(`size/${n}`, ['dpop/malformed', 'input/jws-too-large'], sized(n)));
}

/** The cases of a series. */
export function catalogue(series) {
  if (series === 'default') {
    return [
      ...valid(), ...typCases(), ...algCases(), ...jwkCases(), ...signatureCases(), ...htmCases(),
      ...htuCases(), ...iatCases(), ...expNbfCases(), ...jtiCases(), ...nonceCases(series),
      ...miscCases(), ...b64Cases(), ...duplicateCases(), ...headerCases(), ...sizeCases(),
    ];
  }
  if (series === 'nonce') {
    // The proofs carry the server's nonce (env.nonce): iat is not checked then.
    return [
      ...valid(), ...nonceCases(series), ...typCases().slice(0, 6), ...signatureCases().slice(0, 4),
      ...htmCases().slice(0, 3), ...htuCases().filter((x) => /exact|query|slash|pct-unreserved-t|https|no-slashes/.test(x.id)),
      ...iatCases().filter((x) => /now|300|3600|string|missing/.test(x.id)),
      ...expNbfCases().slice(0, 4), ...jtiCases(), ...duplicateCases().slice(0, 4),
      ...headerCases().filter((x) => /empty|two-headers$/.test(x.id)),
    ];
  }
  // algs: the server's allowed algorithms changed; every algorithm again.
  return [
    ...valid(), ...algCases(),
    c('algs/rsa-1024-ps256', ['dpop/jwk-invalid'], (env) => {
      const { header, payload } = parts(env, { alg: 'PS256', jwk: env.keys.rsa1024.jwk });
      return { dpop: [proof({ header, payload, key: env.keys.rsa1024, alg: 'PS256' })] };
    }),
    c('algs/es384-der', ['dpop/signature'], (env) => {
      const { header, payload } = parts(env, { alg: 'ES384', jwk: env.keys.p384.jwk });
      return { dpop: [proof({ header, payload, key: env.keys.p384, alg: 'ES384', der: true })] };
    }),
    c('algs/es384-with-p256', ['dpop/jwk-alg-mismatch'], (env) => {
      const { header, payload } = parts(env, { alg: 'ES384' });
      return { dpop: [proof({ header, payload, key: env.keys.p384, alg: 'ES384' })] };
    }),
    c('algs/ps256-as-rs256', ['dpop/signature'], (env) => {
      const { header, payload } = parts(env, { alg: 'PS256', jwk: env.keys.rsa.jwk });
      return { dpop: [proof({ header, payload, key: env.keys.rsa, alg: 'RS256' })] };
    }),
    c('algs/ed25519-jwk-alg-eddsa', ['dpop/jwk-alg-mismatch'], (env) => {
      const { header, payload } = parts(env, { alg: 'Ed25519', jwk: { ...env.keys.ed25519.jwk, alg: 'EdDSA' } });
      return { dpop: [proof({ header, payload, key: env.keys.ed25519, alg: 'Ed25519' })] };
    }),
    c('algs/ps256-key-ops-verify', ['dpop/jwk-invalid'], (env) => {
      const { header, payload } = parts(env, { alg: 'PS256', jwk: { ...env.keys.rsa.jwk, key_ops: ['verify'] } });
      return { dpop: [proof({ header, payload, key: env.keys.rsa, alg: 'PS256' })] };
    }),
    ...typCases().slice(0, 4), ...htuCases().slice(0, 6), ...iatCases().slice(0, 5),
  ];
}
