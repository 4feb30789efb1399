//! `client-auth/assertion-malformed`: a `client_assertion` is one compact
//! JWS (RFC 7523 §2.2), and the finding says which common mistake made it
//! not one.

use super::diags;
use crate::form::Pair;
use crate::jose::compact::{B64Problem, CompactError};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: ClientAuth;
    ASSERTION_MALFORMED = "client-auth/assertion-malformed", Error, "RFC 7523 §2.2",
        "`client_assertion` is not a single compact JWS";
}

/// Why the value is not a compact JWS, as far as the help can tell.
pub(super) enum Malformation {
    /// Five parts: an encrypted JWT.
    Jwe,
    /// A raw `+` of standard base64 that form decoding turned into a space.
    PlusSpace,
    BearerPrefix,
    Quoted,
    Other,
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    let Some(view) = cx.client_assertion() else {
        return; // none, or input/jws-too-large
    };
    let (Err(e), Some(pair)) = (view.jws, view.pair()) else {
        return;
    };
    let v = view.value();
    let raw = e.raw(v.len());
    let span = if raw.len() >= v.len() {
        view.whole_span()
    } else {
        view.span(raw)
    };
    sink.push(diags::assertion_malformed(e, malformation(pair, e), span));
}

fn malformation(a: &Pair, e: &CompactError) -> Malformation {
    let v = a.value.as_str();
    if matches!(e, CompactError::PartCount { count: 5 }) {
        Malformation::Jwe
    } else if plus_space(a, e) {
        Malformation::PlusSpace
    } else if v
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
    {
        Malformation::BearerPrefix
    } else if v.starts_with('"') || v.ends_with('"') {
        Malformation::Quoted
    } else {
        Malformation::Other
    }
}

/// Whether the offending character is a space that was a raw `+`.
fn plus_space(a: &Pair, e: &CompactError) -> bool {
    match e {
        CompactError::Base64 {
            raw,
            problem: B64Problem::BadChar { at, ch: ' ' },
            ..
        } => a.plus_spaces.contains(&(raw.start + at)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::labelled;

    /// A client_credentials request whose `client_assertion` is `a` (form-encoded).
    fn body(a: &str) -> String {
        let params = "grant_type=client_credentials&client_assertion_type=\
            urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer";
        format!(r#"{{"parameters": "{params}&client_assertion={a}"}}"#)
    }

    #[test]
    fn malformed_assertion_points_inside_the_parameter() {
        let rule = "client-auth/assertion-malformed";
        let under = |a: &str| labelled(&body(a), rule);
        assert_eq!(under("eyJhbGciOiJub25lIn0%3D.e30.AA"), ["%3D"]);
        assert_eq!(under("eyJhbGciOiJub25lIn0.e30.A%0AA"), ["%0A"]);
        assert_eq!(under("eyJhbGciOiJub25lIn0.e30.A+A"), ["+"]);
        assert_eq!(under("eyJhbGciOiJub25lIn0.WzFd.AA"), ["WzFd"]);
        assert_eq!(under("opaque-token"), ["opaque-token"]);
        assert!(under("eyJhbGciOiJub25lIn0.e30.AA").is_empty());
    }
}
