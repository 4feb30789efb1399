//! The claims of a JWT: an oversized `jti`, an `aud` nothing is known to
//! compare with.

use super::diags;
use super::jwts::Jwt;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Jwt;
    JTI_OVERSIZED = "jwt/jti-oversized", Error, "RFC 8725 §3.10; RFC 9449 §11.1",
        "A JWT's `jti` is over 1 KiB: an attack on the server's replay cache";
    AUD_UNCHECKED = "jwt/aud-unchecked", Info,
        "RFC 7523 §3; draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6.2",
        "A JWT's `aud` was not checked: no issuer (or token endpoint) is known";
}

/// Longer than this, a `jti` is not an identifier but a payload: replay
/// caches key on it (node-oidc-provider and Authlete store every jti until
/// the proof expires), so one request can make the server store kilobytes.
pub const MAX_JTI: usize = 1024;

pub(super) fn check(jwt: &Jwt, sink: &mut Sink) {
    let Some(jti) = jwt.jws.payload.value.get("jti") else {
        return;
    };
    // A jti that is not a string: its JSON text is what a cache would hold.
    let len = jti
        .value
        .as_str()
        .map_or(jti.value.span.len, |t| t.value.len());
    if len > MAX_JTI {
        sink.push(diags::jti_oversized(jwt, jti, len));
    }
}

/// What a JWT's `aud` is compared with, when something is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Audience {
    /// The issuer identifier or the token endpoint URL (RFC 7523 §3).
    IssuerOrEndpoint,
    /// The issuer identifier alone (an attestation PoP).
    Issuer,
}

/// The audience the JWT in `field` must name; `None` for a JWT whose `aud`
/// no rule compares (the DPoP proof has none, the attestation is for the
/// client).
pub(super) fn audience(field: &str) -> Option<Audience> {
    match field {
        "parameters.client_assertion" | "parameters.assertion" => Some(Audience::IssuerOrEndpoint),
        "oauthClientAttestationPop" => Some(Audience::Issuer),
        _ => None,
    }
}

/// An `aud` that its area's rule could not compare because neither the
/// issuer nor (where it counts) the token endpoint is known: say so, as
/// `dpop/htu-unknown-target` does for `htu`.
pub(super) fn check_aud_known(cx: &Context, jwt: &Jwt, sink: &mut Sink) {
    let Some(want) = audience(jwt.field) else {
        return;
    };
    if jwt.jws.payload.value.get("aud").is_none() {
        return; // the area's own rule says it is missing
    }
    let known = match want {
        Audience::Issuer => cx.settings.issuer.is_some(),
        Audience::IssuerOrEndpoint => {
            cx.settings.issuer.is_some() || cx.settings.token_endpoint.is_some()
        }
    };
    if !known {
        sink.push(diags::aud_unchecked(jwt, want));
    }
}
