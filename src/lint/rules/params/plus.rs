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

/// Where a raw `+` is almost always a base64 `+` that the client forgot to
/// encode: every credential [`crate::secrets`] knows (`code_verifier` has
/// its own rule), and the identifiers sent beside them.
pub(super) fn applies(name: &str) -> bool {
    (crate::secrets::param(name).is_masked() && name != "code_verifier")
        || matches!(name, "client_id" | "username")
}

pub(super) fn check(cx: &Context, p: &Pair, sink: &mut Sink) {
    if !p.plus_spaces.is_empty() {
        sink.push(diags::plus_as_space(cx, p));
    }
}
