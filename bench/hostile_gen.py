#!/usr/bin/env python3
"""Hostile inputs for bench/hostile.sh: one generator per case of issue 13.

    python3 bench/hostile_gen.py CASE N DIR

writes the case's input of size N under DIR (a fresh folder) and prints the
tokenlint arguments that run it, one per line (`{dir}` is DIR). Each
generator's N is the unit the issue counts (keys, lines, certificates,
globs, bytes, bits): bench/hostile.sh runs it at N and 4N.

To add a case: a function `gen_<name>(n, d)` here that writes its files
under `d` and returns the argument list, and a line in CASES in
bench/hostile.sh.
"""

import base64
import json
import os
import random
import sys

NOW = "1767225600"
CHECK = ["check", "--no-config", "--now", NOW]
REQ = "grant_type=client_credentials"


def write(d, name, text):
    path = os.path.join(d, name)
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(path, mode) as f:
        f.write(text)
    return path


# --- Time -------------------------------------------------------------------


def gen_unknown_keys(n, d):
    """Item 6: a fixture of N unknown keys, each near enough to a field name
    that a "did you mean" search must look at it."""
    members = ['"parameters":"%s"' % REQ, '"clientId":"app"']
    members += ['"clientSecrt%d":1' % i for i in range(n)]
    f = write(d, "unknown.json", "{" + ",\n".join(members) + "}\n")
    return CHECK + ["-o", "json", f]


def _duplicates(n, d):
    lines = ['"parameters":"%s"' % REQ] + ['"clientId":"app%d"' % (i % 10) for i in range(n)]
    return write(d, "dup.json", "{\n" + ",\n".join(lines) + "\n}\n")


def gen_duplicate_fields(n, d):
    """Item 7: N duplicate lines, JSON output."""
    return CHECK + ["-o", "json", _duplicates(n, d)]


def gen_duplicate_fields_pretty(n, d):
    """Item 7: N duplicate lines, pretty output (each finding's snippet used
    to span from the first occurrence to the duplicate)."""
    return CHECK + ["-o", "pretty", "--color", "never", _duplicates(n, d)]


def gen_http_obs_fold(n, d):
    """Item 8: a .http request whose header is folded over N lines."""
    head = "POST /token HTTP/1.1\r\nHost: as.example.com\r\n"
    head += "Content-Type: application/x-www-form-urlencoded\r\nX-Long: a\r\n"
    head += "".join(" folded%d\r\n" % (i % 100) for i in range(n))
    f = write(d, "fold.http", head + "\r\n" + REQ + "\r\n")
    return CHECK + ["-o", "json", f]


def _ed25519_cert(subject, issuer, key, signer):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID
    import datetime

    name = lambda cn: x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    t = datetime.datetime(2025, 1, 1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(name(issuer))
        .public_key(key.public_key())
        .serial_number(random.getrandbits(64))
        .not_valid_before(t)
        .not_valid_after(t + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(signer, None)
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def gen_cert_path(n, d):
    """Item 9: a `clientCertificatePath` of N Ed25519 certificates whose names
    alternate X→Y, Y→X and whose signatures never verify: every step of the
    chain used to try every unused entry of the right name."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    keys = [ed25519.Ed25519PrivateKey.generate() for _ in range(4)]
    leaf = _ed25519_cert("client", "X", keys[0], keys[1])
    path = []
    for i in range(n):
        subject, issuer = ("X", "Y") if i % 2 == 0 else ("Y", "X")
        path.append(_ed25519_cert(subject, issuer, keys[2], keys[3]))
    doc = {
        "parameters": REQ + "&client_id=app",
        "clientId": "app",
        "clientCertificate": leaf,
        "clientCertificatePath": path,
    }
    f = write(d, "path.json", json.dumps(doc))
    return CHECK + ["-o", "json", f]


def _fixture(d):
    return write(d, "one.json", json.dumps({"parameters": REQ, "clientId": "app"}))


def gen_config_globs(n, d):
    """Item 10: a configuration with N exclude globs."""
    globs = ",\n".join('  "fixtures/dir%d/**/*.json"' % i for i in range(n))
    cfg = write(d, "tokenlint.toml", "now = %s\nexclude = [\n%s\n]\n" % (NOW, globs))
    return ["check", "--config", cfg, "-o", "json", _fixture(d)]


def gen_config_long_glob(n, d):
    """Item 10: a configuration with one glob of N bytes."""
    glob = ("a*" * (n // 2))[:n]
    cfg = write(d, "tokenlint.toml", 'now = %s\nexclude = ["%s"]\n' % (NOW, glob))
    return ["check", "--config", cfg, "-o", "json", _fixture(d)]


def _der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _der_int(v):
    b = v.to_bytes(v.bit_length() // 8 + 1, "big")
    return b"\x02" + _der_len(len(b)) + b


def _pem(label, der):
    b = base64.b64encode(der).decode()
    lines = [b[i : i + 64] for i in range(0, len(b), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def _odd(bits, rng):
    return rng.getrandbits(bits) | (1 << (bits - 1)) | 1


def gen_rsa_pem_proof(n, d):
    """Item 11: `dpop proof` with a malformed PKCS#1 RSA private key of N
    bits (its "primes" are random odd numbers)."""
    rng = random.Random(n)
    p, q = _odd(n // 2, rng), _odd(n - n // 2, rng)
    parts = [0, p * q, 65537, _odd(n - 1, rng), p, q, _odd(n // 2 - 1, rng), _odd(n // 2 - 1, rng), _odd(n // 2 - 1, rng)]
    body = b"".join(_der_int(v) for v in parts)
    der = b"\x30" + _der_len(len(body)) + body
    key = write(d, "key.pem", _pem("RSA PRIVATE KEY", der))
    return ["dpop", "proof", "--key", key, "--htu", "https://as.example.com/token", "--now", NOW]


def _b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def gen_rsa_jwk_dpop(n, d):
    """Item 11: a fixture whose DPoP proof carries an RSA JWK of N bits."""
    rng = random.Random(n)
    modulus = _odd(n, rng)
    jwk = {"kty": "RSA", "e": "AQAB", "n": _b64u(modulus.to_bytes((n + 7) // 8, "big"))}
    header = {"typ": "dpop+jwt", "alg": "RS256", "jwk": jwk}
    payload = {"jti": "x" * 22, "htm": "POST", "htu": "https://as.example.com/token", "iat": int(NOW)}
    sig = rng.getrandbits(n).to_bytes((n + 7) // 8, "big")
    jws = ".".join([_b64u(json.dumps(header).encode()), _b64u(json.dumps(payload).encode()), _b64u(sig)])
    doc = {"parameters": REQ + "&client_id=app", "clientId": "app", "dpop": jws,
           "htm": "POST", "htu": "https://as.example.com/token"}
    f = write(d, "dpop.json", json.dumps(doc))
    # A JWS limit that lets the proof through to the key.
    cfg = write(d, "tokenlint.toml", "now = %s\n[limits]\njws = 1048576\n" % NOW)
    return ["check", "--config", cfg, "-o", "json", f]


# --- Memory -----------------------------------------------------------------


def _dpop_signer():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    key = ec.generate_private_key(ec.SECP256R1())
    nums = key.public_key().public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64u(nums.x.to_bytes(32, "big")),
        "y": _b64u(nums.y.to_bytes(32, "big")),
    }
    header = _b64u(json.dumps({"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}).encode())

    def proof(jti, htu):
        claims = {"jti": jti, "htm": "POST", "htu": htu, "iat": int(NOW)}
        signing_input = header + "." + _b64u(json.dumps(claims).encode())
        r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return signing_input + "." + _b64u(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    return proof


def _har(n, d, dpop):
    """N token requests, each with Basic credentials and a response that
    carries tokens (as devtools records them), pretty-printed."""
    htu = "https://as.example.com/token"
    proof = _dpop_signer() if dpop else None
    entries = []
    for i in range(n):
        headers = [
            {"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
            {"name": "Authorization", "value": "Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"},
        ]
        if proof:
            headers.append({"name": "DPoP", "value": proof("jti-%08d" % i, htu)})
        body = "grant_type=authorization_code&code=c%06d&redirect_uri=https%%3A%%2F%%2Fapp%%2Fcb" % i
        entries.append({
            "request": {"method": "POST", "url": htu, "headers": headers,
                        "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}},
            "response": {"status": 200, "content": {"text": json.dumps(
                {"access_token": "at-%08d" % i, "token_type": "DPoP" if dpop else "Bearer"})}},
        })
    har = {"log": {"version": "1.2", "entries": entries}}
    return write(d, "session.har", json.dumps(har, indent=2))


def gen_har_requests(n, d):
    """Item 1: a HAR of N token requests (2,000: 562 KB took 1.12 GB)."""
    return CHECK + ["-o", "json", _har(n, d, False)]


def gen_har_dpop(n, d):
    """Item 1: a HAR of N token requests with a DPoP proof each, pretty
    output (2,000: 3.5 MB took 7 GB)."""
    return CHECK + ["-o", "pretty", "--color", "never", _har(n, d, True)]


def gen_http_requests(n, d):
    """Item 1's sibling: a REST-client .http of N token requests separated
    by `###` (each used to get its own copy of the whole file)."""
    one = ("POST https://as.example.com/token HTTP/1.1\n"
           "Content-Type: application/x-www-form-urlencoded\n"
           "Authorization: Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3\n\n"
           "grant_type=authorization_code&code=c%06d&redirect_uri=https%%3A%%2F%%2Fapp%%2Fcb\n")
    text = "\n###\n\n".join(one % i for i in range(n))
    return CHECK + ["-o", "json", write(d, "session.http", text)]


def gen_findings_flood(n, d):
    """Item 2: a `parameters` of N bytes of `&a` (1 MiB: 524k findings)."""
    params = REQ + "&a" * (n // 2)
    doc = {"parameters": params, "clientId": "app", "clientSecret": "s3cr3t"}
    return CHECK + ["-o", "json", write(d, "flood.json", json.dumps(doc))]


def gen_json_properties(n, d):
    """Item 3: `"properties": [0,0,…]` of N bytes (30 MB took 3.55 GB)."""
    zeros = ",".join(["0"] * (n // 2))
    text = '{"parameters": "%s", "clientId": "app", "properties": [%s]}' % (REQ, zeros)
    return CHECK + ["-o", "json", write(d, "properties.json", text)]


def gen_toon_inputs(n, d):
    """Item 4: N bad fixtures, -o toon (20,000 took 961 MB)."""
    bad = json.dumps({
        "parameters": "grant_type=authorization_code&code=abc&code_verifier=short"
                      "&client_id=app&client_secret=x+y&scope=a&scope=b",
        "clientSecret": "s3cr3t",
        "accessTokenDuration": -1,
        "properties": [{"key": "expires_in", "value": 1}],
    })
    folder = os.path.join(d, "fixtures")
    os.mkdir(folder)
    for i in range(n):
        write(folder, "f%06d.json" % i, bad)
    return CHECK + ["-o", "toon", folder]


def gen_stdin_stream(n, d):
    """Item 5: N bytes on stdin for `dpop thumbprint -` (a sparse file: no
    disk); the read stops at the 64 MiB file limit. The first line `<PATH`
    is the file bench/hostile.sh sends to stdin."""
    path = os.path.join(d, "stream")
    with open(path, "wb") as f:
        f.truncate(n)
    return ["<" + path, "dpop", "thumbprint", "-"]


def main():
    case, n, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    gen = globals().get("gen_" + case.replace("-", "_"))
    if gen is None:
        sys.exit("unknown case %s" % case)
    for arg in gen(n, d):
        print(arg)


if __name__ == "__main__":
    main()
