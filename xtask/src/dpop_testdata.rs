//! Writes the DPoP test fixtures: `cargo xtask dpop-testdata`.
//!
//! - `testdata/keys/dpop-*.jwk`: the signing keys (TEST KEYS, public in this
//!   repository). Made once and reused, so reruns keep the same keys.
//! - `testdata/dpop/good/<alg>.json`: a valid request per algorithm.
//! - `testdata/dpop/reports/*.json`: the real failure reports of the check
//!   catalog (proxy htu, trailing slash, query, clock skew, private key in
//!   jwk, `jit` typo, missing nonce).
//! - `testdata/dpop/examples/*.json`: the failing examples of `rules/dpop/*.md`.
//!
//! Everything is valid around now = 1767225600 (2026-01-01T00:00:00Z). A
//! fixture whose header and payload did not change keeps its old signature
//! (ECDSA signatures are randomized), so a rerun changes no file.

use std::path::Path;

use crate::root;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::{json, Value};
use tokenlint::toolkit::dpop::SigningKey;

const NOW: i64 = 1_767_225_600;
const EP: &str = "https://as.example.com/token";
const PARAMS: &str = "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&client_id=s6BhdRkqt3&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn key(alg: &str) -> SigningKey {
    let path = root().join(format!("testdata/keys/dpop-{}.jwk", alg.to_lowercase()));
    if let Ok(text) = std::fs::read_to_string(&path) {
        return SigningKey::parse(&text, Some(alg)).expect("a key file");
    }
    let k = SigningKey::generate(alg).expect("keygen");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, k.private_jwk_text()).unwrap();
    k
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
}

fn payload(jti: &str) -> Value {
    json!({"jti": jti, "htm": "POST", "htu": EP, "iat": NOW - 5})
}

struct Gen {
    es256: SigningKey,
}

impl Gen {
    fn sign(&self, header: &Value, payload: &Value) -> String {
        self.es256.sign_compact(header, payload).unwrap()
    }

    fn header(&self) -> Value {
        self.es256.proof_header()
    }

    /// A proof with the standard header and this payload.
    fn proof(&self, payload: &Value) -> String {
        self.sign(&self.header(), payload)
    }
}

fn request(dpop: &str, extra: &[(&str, Value)]) -> Value {
    let mut r = json!({"parameters": PARAMS, "dpop": dpop, "htm": "POST", "htu": EP});
    for (k, v) in extra {
        if v.is_null() {
            r.as_object_mut().unwrap().remove(*k);
        } else {
            r[*k] = v.clone();
        }
    }
    r
}

/// Writes a fixture, keeping the old proof when only its signature would change.
fn write(rel: &str, mut body: Value) {
    let path = root().join("testdata/dpop").join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    if let Some(old) = read(&path) {
        if let (Some(o), Some(n)) = (old["dpop"].as_str(), body["dpop"].as_str()) {
            // Each proof without its signature (a value may join several).
            let signed = |s: &str| -> Vec<String> {
                s.split(", ")
                    .map(|p| p.rsplit_once('.').map_or(p, |(a, _)| a).to_owned())
                    .collect()
            };
            let mut same_rest = old.clone();
            same_rest["dpop"] = body["dpop"].clone();
            if signed(o) == signed(n) && same_rest == body {
                body["dpop"] = json!(o);
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&body).unwrap();
    text.push('\n');
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&path, text).unwrap();
        println!("wrote {}", path.display());
    }
}

fn read(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

pub fn run() {
    let g = Gen {
        es256: key("ES256"),
    };

    // One valid request per algorithm.
    for alg in ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"] {
        let k = key(alg);
        let jti = format!("good-{}-Xq3vT9pL2mWc8Rk", alg.to_lowercase());
        let proof = k.sign_compact(&k.proof_header(), &payload(&jti)).unwrap();
        write(
            &format!("good/{}.json", alg.to_lowercase()),
            request(&proof, &[]),
        );
    }

    // The failure reports of the check catalog (§11).
    let p = |f: &dyn Fn(&mut Value)| {
        let mut pl = payload("rpt-9Hq2LmX7vB4kTz1W");
        f(&mut pl);
        pl
    };
    // Behind a proxy: the client signs its public URL (with a mount path),
    // the server knows itself without it.
    write(
        "reports/proxy-path-prefix.json",
        request(
            &g.proof(&p(&|x| {
                x["htu"] = json!("https://as.example.com/auth/token")
            })),
            &[],
        ),
    );
    // TLS terminated at the proxy: the server sees http.
    write(
        "reports/proxy-scheme.json",
        request(
            &g.proof(&payload("rpt-scheme-Jk8sW2qZ")),
            &[("htu", json!("http://as.example.com/token"))],
        ),
    );
    write(
        "reports/trailing-slash.json",
        request(
            &g.proof(&p(&|x| x["htu"] = json!("https://as.example.com/token/"))),
            &[],
        ),
    );
    write(
        "reports/query-in-htu.json",
        request(
            &g.proof(&p(&|x| {
                x["htu"] = json!("https://as.example.com/token?tenant=acme")
            })),
            &[],
        ),
    );
    write(
        "reports/clock-skew.json",
        request(&g.proof(&p(&|x| x["iat"] = json!(NOW - 7 * 60))), &[]),
    );
    let mut private_header = g.header();
    private_header["jwk"] = serde_json::from_str(&g.es256.private_jwk_text()).unwrap();
    private_header["jwk"].as_object_mut().unwrap().remove("alg");
    write(
        "reports/private-key-in-jwk.json",
        request(
            &g.sign(&private_header, &payload("rpt-priv-Vn3xQ8rT5y")),
            &[],
        ),
    );
    write(
        "reports/jit-typo.json",
        request(
            &g.proof(
                &json!({"jit": "rpt-jit-Lw9cF2sK7d", "htm": "POST", "htu": EP, "iat": NOW - 5}),
            ),
            &[],
        ),
    );
    write(
        "reports/missing-nonce.json",
        request(
            &g.proof(&payload("rpt-nonce-Zp4tH6mQ1b")),
            &[("dpopNonceRequired", json!(true))],
        ),
    );

    // The failing examples of the rule docs.
    let ex = |name: &str, body: Value| write(&format!("examples/{name}.json"), body);
    let good = g.proof(&payload("ex-good-Tq7wE3rY9uI1"));
    ex("good", request(&good, &[]));
    let other = g.proof(&payload("ex-other-Mb5nV8cX2zL4"));
    ex(
        "malformed-joined",
        request(&format!("{good}, {other}"), &[]),
    );
    ex(
        "malformed-two-parts",
        request(good.rsplit_once('.').unwrap().0, &[]),
    );
    let hdr_std = STANDARD.encode(serde_json::to_vec(&g.header()).unwrap());
    let padded_header = if hdr_std.ends_with('=') {
        hdr_std
    } else {
        format!("{hdr_std}=")
    };
    let rest = good.split_once('.').unwrap().1;
    ex(
        "b64url-padding",
        request(&format!("{padded_header}.{rest}"), &[]),
    );
    let dup_payload = format!(
        "{{\"jti\":\"ex-dup-Pq2wR8tY4u\",\"htm\":\"POST\",\"htm\":\"POST\",\"htu\":\"{EP}\",\"iat\":{}}}",
        NOW - 5
    );
    ex(
        "duplicate-member",
        request(
            &g.es256
                .sign_parts(&b64(&g.header()), &URL_SAFE_NO_PAD.encode(dup_payload))
                .unwrap(),
            &[],
        ),
    );
    let with_header = |f: &dyn Fn(&mut Value)| {
        let mut h = g.header();
        f(&mut h);
        h
    };
    ex(
        "typ-jwt",
        request(
            &g.sign(
                &with_header(&|h| h["typ"] = json!("JWT")),
                &payload("ex-typ-Hb6nJ1kM9q"),
            ),
            &[],
        ),
    );
    ex(
        "typ-noncanonical",
        request(
            &g.sign(
                &with_header(&|h| h["typ"] = json!("DPoP+JWT")),
                &payload("ex-typc-Wd3fG7hJ2k"),
            ),
            &[],
        ),
    );
    let none_header = with_header(&|h| h["alg"] = json!("none"));
    ex(
        "alg-none",
        request(
            &format!(
                "{}.{}.",
                b64(&none_header),
                b64(&payload("ex-none-Rt5yU8iO3p"))
            ),
            &[],
        ),
    );
    let hs = with_header(&|h| {
        h["alg"] = json!("HS256");
        h.as_object_mut().unwrap().remove("jwk");
    });
    let hs_input = format!("{}.{}", b64(&hs), b64(&payload("ex-hs-Cv2bN6mA9s")));
    ex(
        "alg-symmetric",
        request(
            &format!("{hs_input}.{}", URL_SAFE_NO_PAD.encode([7u8; 32])),
            &[],
        ),
    );
    let ed = key("EdDSA");
    let mut ed_header = ed.proof_header();
    ed_header["alg"] = json!("Ed25519");
    // Ed25519 is the fully-specified name (RFC 9864): node-oidc-provider
    // accepts it, Authlete's documented list does not.
    let ed_proof = ed
        .sign_parts(&b64(&ed_header), &b64(&payload("ex-ed-Ks8dF3gH6j")))
        .unwrap();
    ex("alg-not-allowed", request(&ed_proof, &[]));
    ex(
        "crit",
        request(
            &g.sign(
                &with_header(&|h| {
                    h["crit"] = json!(["urn:example:binding"]);
                    h["urn:example:binding"] = json!(true);
                }),
                &payload("ex-crit-Lp4oK7iJ1u"),
            ),
            &[],
        ),
    );
    ex(
        "jwk-missing",
        request(
            &g.sign(
                &with_header(&|h| {
                    h.as_object_mut().unwrap().remove("jwk");
                    h["kid"] = json!("client-key-1");
                }),
                &payload("ex-nojwk-Qa9sW2dE5r"),
            ),
            &[],
        ),
    );
    ex(
        "jwk-private",
        request(
            &g.sign(&private_header, &payload("ex-priv-Ty6uI9oP2a")),
            &[],
        ),
    );
    ex(
        "jwk-alg-mismatch",
        request(
            &g.sign(
                &with_header(&|h| h["alg"] = json!("ES384")),
                &payload("ex-mm-Sd3fG6hJ9k"),
            ),
            &[],
        ),
    );
    ex(
        "jwk-invalid",
        request(
            &g.sign(
                &with_header(&|h| {
                    let y = h["jwk"]["y"].as_str().unwrap().to_owned();
                    // Change one coordinate octet: the point leaves the curve.
                    let mut bytes = URL_SAFE_NO_PAD.decode(y).unwrap();
                    bytes[5] ^= 0x40;
                    h["jwk"]["y"] = json!(URL_SAFE_NO_PAD.encode(bytes));
                }),
                &payload("ex-curve-Zx2cV5bN8m"),
            ),
            &[],
        ),
    );
    ex(
        "key-reference",
        request(
            &g.sign(
                &with_header(&|h| h["kid"] = json!("key-2026-01")),
                &payload("ex-kid-Ml1kJ4hG7f"),
            ),
            &[],
        ),
    );
    let (signed, sig) = good.rsplit_once('.').unwrap();
    let (h, _) = signed.split_once('.').unwrap();
    let tampered = format!("{h}.{}.{sig}", b64(&payload("ex-tamper-Ds5aF8gH1j")));
    ex("signature-tampered", request(&tampered, &[]));
    ex(
        "claim-missing-jit",
        request(
            &g.proof(
                &json!({"jit": "ex-jit-Wq3eR6tY9u", "htm": "POST", "htu": EP, "iat": NOW - 5}),
            ),
            &[],
        ),
    );
    ex(
        "jti-too-long",
        request(&g.proof(&payload(&"Ab3dE6gH9k".repeat(30))), &[]),
    );
    ex("jti-weak", request(&g.proof(&payload("12345")), &[]));
    ex(
        "replay-1",
        request(&g.proof(&payload("ex-replay-Nm4bV7cX0z")), &[]),
    );
    ex(
        "replay-2",
        request(
            &g.proof(&{
                let mut p = payload("ex-replay-Nm4bV7cX0z");
                p["iat"] = json!(NOW - 2);
                p
            }),
            &[],
        ),
    );
    let pl = |jti: &str, f: &dyn Fn(&mut Value)| {
        let mut p = payload(jti);
        f(&mut p);
        p
    };
    ex(
        "htm-mismatch",
        request(
            &g.proof(&pl("ex-htm-Ui8oP1aS4d", &|p| p["htm"] = json!("GET"))),
            &[],
        ),
    );
    ex(
        "htm-lowercase",
        request(
            &g.proof(&pl("ex-htmc-Fg7hJ0kL3z", &|p| p["htm"] = json!("post"))),
            &[],
        ),
    );
    ex(
        "htu-invalid",
        request(
            &g.proof(&pl("ex-htui-Xc6vB9nM2q", &|p| p["htu"] = json!("/token"))),
            &[],
        ),
    );
    ex(
        "htu-query",
        request(
            &g.proof(&pl("ex-htuq-We5rT8yU1i", &|p| {
                p["htu"] = json!("https://as.example.com/token?tenant=acme")
            })),
            &[],
        ),
    );
    ex(
        "htu-mismatch",
        request(
            &g.proof(&pl("ex-htum-Op4aS7dF0g", &|p| {
                p["htu"] = json!("https://as.example.com/oauth2/token")
            })),
            &[],
        ),
    );
    ex(
        "htu-not-normalized",
        request(
            &g.proof(&pl("ex-htun-Hj3kL6zX9c", &|p| {
                p["htu"] = json!("https://AS.example.com:443/token")
            })),
            &[],
        ),
    );
    ex(
        "htu-unknown-target",
        request(
            &g.proof(&payload("ex-htut-Vb2nM5qW8e")),
            &[("htu", Value::Null)],
        ),
    );
    ex(
        "iat-out-of-window",
        request(
            &g.proof(&pl("ex-iat-Rt1yU4iO7p", &|p| p["iat"] = json!(NOW - 600))),
            &[],
        ),
    );
    ex(
        "iat-future",
        request(
            &g.proof(&pl("ex-iatf-As0dF3gH6j", &|p| p["iat"] = json!(NOW + 400))),
            &[],
        ),
    );
    ex(
        "iat-fractional",
        request(
            &g.proof(&pl("ex-iatx-Kl9zX2cV5b", &|p| {
                p["iat"] = json!((NOW - 5) as f64 + 0.25)
            })),
            &[],
        ),
    );
    ex(
        "expired",
        request(
            &g.proof(&pl("ex-exp-Nm8qW1eR4t", &|p| p["exp"] = json!(NOW - 60))),
            &[],
        ),
    );
    ex(
        "nonce-missing",
        request(
            &g.proof(&payload("ex-nonm-Yu7iO0pA3s")),
            &[("dpopNonceRequired", json!(true))],
        ),
    );
    ex(
        "nonce-present",
        request(
            &g.proof(&pl("ex-nonp-Df6gH9jK2l", &|p| {
                p["nonce"] = json!("eyJ7S_zG.eyJH0-Z.HX4w-7v")
            })),
            &[("dpopNonceRequired", json!(true))],
        ),
    );
    ex(
        "nonce-syntax",
        request(
            &g.proof(&pl("ex-nons-Zx5cV8bN1m", &|p| {
                p["nonce"] = json!("nonce with spaces")
            })),
            &[("dpopNonceRequired", json!(true))],
        ),
    );
    ex(
        "nonce-unexpected",
        request(
            &g.proof(&pl("ex-nonu-Qw4eR7tY0u", &|p| {
                p["nonce"] = json!("eyJ7S_zG.eyJH0-Z.HX4w-7v")
            })),
            &[("dpopNonceRequired", json!(false))],
        ),
    );
    ex(
        "ath",
        request(
            &g.proof(&pl("ex-ath-Io3pA6sD9f", &|p| {
                p["ath"] = json!("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")
            })),
            &[],
        ),
    );
    ex(
        "with-mtls",
        request(&g.proof(&payload("ex-mtls-Gh2jK5lZ8x")), &[(
            "clientCertificate",
            json!("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU...\n-----END CERTIFICATE-----"),
        )]),
    );
}
