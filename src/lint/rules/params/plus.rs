//! A raw `+` in a credential: form encoding decodes it to a space
//! (RFC 6749 Appendix B), which is rarely what the client meant.

use super::diags;
use crate::form::Pair;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Params;
    PLUS_AS_SPACE = "params/plus-as-space", Warning, "RFC 6749 Appendix B",
        "A raw `+` in a credential decodes to a space";
}

/// Credential-like parameters where a raw `+` is almost always a base64 `+`
/// that the client forgot to encode (`code_verifier` has its own rule).
pub(super) const SENSITIVE: &[&str] = &[
    "client_secret",
    "client_id",
    "code",
    "refresh_token",
    "device_code",
    "assertion",
    "client_assertion",
    "subject_token",
    "actor_token",
    "auth_req_id",
    "username",
    "password",
];

pub(super) fn check(cx: &Context, p: &Pair, sink: &mut Sink) {
    if !p.plus_spaces.is_empty() {
        sink.push(diags::plus_as_space(cx, p));
    }
}
