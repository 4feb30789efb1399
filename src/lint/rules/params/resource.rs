//! `resource` (RFC 8707 §2): an absolute URI without a fragment, and
//! preferably without a query.

use super::diags;
use crate::form::Pair;
use crate::lint::{Context, Sink};
use crate::uri::{self, UriError};

crate::lint::declare_rules! {
    area: Params;
    RESOURCE_INVALID = "params/resource-invalid", Error, "RFC 8707 §2",
        "`resource` is not an absolute URI, or has a fragment";
    RESOURCE_QUERY = "params/resource-query", Warning, "RFC 8707 §2",
        "`resource` has a query component";
}

/// `bad_escape`: the value has a bad `%` escape, which
/// `params/bad-percent-encoding` reports already.
pub(super) fn check(cx: &Context, p: &Pair, bad_escape: bool, sink: &mut Sink) {
    match uri::parse_absolute(&p.value) {
        Err(UriError::BadPercentEncoding { .. }) if bad_escape => {}
        Err(e) => sink.push(diags::resource_not_absolute(cx, p, e)),
        Ok(u) => {
            if let Some(frag) = u.fragment_marker() {
                sink.push(diags::resource_fragment(cx, p, frag));
            }
            if let Some(q) = u.query_marker() {
                sink.push(diags::resource_query(cx, p, q));
            }
        }
    }
}
