//! `redirect_uri` (RFC 6749 §3.1.2): an absolute URI without a fragment.

use super::diags;
use super::table::Grant;
use crate::lint::{Context, Sink};
use crate::uri::{self, UriError};

crate::lint::declare_rules! {
    area: Grant;
    REDIRECT_URI_INVALID = "grant/redirect-uri-invalid", Error, "RFC 6749 §3.1.2",
        "`redirect_uri` is not an absolute URI, or has a fragment";
}

pub(super) fn check(cx: &Context, grant: &Grant, sink: &mut Sink) {
    if !grant.allows("redirect_uri") {
        return;
    }
    // A value that is not UTF-8 has no sub-spans to point at;
    // params/invalid-utf8 reports it.
    let Some(p) = cx
        .param("redirect_uri")
        .filter(|p| cx.form.value_is_utf8(p))
    else {
        return;
    };
    match uri::parse_absolute(&p.value) {
        // params/bad-percent-encoding reports it.
        Err(UriError::BadPercentEncoding { .. }) if cx.form.value_has_bad_escape(p) => {}
        Err(e) => sink.push(diags::redirect_uri_not_absolute(cx, p, e)),
        Ok(u) => {
            if let Some(frag) = u.fragment_marker() {
                sink.push(diags::redirect_uri_fragment(cx, p, frag));
            }
        }
    }
}
