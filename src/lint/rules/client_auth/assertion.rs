//! `client-auth/assertion-*`: the claims and signature of a `client_assertion`
//! (RFC 7523 §3, OpenID Connect Core §9, draft-ietf-oauth-rfc7523bis). The
//! structural rules (type, presence, compact form) are in `client_auth.rs`;
//! these run only when the assertion parses as a compact JWS.

use serde_json::Value as J;

use crate::clock::format_rfc3339;
use crate::form::Pair;
use crate::jose::compact::{self, CompactJws};
use crate::jose::jwk::{self, AlgKind};
use crate::jose::verify::{self, Verified};
use crate::lint::{Context, Finding, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: ClientAuth;
    ALG = "client-auth/assertion-alg", Error, "RFC 8725 §3.1; RFC 7523 §3; OpenID Connect Core §9",
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

/// Clock skew allowed for `iat`/`nbf` in the future (Spring's default).
pub const SKEW: i64 = 60;
pub const TYP_7523BIS: &str = "client-authentication+jwt";

struct Assertion<'p> {
    pair: &'p Pair,
    jws: CompactJws,
}

impl Assertion<'_> {
    fn header_span(&self, cx: &Context) -> Span {
        cx.value_sub_span(self.pair, self.jws.header.raw.clone())
    }
    fn payload_span(&self, cx: &Context) -> Span {
        cx.value_sub_span(self.pair, self.jws.payload.raw.clone())
    }
    fn sig_span(&self, cx: &Context) -> Span {
        cx.value_sub_span(self.pair, self.jws.signature_raw.clone())
    }
}

const FIELD: &str = "parameters.client_assertion";

pub fn check(cx: &Context, sink: &mut Sink) {
    let Some(pair) = cx.param("client_assertion") else {
        return;
    };
    if crate::lint::rules::input::jws_over_limit(&pair.value, &cx.settings.limits) {
        return; // input/jws-too-large
    }
    let Ok(jws) = compact::parse(&pair.value) else {
        return; // client-auth/assertion-malformed says why
    };
    let a = Assertion { pair, jws };
    check_alg(cx, &a, sink);
    check_typ(cx, &a, sink);
    check_iss_sub(cx, &a, sink);
    check_aud(cx, &a, sink);
    check_times(cx, &a, sink);
    check_jti(cx, &a, sink);
    check_signature(cx, &a, sink);
}

fn check_alg(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let alg = a.jws.header.get_str("alg");
    let problem = match alg.map(|n| (n, jwk::find_alg(n))) {
        None => Some("the header has no `alg`".to_owned()),
        Some((n, _)) if n.eq_ignore_ascii_case("none") => {
            Some("`alg` is `none`: an unsigned assertion authenticates nobody".to_owned())
        }
        Some((n, None)) => Some(format!("`{n}` is not a registered JWS algorithm")),
        Some((n, Some(alg))) => {
            let kid = a.jws.header.get_str("kid");
            let jwks_key = cx.settings.client_jwks.as_ref().and_then(|j| {
                let keys = j.get("keys").and_then(J::as_array)?;
                keys.iter()
                    .find(|k| kid.is_some() && k.get("kid").and_then(J::as_str) == kid)
                    .cloned()
            });
            if alg.kind == AlgKind::Mac {
                if a.jws.header.get("jwk").is_some() || a.jws.header.get("x5c").is_some() {
                    Some(format!("`{n}` is a MAC, yet the header carries a public key (jwk/x5c): a server that takes that key as the HMAC secret can be fooled (key confusion)"))
                } else {
                    jwks_key
                        .filter(|k| k.get("kty").and_then(J::as_str) != Some("oct"))
                        .map(|k| format!(
                            "`{n}` (client_secret_jwt) names kid `{}`, which is a {} public key in the client's JWKS: HS* with a public key is the classic key-confusion attack",
                            kid.unwrap_or_default(),
                            k.get("kty").and_then(J::as_str).unwrap_or("non-symmetric")
                        ))
                }
            } else if let Some(k) = jwks_key {
                jwk::check_kty(&k, alg).err().map(|e| e.describe())
            } else {
                None
            }
        }
    };
    if let Some(p) = problem {
        sink.push(
            Finding::new(&ALG, format!("the client assertion's algorithm is unacceptable: {p}"))
                .field(FIELD)
                .label(a.header_span(cx), "alg")
                .help("private_key_jwt: sign with the client's private key (ES256, PS256, RS256 …); client_secret_jwt: HS256 with the client secret. Never `none`; the server also checks it against token_endpoint_auth_signing_alg"),
        );
    }
}

fn check_typ(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let typ = a.jws.header.get_str("typ");
    if typ.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t == TYP_7523BIS || t == format!("application/{TYP_7523BIS}")
    }) {
        return;
    }
    let msg = match typ {
        None => "the client assertion has no `typ`; draft-ietf-oauth-rfc7523bis says it SHOULD be `client-authentication+jwt`".to_owned(),
        Some(t) if matches!(t, "dpop+jwt" | "at+jwt" | "oauth-client-attestation+jwt" | "oauth-client-attestation-pop+jwt" | "logout+jwt") => {
            format!("the client assertion is typed `{t}`, which is another kind of JWT: a JWT made for one purpose is being used for another")
        }
        Some(t) => format!("the client assertion is typed `{t}`, not `client-authentication+jwt` (draft-ietf-oauth-rfc7523bis)"),
    };
    sink.push(
        Finding::new(&TYP, msg)
            .field(FIELD)
            .label(a.header_span(cx), "typ")
            .help("add \"typ\": \"client-authentication+jwt\" to the header; servers are told not to reject untyped assertions yet, so this is advice, not a failure"),
    );
}

/// The client ID from the body, else from the Basic header.
fn client_id(cx: &Context) -> Option<String> {
    cx.param_value("client_id")
        .map(str::to_owned)
        .or_else(|| cx.req.client_id.as_ref().map(|t| t.value.clone()))
        .filter(|s| !s.is_empty())
}

fn check_iss_sub(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let c = &a.jws.payload;
    let iss = c.get_str("iss");
    let sub = c.get_str("sub");
    let cid = client_id(cx);
    let mut problems = Vec::new();
    if iss.is_none() {
        problems.push("`iss` is missing (or not a string)".to_owned());
    }
    if sub.is_none() {
        problems.push("`sub` is missing (or not a string)".to_owned());
    }
    if let (Some(i), Some(s)) = (iss, sub) {
        if i != s {
            problems.push(format!("`iss` (`{i}`) and `sub` (`{s}`) differ"));
        }
    }
    if let Some(id) = &cid {
        for (name, v) in [("iss", iss), ("sub", sub)] {
            if let Some(v) = v.filter(|v| v != id) {
                problems.push(format!("`{name}` is `{v}`, not the client ID `{id}`"));
            }
        }
    }
    if problems.is_empty() {
        return;
    }
    problems.dedup();
    sink.push(
        Finding::new(&ISS_SUB, format!("the client assertion does not name the client: {}", problems.join("; ")))
            .field(FIELD)
            .label(a.payload_span(cx), "iss and sub must be the client ID")
            .help("for client authentication both `iss` and `sub` are the client_id (RFC 7523 §3 items 1 and 2.B; OpenID Connect Core §9)"),
    );
}

fn check_aud(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let aud = a.jws.payload.get("aud").map(|v| v.to_json());
    let values: Vec<String> = match &aud {
        None => {
            sink.push(
                Finding::new(&AUD, "the client assertion has no `aud`: RFC 7523 requires the authorization server as its audience (Authlete: A314314)")
                    .field(FIELD)
                    .label(a.payload_span(cx), "no aud")
                    .help("set `aud` to the authorization server's issuer identifier"),
            );
            return;
        }
        Some(J::String(s)) => vec![s.clone()],
        Some(J::Array(v)) => v
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Some(_) => vec![],
    };
    let issuer = cx.settings.issuer.as_deref();
    let endpoint = cx.settings.token_endpoint.as_deref();
    let accepted: Vec<&str> = issuer.into_iter().chain(endpoint).collect();
    if values.is_empty() {
        sink.push(
            Finding::new(
                &AUD,
                "the client assertion's `aud` is neither a string nor an array of strings",
            )
            .field(FIELD)
            .label(a.payload_span(cx), "aud")
            .help("set `aud` to the authorization server's issuer identifier"),
        );
        return;
    }
    if accepted.is_empty() || values.iter().any(|v| accepted.contains(&v.as_str())) {
        return;
    }
    sink.push(
        Finding::new(
            &AUD,
            format!(
                "the client assertion's `aud` ({}) names neither the issuer nor the token endpoint ({}): the server rejects it (Authlete: A314314)",
                values.join(", "),
                accepted.join(", ")
            ),
        )
        .field(FIELD)
        .label(a.payload_span(cx), "aud")
        .help(match issuer {
            Some(i) => format!("set `aud` to `{i}`: the issuer identifier is the one value every server accepts, and the only one draft-ietf-oauth-rfc7523bis allows"),
            None => "set `aud` to the authorization server's issuer identifier".to_owned(),
        }),
    );
}

fn time(a: &Assertion, key: &str) -> Option<Result<i64, ()>> {
    let v = a.jws.payload.get(key)?;
    Some(v.as_f64().map(|f| f as i64).ok_or(()))
}

fn check_times(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let now = cx.settings.now;
    let span = a.payload_span(cx);
    let exp_msg = match time(a, "exp") {
        None => Some(
            "the client assertion has no `exp`, which RFC 7523 requires (Authlete: A314305)"
                .to_owned(),
        ),
        Some(Err(())) => Some("the client assertion's `exp` is not a number".to_owned()),
        Some(Ok(exp)) if exp <= now => Some(format!(
            "the client assertion expired at {} ({} s before the check time {})",
            format_rfc3339(exp),
            now.saturating_sub(exp),
            format_rfc3339(now)
        )),
        _ => None,
    };
    if let Some(m) = exp_msg {
        sink.push(
            Finding::new(&EXP, m)
                .field(FIELD)
                .label(span, "exp")
                .help("make a fresh assertion for each request with a short lifetime (e.g. exp = now + 60 s); pin the clock with --now when linting a capture"),
        );
    }
    let mut problems = Vec::new();
    for key in ["iat", "nbf"] {
        match time(a, key) {
            Some(Err(())) => problems.push(format!("`{key}` is not a number")),
            Some(Ok(t)) if t > now.saturating_add(SKEW) => problems.push(format!(
                "`{key}` is {} ({} s after the check time {})",
                format_rfc3339(t),
                t.saturating_sub(now),
                format_rfc3339(now)
            )),
            _ => {}
        }
    }
    if let (Some(Ok(iat)), Some(Ok(exp))) = (time(a, "iat"), time(a, "exp")) {
        if iat >= exp {
            problems.push(format!("`iat` ({iat}) is not before `exp` ({exp})"));
        }
    }
    if !problems.is_empty() {
        sink.push(
            Finding::new(&IAT_NBF, format!("the client assertion's times are not sane: {}", problems.join("; ")))
                .field(FIELD)
                .label(span, "iat / nbf")
                .help("set iat (and nbf, if used) to the current time from a synchronised clock; a clock ahead of the server makes the assertion \"not yet valid\""),
        );
    }
}

fn check_jti(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let ok = a.jws.payload.get_str("jti").is_some_and(|j| !j.is_empty());
    if ok {
        return;
    }
    sink.push(
        Finding::new(&JTI, "the client assertion has no `jti`: RFC 7523 makes it optional, but OpenID Connect Core §9 requires it and node-oidc-provider rejects assertions without one")
            .field(FIELD)
            .label(a.payload_span(cx), "no jti")
            .help("add a unique `jti` (e.g. a random UUID) to every assertion; servers use it to refuse replays"),
    );
}

fn check_signature(cx: &Context, a: &Assertion, sink: &mut Sink) {
    let alg = a.jws.header.get_str("alg").and_then(jwk::find_alg);
    let Some(alg) = alg.filter(|al| al.kind != AlgKind::None) else {
        return; // assertion-alg says it
    };
    let value = &a.pair.value;
    let outcome = if alg.kind == AlgKind::Mac {
        cx.req
            .client_secret
            .as_ref()
            .filter(|s| !s.value.is_empty())
            .map(|s| verify::with_secret(value, &a.jws, s.value.as_bytes()))
    } else {
        cx.settings
            .client_jwks
            .as_ref()
            .map(|j| verify::with_jwks(value, &a.jws, j))
    };
    match outcome {
        None => {
            let how = if alg.kind == AlgKind::Mac {
                "an HS* assertion is checked with the client secret (`clientSecret`)"
            } else {
                "pass --client-jwks FILE (the client's public JWKS) to check it"
            };
            sink.push(
                Finding::new(
                    &UNVERIFIED,
                    format!(
                        "the client assertion's {} signature was not verified: no key was given",
                        alg.name
                    ),
                )
                .field(FIELD)
                .label(a.sig_span(cx), "not verified")
                .help(how),
            );
        }
        Some(Verified::Valid { .. }) => {}
        Some(Verified::Invalid { reason } | Verified::NoKey { reason }) => {
            let whose = if alg.kind == AlgKind::Mac {
                "the client secret"
            } else {
                "the client's JWKS"
            };
            sink.push(
                Finding::new(&SIGNATURE, format!("the client assertion's signature does not verify with {whose}: {reason}"))
                    .field(FIELD)
                    .label(a.sig_span(cx), "signature")
                    .help("sign with the key registered for the client (its jwks / jwks_uri, or the client secret for HS*), and put that key's kid in the header"),
            );
        }
    }
}
