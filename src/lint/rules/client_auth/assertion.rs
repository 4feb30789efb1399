//! `client-auth/assertion-*`: the header, claims and signature of a
//! `client_assertion` (RFC 7523 §3, OpenID Connect Core §9,
//! draft-ietf-oauth-rfc7523bis). The structural rules (type, presence,
//! compact form) are in `assertion_type.rs` and `assertion_format.rs`; these
//! run only when the assertion parses as a compact JWS.

use serde_json::Value as J;

use super::assertion_diags as diags;
use crate::jose::jwk::{self, AlgKind};
use crate::jose::verify::{self, Verified};
use crate::lint::view::jwt::Jwt;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: ClientAuth;
    ALG = "client-auth/assertion-alg", Error,
        "RFC 8725 §3.1; RFC 7523 §3; OpenID Connect Core §9",
        "The client assertion's `alg` is missing, `none`, unregistered, or does not fit the key";
    TYP = "client-auth/assertion-typ", Info, "draft-ietf-oauth-rfc7523bis §4",
        "The client assertion is not explicitly typed `client-authentication+jwt`";
    ISS_SUB = "client-auth/assertion-iss-sub", Error, "RFC 7523 §3; OpenID Connect Core §9",
        "The client assertion's `iss` and `sub` must both be the client ID";
    AUD = "client-auth/assertion-aud", Error, "RFC 7523 §3; draft-ietf-oauth-rfc7523bis §4",
        "The client assertion's `aud` is missing or is not the authorization server";
    EXP = "client-auth/assertion-exp", Error, "RFC 7523 §3",
        "The client assertion's `exp` is missing or has passed";
    IAT_NBF = "client-auth/assertion-iat-nbf", Error, "RFC 7519 §4.1.5, §4.1.6; RFC 7523 §3",
        "The client assertion's `iat` or `nbf` is in the future or not a number";
    JTI = "client-auth/assertion-jti", Warning, "RFC 7523 §3; OpenID Connect Core §9",
        "The client assertion has no `jti` (OpenID Connect requires one)";
    SIGNATURE = "client-auth/assertion-signature", Error, "RFC 7523 §3",
        "The client assertion's signature does not verify with the client's key";
    UNVERIFIED = "client-auth/assertion-unverified", Info, "RFC 7523 §3",
        "The client assertion's signature was not checked (no `--client-jwks`, no client secret)";
}

const TYP_7523BIS: &str = "client-authentication+jwt";

/// What is wrong with the assertion's `alg`.
pub(super) enum AlgProblem<'a> {
    Missing,
    None,
    Unregistered(&'a str),
    /// A MAC with a public key in the header: key confusion.
    MacWithHeaderKey(&'a str),
    /// A MAC whose `kid` names an asymmetric key of the client's JWKS.
    MacWithPublicKey {
        alg: &'a str,
        kid: &'a str,
        kty: &'a str,
    },
    /// A MAC, but the client's key set holds only asymmetric keys (of these
    /// types) and no client secret is known: whatever the `kid`.
    MacWithAsymmetricKeys {
        alg: &'a str,
        kinds: Vec<&'a str>,
    },
    /// The client's key named by `kid` does not fit the algorithm.
    KeyMismatch(String),
}

/// What the `typ` is, when it is not the one draft-ietf-oauth-rfc7523bis asks for.
pub(super) enum TypProblem<'a> {
    Missing,
    /// The `typ` of another kind of JWT.
    OtherJwt(&'a str),
    Other(&'a str),
}

/// One reason the assertion does not name the client.
pub(super) enum IssSubProblem<'a> {
    /// `iss` or `sub` is missing or not a string.
    Missing(&'static str),
    Differ {
        iss: &'a str,
        sub: &'a str,
    },
    NotClientId {
        claim: &'static str,
        value: &'a str,
        id: &'a str,
    },
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    // None, over the size limit, or malformed: other rules say so.
    let Some(a) = cx.client_assertion().and_then(|v| v.parsed()) else {
        return;
    };
    let alg_problem = alg_problem(cx, &a);
    if let Some(p) = &alg_problem {
        sink.push(diags::alg(p, a.header_span()));
    }
    check_typ(&a, sink);
    check_iss_sub(cx, &a, sink);
    check_aud(cx, &a, sink);
    check_times(cx, &a, sink);
    if a.claims().get_str("jti").is_none_or(str::is_empty) {
        sink.push(diags::jti_missing(a.payload_span()));
    }
    check_signature(cx, &a, alg_problem.is_some(), sink);
}

fn alg_problem<'a>(cx: &'a Context, a: &Jwt<'a>) -> Option<AlgProblem<'a>> {
    let header = a.header();
    let Some(n) = header.get_str("alg") else {
        return Some(AlgProblem::Missing);
    };
    if n.eq_ignore_ascii_case("none") {
        return Some(AlgProblem::None);
    }
    let Some(alg) = jwk::find_alg(n) else {
        return Some(AlgProblem::Unregistered(n));
    };
    let kid = header.get_str("kid");
    let jwks_key = cx.settings.client_jwks.as_ref().and_then(|j| {
        verify::keys_of(j)
            .unwrap_or_default()
            .into_iter()
            .find(|k| kid.is_some() && k.get("kid").and_then(J::as_str) == kid)
    });
    if alg.kind != AlgKind::Mac {
        let k = jwks_key?;
        return jwk::check_kty(k, alg)
            .err()
            .map(|e| AlgProblem::KeyMismatch(e.describe()));
    }
    if header.get("jwk").is_some() || header.get("x5c").is_some() {
        return Some(AlgProblem::MacWithHeaderKey(n));
    }
    if let Some(key) = jwks_key {
        let kty = key.get("kty").and_then(J::as_str);
        return (kty != Some("oct")).then(|| AlgProblem::MacWithPublicKey {
            alg: n,
            kid: kid.unwrap_or_default(),
            kty: kty.unwrap_or("non-symmetric"),
        });
    }
    // Whatever the kid: a verifier that holds only asymmetric keys (and no
    // client secret) has nothing to check a MAC with, and one that takes a
    // public key as the HMAC secret is fooled.
    let jwks = cx.settings.client_jwks.as_ref()?;
    let keys = verify::keys_of(jwks).unwrap_or_default();
    let symmetric = keys
        .iter()
        .any(|k| k.get("kty").and_then(J::as_str) == Some("oct"));
    if symmetric || client_secret(cx).is_some() {
        return None;
    }
    let mut kinds: Vec<&str> = keys
        .iter()
        .filter_map(|k| k.get("kty").and_then(J::as_str))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    Some(AlgProblem::MacWithAsymmetricKeys { alg: n, kinds })
}

/// The client secret an HS* assertion is checked with (`clientSecret`).
fn client_secret<'a>(cx: &Context<'a>) -> Option<&'a str> {
    let s = cx.req.client_secret.as_ref()?;
    Some(s.value.as_str()).filter(|v| !v.is_empty())
}

fn check_typ(a: &Jwt, sink: &mut Sink) {
    let typ = a.header().get_str("typ");
    let problem = match typ {
        Some(t) if is_7523bis(t) => return,
        None => TypProblem::Missing,
        Some(
            t @ ("dpop+jwt"
            | "at+jwt"
            | "oauth-client-attestation+jwt"
            | "oauth-client-attestation-pop+jwt"
            | "logout+jwt"),
        ) => TypProblem::OtherJwt(t),
        Some(t) => TypProblem::Other(t),
    };
    sink.push(diags::typ(&problem, a.header_span()));
}

fn is_7523bis(typ: &str) -> bool {
    let t = typ.to_ascii_lowercase();
    t == TYP_7523BIS || t == format!("application/{TYP_7523BIS}")
}

fn check_iss_sub(cx: &Context, a: &Jwt, sink: &mut Sink) {
    let iss = a.claims().get_str("iss");
    let sub = a.claims().get_str("sub");
    let mut problems = Vec::new();
    if iss.is_none() {
        problems.push(IssSubProblem::Missing("iss"));
    }
    if sub.is_none() {
        problems.push(IssSubProblem::Missing("sub"));
    }
    if let (Some(iss), Some(sub)) = (iss, sub) {
        if iss != sub {
            problems.push(IssSubProblem::Differ { iss, sub });
        }
    }
    if let Some(id) = cx.client_id() {
        for (claim, v) in [("iss", iss), ("sub", sub)] {
            if let Some(value) = v.filter(|v| *v != id) {
                problems.push(IssSubProblem::NotClientId { claim, value, id });
            }
        }
    }
    if !problems.is_empty() {
        sink.push(diags::iss_sub(&problems, a.payload_span()));
    }
}

fn check_aud(cx: &Context, a: &Jwt, sink: &mut Sink) {
    let span = a.payload_span();
    let values: Vec<String> = match a.claims().get("aud").map(|v| v.to_json()) {
        None => return sink.push(diags::aud_missing(span)),
        Some(J::String(s)) => vec![s],
        Some(J::Array(v)) => v
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Some(_) => vec![],
    };
    if values.is_empty() {
        return sink.push(diags::aud_not_strings(span));
    }
    let issuer = cx.settings.issuer.as_deref();
    let endpoint = cx.settings.token_endpoint.as_deref();
    let accepted: Vec<&str> = issuer.into_iter().chain(endpoint).collect();
    if accepted.is_empty() || values.iter().any(|v| accepted.contains(&v.as_str())) {
        return;
    }
    sink.push(diags::aud_mismatch(&values, &accepted, issuer, span));
}

fn check_times(cx: &Context, a: &Jwt, sink: &mut Sink) {
    let now = cx.settings.now;
    let span = a.payload_span();
    if let Some(p) = a.exp_problem(now, true) {
        sink.push(diags::exp(&p, span));
    }
    let problems = a.iat_nbf_problems(now);
    if !problems.is_empty() {
        sink.push(diags::iat_nbf(&problems, span));
    }
}

/// `alg_reported`: `assertion-alg` already said the algorithm cannot work,
/// so a missing key is no news.
fn check_signature(cx: &Context, a: &Jwt, alg_reported: bool, sink: &mut Sink) {
    let alg = a.header().get_str("alg").and_then(jwk::find_alg);
    let Some(alg) = alg.filter(|al| al.kind != AlgKind::None) else {
        return; // assertion-alg says it
    };
    let mac = alg.kind == AlgKind::Mac;
    let jwks = cx.settings.client_jwks.as_ref();
    let outcome = match client_secret(cx).filter(|_| mac) {
        // client_secret_jwt: the client secret is the MAC key.
        Some(secret) => Some(verify::with_secret(a.value(), a.jws, secret.as_bytes())),
        None => jwks.map(|j| verify::with_jwks(a.value(), a.jws, j)),
    };
    match outcome {
        None if alg_reported => {}
        None => sink.push(diags::unverified(alg.name, mac)),
        // jwt/kid-unknown says so.
        Some(Verified::Valid { .. } | Verified::UnknownKid { .. }) => {}
        Some(Verified::NoKey { .. }) if alg_reported => {}
        Some(Verified::Invalid { reason } | Verified::NoKey { reason }) => {
            sink.push(diags::signature(mac, &reason, a.sig_span()))
        }
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use serde_json::json;

    use crate::lint::{rule_ids, Settings};

    const NOW: i64 = 1_767_225_600;

    /// A request with a client assertion of these claims, signed by nobody:
    /// no key is given, so its signature cannot be checked.
    fn ids(claims: serde_json::Value) -> Vec<&'static str> {
        let b64 = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let jwt = format!(
            "{}.{}.{}",
            b64(json!({"alg": "ES256", "typ": "client-authentication+jwt"})),
            b64(claims),
            URL_SAFE_NO_PAD.encode([7u8; 64])
        );
        let body = json!({"parameters": format!(
            "grant_type=client_credentials&client_id=app&client_assertion_type=\
             urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer\
             &client_assertion={jwt}"
        )});
        rule_ids(&body.to_string(), &Settings::with_now(NOW), "client-auth/")
    }

    /// "Unverified" limits what can be said about the signature, not about
    /// the claims: an unverifiable assertion's times still count.
    #[test]
    fn an_unverified_assertion_s_times_are_checked() {
        let base = json!({"iss": "app", "sub": "app", "aud": "https://as.example.com",
            "jti": "a1b2c3", "iat": NOW - 10, "exp": NOW + 60});
        let ok = ids(base.clone());
        assert!(ok.contains(&"client-auth/assertion-unverified"), "{ok:?}");
        assert!(!ok.contains(&"client-auth/assertion-exp"), "{ok:?}");
        let mut expired = base.clone();
        expired["exp"] = json!(NOW - 1);
        assert!(ids(expired).contains(&"client-auth/assertion-exp"));
        let mut early = base.clone();
        early["nbf"] = json!(NOW + 3600);
        assert!(ids(early).contains(&"client-auth/assertion-iat-nbf"));
        let mut millis = base;
        millis["iat"] = json!((NOW - 10) * 1000);
        assert!(ids(millis).contains(&"client-auth/assertion-iat-nbf"));
    }
}
