//! `grant_type`: present, and a grant the server will accept (RFC 6749
//! §4.5, §5.2, Appendix A.10).

use super::diags;
use super::names::{closest, is_grant_name, norm, suggest_grant};
use crate::form::Pair;
use crate::lint::{Context, Sink};
use crate::uri::{self, UriError};

crate::lint::declare_rules! {
    area: Grant;
    MISSING_GRANT_TYPE = "grant/missing-grant-type", Error, "RFC 6749 §4.1.3",
        "The request has no `grant_type`";
    UNKNOWN_GRANT_TYPE = "grant/unknown-grant-type", Error, "RFC 6749 §5.2; Appendix A.10",
        "`grant_type` is neither a known grant nor an extension grant URI";
}

/// What the request has instead of a `grant_type`.
pub(super) enum NoGrantType<'a> {
    /// `grant_type=` with nothing after it.
    Empty(&'a Pair),
    /// A parameter whose name is a near miss of `grant_type`.
    Misspelt(&'a Pair),
    /// `parameters` holds JSON instead of a form body.
    Json,
    Nothing,
}

pub(super) fn check_missing(cx: &Context, sink: &mut Sink) {
    let raw = cx.req.parameters.as_ref().map_or("", |t| t.value.as_str());
    let misspelt = || {
        cx.form
            .pairs
            .iter()
            .find(|p| p.name != "grant_type" && closest(&p.name, ["grant_type"]).is_some())
    };
    let instead = if let Some(p) = cx.form.all("grant_type").next() {
        NoGrantType::Empty(p)
    } else if let Some(p) = misspelt() {
        NoGrantType::Misspelt(p)
    } else if raw.trim_start().starts_with('{') {
        NoGrantType::Json
    } else {
        NoGrantType::Nothing
    };
    sink.push(diags::missing_grant_type(cx, instead));
}

/// Why a `grant_type` is not one the server will accept.
pub(super) enum Unaccepted {
    /// A grant name, but none the specifications define.
    UnknownName,
    /// An absolute URI that is a near miss of a registered grant URN.
    NearMissUrn,
    /// Neither a grant name nor a URI.
    NoScheme,
    /// A URI with a syntax error.
    BadUri(UriError),
}

pub(super) fn check_unknown(cx: &Context, gt: &Pair, sink: &mut Sink) {
    let v = gt.value.as_str();
    let why = if is_grant_name(v) {
        Unaccepted::UnknownName
    } else {
        match uri::parse_absolute(v) {
            Ok(_) => {
                // An extension grant. Flag it only when it is a near miss
                // of a registered URN: the server answers unsupported_grant_type.
                let n = norm(v);
                let registered = n.starts_with("urn:ietf:params:oauth:grant_type:")
                    || n.starts_with("urn:openid:params:grant_type:");
                if !registered || suggest_grant(v).is_none() {
                    return;
                }
                Unaccepted::NearMissUrn
            }
            Err(UriError::NoScheme) => Unaccepted::NoScheme,
            Err(e) => Unaccepted::BadUri(e),
        }
    };
    sink.push(diags::unknown_grant_type(cx, gt, why));
}
