//! Writes `testdata/attacks/`: the RFC 8725 attacks on the three JWTs a token
//! request carries (the DPoP proof, a `client_assertion`, the client
//! attestation and its PoP), one fixture per attack and carrier, plus
//! `manifest.json` naming the error rule each must raise
//! (`tests/it/attacks.rs` checks them).
//!
//! The attacks: `alg: none`; HS256 with the signer's public key (PEM) as the
//! HMAC secret; `crit` naming an extension the recipient cannot know;
//! an embedded `jwk` with private parts; `jku` and `x5u` pointing at an
//! attacker's host; an oversized `jti`; a non-canonical base64url signature
//! (set trailing bits, which lenient decoders ignore); duplicate members in
//! the header.
//!
//! Run: `cargo xtask attack-testdata`. Keys come from
//! `testdata/keys`, `testdata/assertion` and `testdata/attestation`. ECDSA
//! signatures are randomized, so a fixture whose header and payload did not
//! change keeps its old signature (the files stay stable across runs).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use serde_json::{json, Map, Value};
use tokenlint::toolkit::dpop::SigningKey;

const NOW: i64 = 1767225600;
const EP: &str = "https://as.example.com/token";
const ISSUER: &str = "https://as.example.com";
const CLIENT: &str = "s6BhdRkqt3";
const CHALLENGE: &str = "ch-7Hq2vXw9";
const ATTACKER: &str = "https://attacker.example";

fn load(rel: &str) -> SigningKey {
    SigningKey::load(&crate::root().join(rel), Some("ES256"), usize::MAX).expect(rel)
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The signer's public key as PEM: what an HS256 confusion attack uses as
/// the HMAC secret.
fn public_pem(k: &SigningKey) -> Vec<u8> {
    let pem = k.private_pem_text().unwrap();
    let pkey = PKey::private_key_from_pem(pem.as_bytes()).unwrap();
    pkey.public_key_to_pem().unwrap()
}

/// One JWT carrier: how to sign its JWT and where it goes in the request.
struct Carrier {
    name: &'static str,
    key: SigningKey,
    header: Value,
    payload: Value,
}

impl Carrier {
    fn jws(&self, header_text: &str, payload: &Value) -> String {
        let h = b64(header_text.as_bytes());
        let p = b64(payload.to_string().as_bytes());
        self.key.sign_parts(&h, &p).unwrap()
    }

    fn signed(&self, header: &Value, payload: &Value) -> String {
        self.jws(&header.to_string(), payload)
    }

    /// The request carrying `jwt` in this carrier's place.
    fn request(&self, jwt: &str, pop_key: &SigningKey) -> Value {
        match self.name {
            "dpop" => json!({
                "parameters": format!("grant_type=client_credentials&client_id={CLIENT}"),
                "dpop": jwt, "htm": "POST", "htu": EP,
            }),
            "assertion" => json!({
                "parameters": format!(
                    "grant_type=client_credentials&client_id={CLIENT}&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={jwt}"
                ),
            }),
            _ => {
                let pop = pop_key
                    .sign_compact(
                        &json!({"typ": "oauth-client-attestation-pop+jwt", "alg": "ES256"}),
                        &json!({"aud": ISSUER, "jti": "pop-attack-7Qw2", "iat": NOW - 5, "challenge": CHALLENGE}),
                    )
                    .unwrap();
                json!({
                    "parameters": format!("grant_type=client_credentials&client_id={CLIENT}"),
                    "oauthClientAttestation": jwt,
                    "oauthClientAttestationPop": pop,
                })
            }
        }
    }

    /// (attack, JWT, expected rule).
    fn attacks(&self) -> Vec<(&'static str, String, &'static str)> {
        let with = |extra: Value| {
            let mut h = self.header.clone();
            for (k, v) in extra.as_object().unwrap() {
                h[k] = v.clone();
            }
            h
        };
        let rule = |dpop: &'static str, assertion: &'static str, attestation: &'static str| {
            match self.name {
                "dpop" => dpop,
                "assertion" => assertion,
                _ => attestation,
            }
        };
        let mut out = Vec::new();

        // alg: none, no signature (RFC 8725 §2.1, §3.1).
        let h = with(json!({"alg": "none"}));
        let unsigned = format!(
            "{}.{}.",
            b64(h.to_string().as_bytes()),
            b64(self.payload.to_string().as_bytes())
        );
        out.push((
            "alg-none",
            unsigned,
            rule(
                "dpop/alg-none",
                "client-auth/assertion-malformed",
                "attestation/malformed",
            ),
        ));

        // HS256 keyed with the signer's public key (RFC 8725 §2.1, §3.1).
        let h = with(json!({"alg": "HS256"}));
        let input = format!(
            "{}.{}",
            b64(h.to_string().as_bytes()),
            b64(self.payload.to_string().as_bytes())
        );
        let mac_key = PKey::hmac(&public_pem(&self.key)).unwrap();
        let mut signer = Signer::new(MessageDigest::sha256(), &mac_key).unwrap();
        signer.update(input.as_bytes()).unwrap();
        let mac = signer.sign_to_vec().unwrap();
        out.push((
            "hs256-public-key",
            format!("{input}.{}", b64(&mac)),
            rule(
                "dpop/alg-symmetric",
                "client-auth/assertion-alg",
                "attestation/signature",
            ),
        ));

        // crit naming an extension nobody implements (RFC 7515 §4.1.11).
        let h = with(json!({"crit": ["urn:attacker:ignore-exp"], "urn:attacker:ignore-exp": true}));
        out.push((
            "crit",
            self.signed(&h, &self.payload),
            rule("dpop/crit", "jwt/crit-unsupported", "jwt/crit-unsupported"),
        ));

        // An embedded jwk with its private part (RFC 9449 §4.2; RFC 8725 §3.10).
        let mut private = serde_json::from_str::<Value>(&self.key.private_jwk_text()).unwrap();
        private.as_object_mut().unwrap().remove("alg");
        let h = with(json!({"jwk": private}));
        out.push((
            "jwk-private",
            self.signed(&h, &self.payload),
            rule(
                "dpop/jwk-private",
                "jwt/private-key-in-header",
                "jwt/private-key-in-header",
            ),
        ));

        // jku / x5u: fetch the key from where the attacker says (RFC 8725 §3.10).
        let h = with(json!({"jku": format!("{ATTACKER}/jwks.json")}));
        out.push((
            "jku",
            self.signed(&h, &self.payload),
            rule("jwt/key-url", "jwt/key-url", "jwt/key-url"),
        ));
        let h = with(json!({"x5u": format!("{ATTACKER}/cert.pem")}));
        out.push((
            "x5u",
            self.signed(&h, &self.payload),
            rule("jwt/key-url", "jwt/key-url", "jwt/key-url"),
        ));

        // An oversized jti: 8 KiB, under the JWS limit, far over any replay cache's key size.
        let mut p = self.payload.clone();
        p["jti"] = json!("J".repeat(8192));
        out.push((
            "jti-oversized",
            self.signed(&self.header, &p),
            rule(
                "jwt/jti-oversized",
                "jwt/jti-oversized",
                "jwt/jti-oversized",
            ),
        ));

        // A non-canonical base64url signature: the last character's unused
        // bits set (a 64-byte ES256 signature leaves 4), which lenient
        // decoders ignore: the same token spelled differently.
        let good = self.signed(&self.header, &self.payload);
        let mut chars: Vec<char> = good.chars().collect();
        if let Some(last) = chars.last_mut() {
            const A: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let i = A.find(*last).unwrap_or(0);
            *last = A.as_bytes()[(i & !0x0f) | 0x05] as char;
        }
        out.push((
            "b64url-noncanonical",
            chars.into_iter().collect(),
            rule(
                "dpop/b64url",
                "client-auth/assertion-malformed",
                "attestation/malformed",
            ),
        ));

        // Duplicate header members: a parser keeping the first sees one
        // alg, one keeping the last another (RFC 8725 §3.7 hints; RFC 7515 §4).
        let text = self.header.to_string();
        let dup = format!("{},\"alg\":\"none\"}}", &text[..text.len() - 1]);
        out.push((
            "duplicate-member",
            self.jws(&dup, &self.payload),
            rule(
                "dpop/duplicate-member",
                "jwt/duplicate-member",
                "jwt/duplicate-member",
            ),
        ));
        out
    }
}

/// A value with every JWS signature removed, to compare fixtures that
/// differ only by a (randomized) ECDSA signature.
fn unsigned(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(
            s.split('&')
                .map(|part| {
                    let (k, val) = part.split_once('=').unwrap_or(("", part));
                    let segs: Vec<&str> = val.split('.').collect();
                    let val = if segs.len() == 3 {
                        format!("{}.{}", segs[0], segs[1])
                    } else {
                        val.to_owned()
                    };
                    if k.is_empty() {
                        val
                    } else {
                        format!("{k}={val}")
                    }
                })
                .collect::<Vec<_>>()
                .join("&"),
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), unsigned(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

pub fn run() {
    let dir = crate::root().join("testdata/attacks");
    std::fs::create_dir_all(&dir).unwrap();
    let dpop_key = load("testdata/keys/dpop-es256.jwk");
    let client_key = load("testdata/assertion/client.key");
    let attester_key = load("testdata/attestation/attester.key");
    let instance_key = load("testdata/attestation/instance.key");
    let carriers = [
        Carrier {
            name: "dpop",
            header: dpop_key.proof_header(),
            payload: json!({"jti": "attack-jti-Zx81", "htm": "POST", "htu": EP, "iat": NOW - 5}),
            key: dpop_key,
        },
        Carrier {
            name: "assertion",
            header: json!({"typ": "client-authentication+jwt", "alg": "ES256", "kid": "client-key-1"}),
            payload: json!({"iss": CLIENT, "sub": CLIENT, "aud": ISSUER, "jti": "attack-jti-Qp40", "iat": NOW - 10, "exp": NOW + 290}),
            key: client_key,
        },
        Carrier {
            name: "attestation",
            header: json!({"typ": "oauth-client-attestation+jwt", "alg": "ES256", "kid": "attester-1"}),
            payload: json!({"sub": CLIENT, "iat": NOW - 3600, "exp": NOW + 86400, "jti": "attack-jti-Lm93", "cnf": {"jwk": instance_key.public_jwk()}}),
            key: attester_key,
        },
    ];
    let mut manifest = Map::new();
    for c in &carriers {
        for (attack, jwt, rule) in c.attacks() {
            let name = format!("{}-{attack}.json", c.name);
            let body = c.request(&jwt, &instance_key);
            let path = dir.join(&name);
            let old: Option<Value> = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok());
            let body = match old {
                Some(o) if unsigned(&o) == unsigned(&body) => o,
                _ => body,
            };
            let mut text = serde_json::to_string_pretty(&body).unwrap();
            text.push('\n');
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                std::fs::write(&path, text).unwrap();
                println!("wrote {}", path.display());
            }
            manifest.insert(name, json!(rule));
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(manifest)).unwrap();
    text.push('\n');
    std::fs::write(dir.join("manifest.json"), text).unwrap();
}
