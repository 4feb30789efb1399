//! `attestation/`: OAuth 2.0 Attestation-Based Client Authentication
//! (draft-ietf-oauth-attestation-based-client-auth-10): the
//! `OAuth-Client-Attestation` JWT (`oauthClientAttestation`), its PoP
//! (`oauthClientAttestationPop`) and the DPoP combined mode.

use serde_json::Value as J;

use crate::jose::compact::{self, CompactJws, JsonPart};
use crate::jose::jwk::{self, AlgKind};
use crate::jose::verify::{self, Verified};
use crate::lint::{Context, Finding, Sink};
use crate::span::{Span, Text};

crate::lint::declare_rules! {
    area: Attestation;
    MALFORMED = "attestation/malformed", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §5.2; RFC 7515 §7.1",
        "An attestation header is not a single compact JWS";
    HEADER_MISSING = "attestation/header-missing", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §6.1, §6.2",
        "`oauthClientAttestation` without its PoP (and no DPoP combined mode), or a PoP without the attestation";
    TYP = "attestation/typ", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §4, §5.1; RFC 8725 §3.11",
        "The attestation or PoP does not have its required `typ`";
    ALG = "attestation/alg", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6; RFC 8725 §3.1",
        "The attestation or PoP `alg` is missing, `none`, unregistered, or (PoP) a MAC";
    ATTESTATION_MAC = "attestation/attestation-mac", Info, "draft-ietf-oauth-attestation-based-client-auth-10 §4",
        "The attestation is MAC-protected; many servers accept only signatures";
    SUB_MISMATCH = "attestation/sub-mismatch", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §4, §6.4",
        "The attestation's `sub` is missing or is not the request's client ID";
    EXP = "attestation/exp", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §4; RFC 7519 §4.1.4",
        "The attestation's `exp` is missing or has passed";
    CNF_JWK = "attestation/cnf-jwk", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §4, §6.1; RFC 7800 §3.2",
        "The attestation's `cnf.jwk` is missing, malformed, or holds a private key";
    LEGACY_ISS = "attestation/legacy-iss", Warning, "draft-ietf-oauth-attestation-based-client-auth-07 §4.2",
        "The PoP carries an `iss` that is not the client ID, which servers of draft 07 and earlier reject";
    SIGNATURE = "attestation/signature", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §6.1",
        "The attestation's signature does not verify with the attester keys given";
    UNVERIFIED = "attestation/unverified", Info, "draft-ietf-oauth-attestation-based-client-auth-10 §6.1",
        "The attestation's signature was not checked (no `--attester-jwks`)";
    POP_SIGNATURE = "attestation/pop-signature", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6.2",
        "The PoP is not signed by the attestation's `cnf.jwk`";
    POP_CLAIMS = "attestation/pop-claims", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §5.1",
        "The PoP lacks `aud`, `jti` or `iat`, or one has the wrong type";
    POP_AUD = "attestation/pop-aud", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6.2",
        "The PoP's `aud` is not the authorization server's issuer identifier alone";
    POP_IAT = "attestation/pop-iat", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §6.2, §12.1",
        "The PoP's `iat` is outside the acceptance window";
    POP_CHALLENGE = "attestation/pop-challenge", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §6.2, §7",
        "The PoP's `challenge` is missing or is not the server's challenge";
    COMBINED_MODE = "attestation/combined-mode", Warning, "draft-ietf-oauth-attestation-based-client-auth-10 §5.2, §6.3",
        "Attestation with a DPoP proof as its PoP (DPoP combined mode): the server must support attest_jwt_client_auth_dpop";
    COMBINED_KEY_MISMATCH = "attestation/combined-key-mismatch", Error, "draft-ietf-oauth-attestation-based-client-auth-10 §6.3",
        "DPoP combined mode, but the DPoP proof's `jwk` is not the attestation's `cnf.jwk`";
}

pub const ATTESTATION_TYP: &str = "oauth-client-attestation+jwt";
pub const POP_TYP: &str = "oauth-client-attestation-pop+jwt";
/// How old a PoP may be (node-oidc-provider's challenge and jti window).
pub const POP_MAX_AGE: i64 = 300;
/// How far in the future a PoP `iat` may be (clock skew).
pub const POP_MAX_SKEW: i64 = 60;

/// One parsed header value with where it is.
struct Jwt<'a> {
    text: &'a Text,
    field: &'static str,
    jws: CompactJws,
}

impl Jwt<'_> {
    fn header_span(&self) -> Span {
        self.text.sub_span(self.jws.header.raw.clone())
    }
    fn payload_span(&self) -> Span {
        self.text.sub_span(self.jws.payload.raw.clone())
    }
    fn sig_span(&self) -> Span {
        self.text.sub_span(self.jws.signature_raw.clone())
    }
    fn claims(&self) -> &JsonPart {
        &self.jws.payload
    }
    fn verify_jwk(&self, key: &J) -> Verified {
        verify::with_jwk(&self.text.value, &self.jws, key)
    }
}

fn parse<'a>(text: Option<&'a Text>, field: &'static str, sink: &mut Sink) -> Option<Jwt<'a>> {
    let text = text?;
    match compact::parse(&text.value) {
        Ok(jws) => Some(Jwt { text, field, jws }),
        Err(e) => {
            let raw = e.raw(text.value.len());
            sink.push(
                Finding::new(&MALFORMED, format!("`{field}` is not a compact JWS: {}", e.describe()))
                    .field(field)
                    .label(text.sub_span(raw), "here")
                    .help("the header carries the JWT in compact form: base64url(header).base64url(payload).base64url(signature)"),
            );
            None
        }
    }
}

/// The client ID the request names (body `client_id`, else `clientId`).
fn client_id(cx: &Context) -> Option<String> {
    cx.param_value("client_id")
        .map(str::to_owned)
        .or_else(|| cx.req.client_id.as_ref().map(|t| t.value.clone()))
        .filter(|s| !s.is_empty())
}

fn num(part: &JsonPart, key: &str) -> Option<Result<i64, ()>> {
    let v = part.get(key)?;
    Some(v.as_f64().map(|f| f as i64).ok_or(()))
}

/// The `Attestation` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Attestation,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    let att = parse(
        cx.req.oauth_client_attestation.as_ref(),
        "oauthClientAttestation",
        sink,
    );
    let pop = parse(
        cx.req.oauth_client_attestation_pop.as_ref(),
        "oauthClientAttestationPop",
        sink,
    );
    if cx.req.oauth_client_attestation.is_none() {
        if let Some(p) = &cx.req.oauth_client_attestation_pop {
            sink.push(
                Finding::new(&HEADER_MISSING, "`oauthClientAttestationPop` is sent without `oauthClientAttestation`: a PoP proves possession of the key in an attestation, and there is none")
                    .field("oauthClientAttestationPop")
                    .label(p.span, "PoP without attestation")
                    .help("send the OAuth-Client-Attestation header (oauthClientAttestation) the PoP belongs to"),
            );
        }
        return;
    }
    let Some(att) = att else { return };
    check_attestation(cx, &att, sink);
    let cnf = att
        .claims()
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .map(|m| m.value.to_json())
        .filter(|j| j.is_object());
    match (&cx.req.oauth_client_attestation_pop, pop) {
        (Some(_), Some(pop)) => check_pop(cx, &att, &pop, cnf.as_ref(), sink),
        (Some(_), None) => {}
        (None, _) => check_without_pop(cx, &att, cnf.as_ref(), sink),
    }
}

fn check_typ(jwt: &Jwt, want: &str, sink: &mut Sink) {
    let typ = jwt.jws.header.get_str("typ");
    let ok = typ.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t == want || t.strip_prefix("application/") == Some(want)
    });
    if ok {
        return;
    }
    let found = match typ {
        Some(t) => format!("`typ` is `{t}`"),
        None => "there is no `typ`".to_owned(),
    };
    let swapped = match (typ, want) {
        (Some(POP_TYP), ATTESTATION_TYP) | (Some(ATTESTATION_TYP), POP_TYP) => {
            ": the attestation and the PoP look swapped"
        }
        _ => "",
    };
    sink.push(
        Finding::new(&TYP, format!("`{}`: {found}, but it must be `{want}`{swapped}", jwt.field))
            .field(jwt.field)
            .label(jwt.header_span(), format!("typ must be {want}"))
            .help(format!("set the JOSE header `typ` to `{want}` (explicit typing keeps one kind of JWT from being accepted as another, RFC 8725 §3.11)")),
    );
}

/// Checks `alg`; returns whether it is a usable signature algorithm.
fn check_alg(jwt: &Jwt, is_pop: bool, sink: &mut Sink) {
    let what = if is_pop { "PoP" } else { "attestation" };
    let problem = match jwt.jws.header.get_str("alg") {
        None => Some("has no `alg`".to_owned()),
        Some(a) if a.eq_ignore_ascii_case("none") => Some("uses `alg: none` (unsigned)".to_owned()),
        Some(a) => match jwk::find_alg(a) {
            None => Some(format!(
                "uses `{a}`, which is not a registered JWS algorithm"
            )),
            Some(alg) if alg.kind == AlgKind::Mac && is_pop => Some(format!(
                "uses `{a}`, a MAC: the PoP must be signed with the private key of cnf.jwk"
            )),
            Some(alg) if alg.kind == AlgKind::Mac => {
                jwt_info_mac(jwt, a, sink);
                None
            }
            Some(_) => None,
        },
    };
    if let Some(p) = problem {
        sink.push(
            Finding::new(&ALG, format!("the {what} (`{}`) {p}", jwt.field))
                .field(jwt.field)
                .label(jwt.header_span(), "alg")
                .help("sign it with an asymmetric algorithm such as ES256 (the one every server accepts)"),
        );
    }
}

fn jwt_info_mac(jwt: &Jwt, alg: &str, sink: &mut Sink) {
    sink.push(
        Finding::new(
            &ATTESTATION_MAC,
            format!("the attestation is protected with `{alg}`, a MAC: draft 07 and later allow it, but drafts before 07 and node-oidc-provider's defaults (ES256, Ed25519, EdDSA) accept only signatures"),
        )
        .field(jwt.field)
        .label(jwt.header_span(), format!("alg {alg}"))
        .help("prefer an asymmetric signature (ES256): the server then needs only the attester's public key"),
    );
}

fn check_attestation(cx: &Context, att: &Jwt, sink: &mut Sink) {
    check_typ(att, ATTESTATION_TYP, sink);
    check_alg(att, false, sink);
    let claims = att.claims();
    let cid = client_id(cx);
    match (claims.get_str("sub"), &cid) {
        (None, _) => sink.push(
            Finding::new(&SUB_MISMATCH, "the attestation has no string `sub`; it must carry the client ID")
                .field(att.field)
                .label(att.payload_span(), "no sub")
                .help("the attester sets `sub` to the client_id of the OAuth client"),
        ),
        (Some(sub), Some(id)) if sub != id => sink.push(
            Finding::new(
                &SUB_MISMATCH,
                format!("the attestation's `sub` is `{sub}` but the request's client ID is `{id}`: the server rejects the mismatch (\"client_id mismatch\")"),
            )
            .field(att.field)
            .label(att.payload_span(), format!("sub {sub}"))
            .help("send client_id equal to the attestation's sub (or omit client_id); an attestation issued for another client cannot authenticate this one"),
        ),
        _ => {}
    }
    let now = cx.settings.now;
    match num(claims, "exp") {
        None => sink.push(
            Finding::new(&EXP, "the attestation has no `exp`, which is REQUIRED")
                .field(att.field)
                .label(att.payload_span(), "no exp")
                .help("the attester must limit the attestation's lifetime with `exp`"),
        ),
        Some(Err(())) => sink.push(
            Finding::new(
                &EXP,
                "the attestation's `exp` is not a number (NumericDate)",
            )
            .field(att.field)
            .label(att.payload_span(), "exp not a number")
            .help("`exp` is seconds since the epoch, as a JSON number"),
        ),
        Some(Ok(exp)) if exp <= now => sink.push(
            Finding::new(
                &EXP,
                format!(
                    "the attestation expired at {} ({} s before the check time {})",
                    crate::clock::format_rfc3339(exp),
                    now.saturating_sub(exp),
                    crate::clock::format_rfc3339(now)
                ),
            )
            .field(att.field)
            .label(att.payload_span(), "expired")
            .help("get a fresh attestation from the client attester"),
        ),
        _ => {}
    }
    check_cnf(att, sink);
    match &cx.settings.attester_jwks {
        Some(jwks) => {
            let v = verify::with_jwks(&att.text.value, &att.jws, jwks);
            let reason = match &v {
                Verified::Valid { .. } => None,
                Verified::Invalid { reason } | Verified::NoKey { reason } => Some(reason.clone()),
            };
            if let Some(reason) = reason {
                sink.push(
                    Finding::new(&SIGNATURE, format!("the attestation's signature does not verify with the attester keys given: {reason}"))
                        .field(att.field)
                        .label(att.sig_span(), "signature")
                        .help("the attestation must be signed by a client attester the server trusts (Authlete: clientAttesterRoots); check --attester-jwks and the header's kid"),
                );
            }
        }
        None => sink.push(
            Finding::new(
                &UNVERIFIED,
                "the attestation's signature was not verified: no attester key was given",
            )
            .field(att.field)
            .label(att.sig_span(), "not verified")
            .help("pass --attester-jwks FILE (the client attester's public JWKS) to verify it"),
        ),
    }
}

fn check_cnf(att: &Jwt, sink: &mut Sink) {
    let claims = att.claims();
    let problem = match claims.get("cnf") {
        None => Some("there is no `cnf` claim".to_owned()),
        Some(c) => match c.get("jwk").map(|m| m.value.to_json()) {
            None => Some(if c.get("jkt").is_some() {
                "`cnf` has `jkt` but not `jwk`: the server needs the key itself to verify the PoP"
                    .to_owned()
            } else {
                "`cnf` has no `jwk`".to_owned()
            }),
            Some(J::Object(o)) => {
                let private: Vec<&str> = jwk::PRIVATE_MEMBERS
                    .iter()
                    .copied()
                    .filter(|m| o.contains_key(*m))
                    .collect();
                if !private.is_empty() {
                    Some(format!(
                        "`cnf.jwk` contains private key material ({}): the client instance's private key has leaked into the attestation",
                        private.join(", ")
                    ))
                } else if !o.get("kty").is_some_and(J::is_string) {
                    Some("`cnf.jwk` has no string `kty`".to_owned())
                } else {
                    None
                }
            }
            Some(_) => Some("`cnf.jwk` is not a JSON object".to_owned()),
        },
    };
    if let Some(p) = problem {
        sink.push(
            Finding::new(&CNF_JWK, format!("the attestation's key binding is unusable: {p}"))
                .field(att.field)
                .label(att.payload_span(), "cnf")
                .help("the attestation must carry the client instance's PUBLIC key as cnf.jwk (RFC 7800 §3.2); rotate the key if a private part was exposed"),
        );
    }
}

fn check_pop(cx: &Context, att: &Jwt, pop: &Jwt, cnf: Option<&J>, sink: &mut Sink) {
    check_typ(pop, POP_TYP, sink);
    check_alg(pop, true, sink);
    if let Some(key) = cnf {
        let v = pop.verify_jwk(key);
        if let Verified::Invalid { reason } | Verified::NoKey { reason } = &v {
            sink.push(
                Finding::new(
                    &POP_SIGNATURE,
                    format!("the PoP does not verify with the attestation's cnf.jwk: {reason}; it was signed by another key"),
                )
                .field(pop.field)
                .label(pop.sig_span(), "not signed by cnf.jwk")
                .help("sign the PoP with the client instance key whose public half the attestation carries in cnf.jwk"),
            );
        }
    }
    let claims = pop.claims();
    let mut missing = Vec::new();
    let aud = claims.get("aud").map(|v| v.to_json());
    match &aud {
        None => missing.push("`aud` is missing".to_owned()),
        Some(J::String(_)) => {}
        Some(J::Array(a)) if a.iter().all(J::is_string) && !a.is_empty() => {}
        Some(_) => missing.push("`aud` is not a string".to_owned()),
    }
    match claims.get("jti") {
        None => missing.push("`jti` is missing".to_owned()),
        Some(v) if v.as_str().is_none_or(|t| t.value.is_empty()) => {
            missing.push("`jti` is not a non-empty string".to_owned())
        }
        _ => {}
    }
    let iat = num(claims, "iat");
    match iat {
        None => missing.push("`iat` is missing".to_owned()),
        Some(Err(())) => missing.push("`iat` is not a number".to_owned()),
        _ => {}
    }
    if !missing.is_empty() {
        sink.push(
            Finding::new(
                &POP_CLAIMS,
                format!(
                    "the PoP's required claims are wrong: {}",
                    missing.join("; ")
                ),
            )
            .field(pop.field)
            .label(pop.payload_span(), "aud, jti and iat are REQUIRED")
            .help("a PoP carries aud (the AS issuer identifier), a fresh unique jti and iat"),
        );
    }
    if let Some(aud) = &aud {
        check_pop_aud(cx, pop, aud, sink);
    }
    if let Some(Ok(iat)) = iat {
        let now = cx.settings.now;
        let age = now.saturating_sub(iat);
        if age > POP_MAX_AGE || -age > POP_MAX_SKEW {
            let when = if age > 0 {
                format!("{age} s before the check time")
            } else {
                format!("{} s after the check time", -age)
            };
            sink.push(
                Finding::new(
                    &POP_IAT,
                    format!(
                        "the PoP was issued at {} ({when} {}); servers accept PoPs from the last {POP_MAX_AGE} s with {POP_MAX_SKEW} s of clock skew",
                        crate::clock::format_rfc3339(iat),
                        crate::clock::format_rfc3339(now)
                    ),
                )
                .field(pop.field)
                .label(pop.payload_span(), "iat outside the window")
                .help("make a fresh PoP for every request (or pin the clock with --now when linting a capture)"),
            );
        }
    }
    if let Some(want) = &cx.settings.attestation_challenge {
        match claims.get_str("challenge") {
            Some(c) if c == want => {}
            got => sink.push(
                Finding::new(
                    &POP_CHALLENGE,
                    match got {
                        Some(c) => format!("the PoP's `challenge` is `{c}`, not the server's challenge `{want}`: the server answers use_attestation_challenge"),
                        None => format!("the PoP has no `challenge`, but the server issued `{want}`: the server answers use_attestation_challenge"),
                    },
                )
                .field(pop.field)
                .label(pop.payload_span(), "challenge")
                .help("fetch a challenge from the challenge endpoint (or the last OAuth-Client-Attestation-Challenge header) and put it in the PoP's `challenge` claim"),
            ),
        }
    }
    // Draft 07 and earlier: the PoP's iss is the client_id (= attestation sub).
    if let (Some(iss), Some(sub)) = (claims.get_str("iss"), att.claims().get_str("sub")) {
        if iss != sub {
            sink.push(
                Finding::new(
                    &LEGACY_ISS,
                    format!("the PoP's `iss` is `{iss}`, not the attestation's sub `{sub}`: servers implementing draft 07 or earlier require them equal (draft 08 removed `iss`)"),
                )
                .field(pop.field)
                .label(pop.payload_span(), format!("iss {iss}"))
                .help("drop `iss` from the PoP, or set it to the client ID"),
            );
        }
    }
}

fn check_pop_aud(cx: &Context, pop: &Jwt, aud: &J, sink: &mut Sink) {
    let issuer = cx.settings.issuer.as_deref();
    let (msg, help) = match (aud, issuer) {
        (J::Array(a), _) => (
            format!("the PoP's `aud` is an array of {}: a PoP is for a single audience, and node-oidc-provider requires a string", a.len()),
            "set `aud` to the authorization server's issuer identifier, as a string".to_owned(),
        ),
        (J::String(s), Some(iss)) if s != iss => {
            let hint = if s.trim_end_matches('/') == iss.trim_end_matches('/') {
                " (they differ only in a trailing slash; issuers are compared exactly)"
            } else if s.starts_with(iss) {
                " (that looks like an endpoint URL: the draft requires the issuer identifier itself)"
            } else {
                ""
            };
            (
                format!("the PoP's `aud` is `{s}`, not the issuer `{iss}`{hint}"),
                format!("set `aud` to `{iss}`, the issuer identifier from the AS metadata (RFC 8414)"),
            )
        }
        _ => return,
    };
    sink.push(
        Finding::new(&POP_AUD, msg)
            .field(pop.field)
            .label(pop.payload_span(), "aud")
            .help(help),
    );
}

/// The attestation came without a PoP: DPoP combined mode, or an error.
fn check_without_pop(cx: &Context, att: &Jwt, cnf: Option<&J>, sink: &mut Sink) {
    let dpop = cx
        .req
        .dpop
        .as_ref()
        .and_then(|t| compact::parse(&t.value).ok().map(|j| (t, j)));
    let Some((dtext, djws)) = dpop else {
        sink.push(
            Finding::new(&HEADER_MISSING, "`oauthClientAttestation` is sent without `oauthClientAttestationPop` and without a DPoP proof: nothing proves possession of the attested key")
                .field("oauthClientAttestation")
                .label(att.text.span, "attestation without PoP")
                .help("send the OAuth-Client-Attestation-PoP header (oauthClientAttestationPop), signed with the cnf.jwk key; or, where the server supports attest_jwt_client_auth_dpop, a DPoP proof made with that key"),
        );
        return;
    };
    let Some(cnf) = cnf else { return };
    let dkey = djws.header.get("jwk").map(|v| v.to_json());
    let tp = |k: &J| jwk::thumbprint(k).ok();
    let same = match (&dkey, tp(cnf)) {
        (Some(d), Some(c)) => tp(d).is_some_and(|t| t == c),
        _ => false,
    };
    let dspan = dtext.sub_span(djws.header.raw.clone());
    if same {
        sink.push(
            Finding::new(
                &COMBINED_MODE,
                "the attestation comes with a DPoP proof and no PoP, made with the attested key: this is DPoP combined mode (attest_jwt_client_auth_dpop), which the server must support; node-oidc-provider does not",
            )
            .field("oauthClientAttestation")
            .label(att.text.span, "attestation")
            .label(dspan, "DPoP proof with cnf.jwk as its jwk")
            .help("check that the server's token_endpoint_auth_methods_supported has attest_jwt_client_auth_dpop (or client_attestation_pop_methods_supported has dpop_combined); otherwise send an OAuth-Client-Attestation-PoP too"),
        );
    } else {
        let detail = match (&dkey, tp(cnf)) {
            (Some(d), Some(c)) => format!(
                "the proof's key has thumbprint {}, cnf.jwk has {c}",
                tp(d).unwrap_or_else(|| "(unreadable)".into())
            ),
            _ => "the proof has no usable jwk".to_owned(),
        };
        sink.push(
            Finding::new(
                &COMBINED_KEY_MISMATCH,
                format!("the attestation comes with a DPoP proof and no PoP (DPoP combined mode), but the proof's key is not the attested key: {detail}"),
            )
            .field("dpop")
            .label(dspan, "a different key")
            .label(att.text.span, "attestation")
            .help("in combined mode, make the DPoP proof with the client instance key from cnf.jwk; or send a separate OAuth-Client-Attestation-PoP"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// draft-ietf-oauth-attestation-based-client-auth-10, the examples.
    pub const ABCA10_ATTESTATION: &str = "eyJ0eXAiOiJvYXV0aC1jbGllbnQtYXR0ZXN0YXRpb24rand0IiwiYWxnIjoiRVMyNTYiLCJraWQiOiIxMSJ9.eyJzdWIiOiJodHRwczovL2NsaWVudC5leGFtcGxlLmNvbSIsImlhdCI6MTc3MjQ4NzU5NSwiZXhwIjoyNTI5ODY2Mzk0LCJjbmYiOnsiandrIjp7Imt0eSI6IkVDIiwidXNlIjoic2lnIiwiY3J2IjoiUC0yNTYiLCJ4IjoiVmNLVk5CWjRJYUJBWVczanhNNHczVEpGVkE3bXllVUdReUd0LWdfeXZwUSIsInkiOiJmLUUtaFlFM1RBV0t3aFZ2OXBlajlOQUJzOVNYOVhzTk84MHg1N2pGVHlVIn19fQ._TS4d-LAnRlwdN97wiVnl4z7C9gvm45IWr-BvGTzeZaHtZtgNZ88gvzroU3LElUPbgF4kWi_DFORnKzsx5yu6A";
    pub const ABCA10_POP_AS: &str = "eyJ0eXAiOiJvYXV0aC1jbGllbnQtYXR0ZXN0YXRpb24tcG9wK2p3dCIsImFsZyI6IkVTMjU2In0.eyJhdWQiOiJodHRwczovL2FzLmV4YW1wbGUuY29tIiwianRpIjoiZDI1ZDAwYWItNTUyYi00NmZjLWFlMTktOThmNDQwZjI1MDY0IiwiaWF0IjoxNzcyNDg3NTk1LCJjaGFsbGVuZ2UiOiI1YzFhOWUxMC0yOWZmLTRjMmItYWU3My01N2MwOTU3YzA5YzQifQ.M4Uc4rWVAqaLlmDDUXQKkKPbAQKj0JrTizLgWhZndmbkvM3VL8y-w_QJr7Z0HZlH94E64cLa8L5fSjJItYv0jg";
    pub const ABCA10_POP_RS: &str = "eyJ0eXAiOiJvYXV0aC1jbGllbnQtYXR0ZXN0YXRpb24tcG9wK2p3dCIsImFsZyI6IkVTMjU2In0.eyJhdWQiOiJodHRwczovL3JzLmV4YW1wbGUuY29tIiwianRpIjoiZDI1ZDAwYWItNTUyYi00NmZjLWFlMTktOThmNDQwZjI1MDY0IiwiaWF0IjoxNzcyNDg3NTk1LCJjaGFsbGVuZ2UiOiI1YzFhOWUxMC0yOWZmLTRjMmItYWU3My01N2MwOTU3YzA5YzQifQ.Uh-vRynTGGARZNqijGyovBMm_EsX5qu0fg0VGPVRsp1rJdF7rElbZcEv0CAtzm5kXhjSXHYGxEVb0I7HIeUFRg";

    fn cnf() -> J {
        let a = compact::parse(ABCA10_ATTESTATION).unwrap();
        a.payload
            .get("cnf")
            .unwrap()
            .get("jwk")
            .unwrap()
            .value
            .to_json()
    }

    #[test]
    fn abca10_pops_verify_with_cnf_jwk() {
        let key = cnf();
        assert_eq!(
            jwk::thumbprint(&key).unwrap(),
            "Ak20Cf62SpTybasujYXbaI-Ms655MyvOZCtnnf8y1QU"
        );
        for pop in [ABCA10_POP_AS, ABCA10_POP_RS] {
            let j = compact::parse(pop).unwrap();
            assert!(verify::with_jwk(pop, &j, &key).is_valid(), "{pop}");
        }
        // A tampered payload does not.
        let bad = ABCA10_POP_AS.replacen("eyJhdWQi", "eyJhdWQj", 1);
        if let Ok(j) = compact::parse(&bad) {
            assert!(!verify::with_jwk(&bad, &j, &key).is_valid());
        }
    }

    #[test]
    fn abca10_attestation_verifies_with_the_drafts_attester_key() {
        // The "Client Attestation Key" published in the draft repository's README.
        let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "11",
            "x": "EVs_o5-uQbTjL3chynL4wXgUg2R9q9UU8I5mEovUf84",
            "y": "kGe5DgSIycKp8w9aJmoHhB1sB3QTugfnRWm5nU_TzsY"}]});
        let j = compact::parse(ABCA10_ATTESTATION).unwrap();
        let v = verify::with_jwks(ABCA10_ATTESTATION, &j, &jwks);
        assert_eq!(v, Verified::Valid { key: "11".into() });
    }

    fn lint(body: serde_json::Value, settings: crate::lint::Settings) -> Vec<&'static str> {
        let loaded = crate::request::fixture::load_str("t.json", &body.to_string());
        let r = crate::lint::lint(&loaded, &settings);
        r.findings.iter().map(|f| f.rule.id).collect()
    }

    #[test]
    fn abca10_examples_pass_at_their_time_and_negatives_are_caught() {
        let mut s = crate::lint::Settings::with_now(1_772_487_600);
        s.issuer = Some("https://as.example.com".into());
        s.attestation_challenge = Some("5c1a9e10-29ff-4c2b-ae73-57c0957c09c4".into());
        let token = json!({"parameters": "grant_type=authorization_code&code=n0esc3NRze7LTCu7iYzS6a5acc3f0ogp4",
            "oauthClientAttestation": ABCA10_ATTESTATION, "oauthClientAttestationPop": ABCA10_POP_AS});
        let ids = lint(token, s.clone());
        for bad in [
            POP_SIGNATURE.id,
            POP_AUD.id,
            POP_IAT.id,
            POP_CHALLENGE.id,
            TYP.id,
            EXP.id,
            SUB_MISMATCH.id,
            CNF_JWK.id,
        ] {
            assert!(!ids.contains(&bad), "{bad} in {ids:?}");
        }
        // The resource-server PoP presented to the AS: wrong audience.
        let rs = json!({"parameters": "grant_type=authorization_code&code=x",
            "oauthClientAttestation": ABCA10_ATTESTATION, "oauthClientAttestationPop": ABCA10_POP_RS});
        assert!(lint(rs, s.clone()).contains(&POP_AUD.id));
        // The PAR example: client_id s6BhdRkqt3, attestation sub https://client.example.com.
        let par = json!({"parameters": "response_type=code&client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw",
            "oauthClientAttestation": ABCA10_ATTESTATION, "oauthClientAttestationPop": ABCA10_POP_AS});
        assert!(lint(par, s.clone()).contains(&SUB_MISMATCH.id));
        // At 2026-01-01 the PoP's iat (2026-03-02) is in the future.
        let mut early = s.clone();
        early.now = 1_767_225_600;
        let token = json!({"parameters": "grant_type=authorization_code&code=x",
            "oauthClientAttestation": ABCA10_ATTESTATION, "oauthClientAttestationPop": ABCA10_POP_AS});
        assert!(lint(token, early).contains(&POP_IAT.id));
    }
}
