//! The claims of a JWT: an oversized `jti`.

use super::diags;
use super::jwts::Jwt;
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Jwt;
    JTI_OVERSIZED = "jwt/jti-oversized", Error, "RFC 8725 §3.10; RFC 9449 §11.1",
        "A JWT's `jti` is over 1 KiB: an attack on the server's replay cache";
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
