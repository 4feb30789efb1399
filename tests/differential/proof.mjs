// Keys, signing and DPoP proofs for the differential suite: everything a case
// needs to make a proof that is valid, or one change away from valid.
import * as crypto from 'node:crypto';

export const b64u = (buf) => Buffer.from(buf).toString('base64url');
export const enc = (s) => b64u(Buffer.from(s, 'utf8'));

/** A fresh random jti: 16 octets, base64url (22 characters, 128 bits). */
export const jti = () => b64u(crypto.randomBytes(16));

function ec(namedCurve) {
  return crypto.generateKeyPairSync('ec', { namedCurve });
}

/** Every key a case signs with, made once per run. */
export function makeKeys() {
  const pairs = {
    p256: ec('P-256'),
    p256b: ec('P-256'),
    p384: ec('P-384'),
    p521: ec('P-521'),
    k256: ec('secp256k1'),
    rsa: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
    rsa1024: crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }),
    ed25519: crypto.generateKeyPairSync('ed25519'),
    ed448: crypto.generateKeyPairSync('ed448'),
  };
  const keys = {};
  for (const [name, { publicKey, privateKey }] of Object.entries(pairs)) {
    keys[name] = {
      privateKey,
      publicKey,
      jwk: publicKey.export({ format: 'jwk' }),
      privateJwk: privateKey.export({ format: 'jwk' }),
    };
  }
  keys.hmac = { secret: crypto.randomBytes(32) };
  return keys;
}

const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/**
 * Signs `input` (the ASCII signing input) as `alg` with `key`; `der` asks for
 * a DER-encoded ECDSA signature instead of r || s.
 */
export function sign(alg, key, input, { der = false } = {}) {
  const data = Buffer.from(input, 'ascii');
  const bits = alg.slice(-3);
  if (alg.startsWith('HS')) return crypto.createHmac(HASH[bits], key.secret).update(data).digest();
  if (alg.startsWith('RS')) return crypto.sign(HASH[bits], data, key.privateKey);
  if (alg.startsWith('PS')) {
    return crypto.sign(HASH[bits], data, {
      key: key.privateKey,
      padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(bits) / 8,
    });
  }
  if (alg.startsWith('ES')) {
    const hash = alg === 'ES256K' ? 'sha256' : HASH[bits];
    return crypto.sign(hash, data, { key: key.privateKey, dsaEncoding: der ? 'der' : 'ieee-p1363' });
  }
  if (alg === 'EdDSA' || alg === 'Ed25519' || alg === 'Ed448') return crypto.sign(null, data, key.privateKey);
  if (alg.toLowerCase() === 'none') return Buffer.alloc(0);
  // An algorithm nobody implements: sign as ES256 with the key given.
  return crypto.sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
}

/**
 * A compact DPoP proof.
 * - header, payload: objects (a member set to undefined is left out), or
 *   strings used verbatim as the JSON text (duplicate members, odd numbers);
 * - encode(json, part): how a part's JSON becomes its segment (default:
 *   base64url without padding);
 * - alg/key: how it is signed (default: header.alg and keys.p256);
 * - der: DER-encoded ECDSA;
 * - signature(buf): changes the signature octets; sigText(str): its text.
 */
export function proof({
  header, payload, key, alg, der, encode = (s) => enc(s), signature = (s) => s, sigText = (s) => s,
}) {
  const h = typeof header === 'string' ? header : JSON.stringify(header);
  const p = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${encode(h, 'header')}.${encode(p, 'payload')}`;
  const signAlg = alg ?? (typeof header === 'object' ? header.alg : 'ES256');
  const sig = signature(sign(String(signAlg), key, input, { der }));
  return `${input}.${sigText(b64u(sig))}`;
}

/** base64url with `=` padding. */
export const padded = (s) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

/** base64url whose last character has non-zero unused bits. */
export function spareBits(s) {
  const e = enc(s);
  if (e.length % 4 === 0) return null;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const i = alphabet.indexOf(e.at(-1));
  return e.slice(0, -1) + alphabet[i | 1];
}

/** The order of the curve P-256, to flip ECDSA's s into its high twin. */
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

export function highS(sig) {
  const r = sig.subarray(0, 32);
  const s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const hs = (P256_N - s).toString(16).padStart(64, '0');
  return Buffer.concat([r, Buffer.from(hs, 'hex')]);
}

export function flipBit(buf, index, bit = 0) {
  const b = Buffer.from(buf);
  const i = index < 0 ? b.length + index : index;
  b[i] ^= 1 << bit;
  return b;
}
