// The differential suite: sends each case to the running node-oidc-provider
// (server.mjs; run.sh starts and stops it), writes the exact bytes sent as a
// .http capture, lints every capture of a series in one tokenlint run, and
// compares the verdicts. Exits 1 when a disagreement is not listed in
// known.toml, or a dpop/ rule is raised by no case.
//
// Environment: DIFF_SERVERS (server.mjs's JSON line), TOKENLINT (the binary),
// DIFF_OUT (a scratch folder), DIFF_KNOWN (known.toml).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { catalogue, parts } from './cases.mjs';
import { makeKeys, proof } from './proof.mjs';

const CLIENT_ID = 'diff-client';
const CLIENT_SECRET = 'diff-client-secret-0123456789abcdef';
const PROFILE = 'node-oidc-provider';
/** The whole run stops here, whatever is left: the suite's time bound. */
const DEADLINE = Date.now() + 150_000;
/** How often a case whose verdict depends on the second is resent. */
const MAX_ATTEMPTS = 6;

const servers = JSON.parse(process.env.DIFF_SERVERS);
const tokenlint = process.env.TOKENLINT;
const out = process.env.DIFF_OUT;
const known = parseKnown(fs.readFileSync(process.env.DIFF_KNOWN, 'utf8'));

const nowSec = () => Math.floor(Date.now() / 1000);

/** known.toml: [[known]] / [[uncovered]] tables of string keys, nothing more. */
function parseKnown(text) {
  const tables = { known: [], uncovered: [] };
  let cur = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const t = /^\[\[(known|uncovered)\]\]$/.exec(line);
    if (t) {
      cur = {};
      tables[t[1]].push(cur);
      continue;
    }
    const kv = /^([a-z-]+)\s*=\s*"((?:[^"\\]|\\.)*)"$/.exec(line);
    if (!kv || !cur) throw new Error(`known.toml:${i + 1}: cannot read \`${line}\``);
    cur[kv[1]] = JSON.parse(`"${kv[2]}"`);
  }
  for (const k of tables.known) {
    if (!k.case || !k.series || !k.reason) throw new Error(`known.toml: entry without case, series or reason: ${JSON.stringify(k)}`);
  }
  return tables;
}

/**
 * The raw bytes of a token request carrying these DPoP header values. The
 * target is in absolute form (RFC 9112 §3.2.2), so the capture says its
 * scheme: an origin-form capture (`POST /token`) is linted as https.
 */
function request(port, dpop, name = 'DPoP') {
  const body = 'grant_type=client_credentials';
  const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
  const lines = [
    `POST http://127.0.0.1:${port}/token HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    `Authorization: Basic ${basic}`,
    'Content-Type: application/x-www-form-urlencoded',
    ...dpop.map((v) => `${name}: ${v}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

/** Sends raw bytes and reads the answer until the server closes (5 s at most). */
function send(port, bytes) {
  return new Promise((resolve) => {
    const chunks = [];
    const sock = net.connect({ host: '127.0.0.1', port });
    const done = (error) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(parseResponse(Buffer.concat(chunks), error));
    };
    const timer = setTimeout(() => done('timeout'), 5000);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => done());
    sock.on('error', (e) => done(e.code ?? String(e)));
  });
}

function parseResponse(buf, error) {
  const text = buf.toString('utf8');
  const head = text.split('\r\n\r\n', 1)[0];
  const [statusLine, ...headerLines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = {};
  for (const l of headerLines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = {};
  try {
    body = JSON.parse(text.slice(head.length + 4));
  } catch { /* 431 and friends have no JSON body */ }
  return { status, headers, body, error };
}

/** The server's verdict: accepted means a token was issued. */
function serverVerdict(r) {
  const accepted = r.status === 200;
  const why = accepted
    ? `200 token_type=${r.body.token_type}`
    : `${r.status || r.error} ${r.body.error ?? ''} ${r.body.error_description ?? ''}`.trim();
  return { accepted, why };
}

const SERIES = {
  // The default server has no nonceSecret: it uses no nonces.
  default: { flags: ['--dpop-nonce-required=false'], baseAlg: 'ES256', baseKey: 'p256' },
  nonce: { flags: ['--dpop-nonce-required'], baseAlg: 'ES256', baseKey: 'p256' },
  algs: { flags: ['--dpop-algs', servers.algs.join(',')], baseAlg: 'ES384', baseKey: 'p384' },
};

/** Asks the nonce series' server for a nonce (a proof without one). */
async function fetchNonce(port, keys) {
  const env = { now: nowSec(), T: `http://127.0.0.1:${port}/token`, keys, baseAlg: 'ES256', baseKey: 'p256' };
  const { header, payload } = parts(env);
  const r = await send(port, request(port, [proof({ header, payload, key: keys.p256 })]));
  const nonce = r.headers['dpop-nonce'];
  if (!nonce) throw new Error(`the nonce series' server gave no DPoP-Nonce (HTTP ${r.status} ${r.error ?? ""} ${JSON.stringify(r.body)})`);
  return nonce;
}

async function runSeries(name, keys) {
  const s = SERIES[name];
  const port = servers.ports[name];
  const dir = path.join(out, name);
  fs.mkdirSync(dir, { recursive: true });
  const env = {
    port, T: `http://127.0.0.1:${port}/token`, keys, shared: {}, baseAlg: s.baseAlg, baseKey: s.baseKey,
  };
  if (name === 'nonce') env.nonce = await fetchNonce(port, keys);
  const results = [];
  const overrides = [];
  for (const [i, kase] of catalogue(name).entries()) {
    if (Date.now() > DEADLINE) throw new Error('the suite ran out of time (150 s) while sending');
    let r;
    let sent;
    let bytes;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      env.now = nowSec();
      env.seq = `${name}-${i}-${attempt}`;
      const { dpop, name: headerName } = kase.make(env);
      bytes = request(port, dpop, headerName);
      sent = nowSec();
      r = await send(port, bytes);
      const back = nowSec();
      // A verdict at a window's edge holds only for the second it was made for.
      if (!kase.boundary || (sent === env.now && back === env.now)) break;
    }
    if (r.headers['dpop-nonce'] && name === 'nonce') env.nonce = r.headers['dpop-nonce'];
    const file = `${String(i).padStart(3, '0')}-${kase.id.replace(/[^A-Za-z0-9.-]+/g, '_')}.http`;
    fs.writeFileSync(path.join(dir, file), bytes);
    overrides.push(`[[overrides]]\nfiles = ["${file}"]\nnow = ${sent}\n`);
    results.push({
      series: name, id: kase.id, aims: kase.aims, file, sent, server: serverVerdict(r),
    });
  }
  // Each capture is linted at the second it was sent: one override per file.
  const config = path.join(out, `${name}.tokenlint.toml`);
  fs.writeFileSync(config, overrides.join('\n'));
  const lint = (profile, flags) => {
    const args = ['check', '--config', config, '--profile', profile, ...flags, '-o', 'json', '--exit-zero', dir];
    const json = JSON.parse(execFileSync(tokenlint, args, { maxBuffer: 256 << 20, timeout: 60_000 }));
    const byFile = new Map();
    for (const res of json.results) byFile.set(path.basename(res.source), res.findings);
    return byFile;
  };
  const nop = lint(PROFILE, s.flags);
  const authlete = lint('authlete', s.flags);
  for (const res of results) {
    res.lint = lintVerdict(nop.get(res.file));
    res.authlete = lintVerdict(authlete.get(res.file));
  }
  return results;
}

/**
 * tokenlint's verdict: rejected when a dpop/ rule raises an error, or the
 * capture repeats the DPoP header (input/dpop-header-repeated). The jwt/
 * rules that also read the proof (key-url, jti-oversized) are hygiene, not a
 * prediction of this server's answer, and are not counted.
 */
const VERDICT_RULES = new Set(['input/dpop-header-repeated']);
/**
 * Rules that predict the server's nonce challenge (400 use_dpop_nonce with a
 * fresh DPoP-Nonce). dpop/nonce-missing is a warning because that answer is
 * the normal first round trip of RFC 9449 §8, not a fault of the client, but
 * it is still the prediction "this server answers 400", so it counts at any
 * severity.
 */
const CHALLENGE_RULES = new Set(['dpop/nonce-missing']);
const predictsRejection = (f) => CHALLENGE_RULES.has(f.rule)
  || (f.severity === 'error' && (f.rule.startsWith('dpop/') || VERDICT_RULES.has(f.rule)));
function lintVerdict(findings) {
  if (!findings) return { accepted: false, why: 'not linted', rules: [] };
  const rules = [...new Set(findings.map((f) => f.rule))];
  const errors = findings.filter(predictsRejection);
  const why = errors.length ? errors.map((f) => `${f.rule}: ${f.message}`).join(' | ') : 'no dpop error';
  return { accepted: errors.length === 0, why, rules };
}

const knownReason = (r) => known.known.find((k) => k.case === r.id && (k.series === r.series || k.series === '*'))?.reason;

function report(all) {
  const lines = [];
  const pct = (a, n) => `${((100 * a) / n).toFixed(1)}%`;
  const version = JSON.parse(fs.readFileSync(new URL('./node_modules/oidc-provider/package.json', import.meta.url))).version;
  lines.push('', `differential: tokenlint --profile ${PROFILE} vs oidc-provider ${version} on Node.js ${process.versions.node} (the same bytes)`, '');
  lines.push('series    cases  agree          both accept  both reject  lint-only reject  server-only reject');
  const matrix = (rs, key) => {
    const m = { aa: 0, rr: 0, ar: 0, ra: 0 };
    for (const r of rs) {
      const s = r.server.accepted ? 'a' : 'r';
      const l = r[key].accepted ? 'a' : 'r';
      m[s + l] += 1;
    }
    return m;
  };
  for (const name of [...Object.keys(SERIES), 'all']) {
    const rs = name === 'all' ? all : all.filter((r) => r.series === name);
    const m = matrix(rs, 'lint');
    const agree = m.aa + m.rr;
    lines.push(`${name.padEnd(9)} ${String(rs.length).padStart(5)}  ${`${agree} (${pct(agree, rs.length)})`.padEnd(14)} `
      + `${String(m.aa).padStart(11)}  ${String(m.rr).padStart(11)}  ${String(m.ar).padStart(16)}  ${String(m.ra).padStart(18)}`);
  }
  const m = matrix(all, 'lint');
  lines.push('', 'confusion matrix (rows: server, columns: tokenlint)', '                 lint accepts  lint rejects',
    `server accepts   ${String(m.aa).padStart(12)}  ${String(m.ar).padStart(12)}`,
    `server rejects   ${String(m.ra).padStart(12)}  ${String(m.rr).padStart(12)}`);
  const a = matrix(all, 'authlete');
  lines.push('', `for comparison, the default (authlete) profile on the same captures: ${a.aa + a.rr}/${all.length} agree with node-oidc-provider (${pct(a.aa + a.rr, all.length)})`);
  const dis = all.filter((r) => r.server.accepted !== r.lint.accepted);
  lines.push('', `disagreements: ${dis.length}`);
  for (const r of dis) {
    const reason = knownReason(r);
    lines.push(`  ${reason ? 'known  ' : 'NEW    '} ${r.series}/${r.id} (${r.file})`);
    lines.push(`           server: ${r.server.accepted ? 'accepts' : 'rejects'}: ${r.server.why}`);
    lines.push(`           tokenlint: ${r.lint.accepted ? 'accepts' : 'rejects'}: ${r.lint.why.slice(0, 300)}`);
    if (reason) lines.push(`           why: ${reason}`);
  }
  const stale = known.known.filter((k) => !dis.some((r) => r.id === k.case && (k.series === r.series || k.series === '*')));
  for (const k of stale) lines.push(`  note: known.toml lists ${k.series}/${k.case}, which now agrees`);
  return { lines, dis, agree: m.aa + m.rr };
}

/** Every dpop/ rule must be raised by some case (under either profile). */
function coverage(all) {
  const rules = JSON.parse(execFileSync(tokenlint, ['rules', '-o', 'json'])).map((r) => r.id).filter((id) => id.startsWith('dpop/'));
  const seen = new Set(all.flatMap((r) => [...r.lint.rules, ...r.authlete.rules]));
  const missing = rules.filter((id) => !seen.has(id) && !known.uncovered.some((u) => u.rule === id));
  return { rules, missing };
}

async function main() {
  const keys = makeKeys();
  const all = [];
  for (const name of Object.keys(SERIES)) all.push(...await runSeries(name, keys));
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(all, null, 1));
  const { lines, dis, agree } = report(all);
  const cov = coverage(all);
  lines.push('', `dpop/ rules raised by some case: ${cov.rules.length - cov.missing.length}/${cov.rules.length}`
    + `${cov.missing.length ? ` (missing: ${cov.missing.join(', ')})` : ''}`);
  lines.push('', `differential ${PROFILE}: ${agree}/${all.length} agree`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const unknown = dis.filter((r) => !knownReason(r));
  let failed = false;
  if (all.length < 300) {
    process.stderr.write(`differential: only ${all.length} cases; at least 300 are required\n`);
    failed = true;
  }
  if (unknown.length) {
    process.stderr.write(`differential: ${unknown.length} disagreement(s) not in known.toml\n`);
    failed = true;
  }
  if (cov.missing.length) {
    process.stderr.write(`differential: no case raises ${cov.missing.join(', ')}\n`);
    failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`differential: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
