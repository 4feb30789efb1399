//! `client-auth/multiple-methods` and `client-auth/client-id-mismatch`: the
//! client authenticates once, and the client IDs it gives agree.

use super::diags;
use crate::form::decode_strict;
use crate::lint::view::client::{AuthMethod, Presented};
use crate::lint::{Context, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: ClientAuth;
    CLIENT_ID_MISMATCH = "client-auth/client-id-mismatch", Error, "RFC 6749 §2.3.1; RFC 7521 §4.2",
        "`clientId` (from the Basic header) and the body's `client_id` name different clients";
    MULTIPLE_METHODS = "client-auth/multiple-methods", Error, "RFC 6749 §2.3",
        "The client authenticates in more than one way in the same request";
}

/// How the Basic header's client ID differs from the body's, for the help.
pub(super) enum IdDifference {
    /// The header's is still form-encoded (RFC 6749 §2.3.1).
    FormEncoded,
    Whitespace,
    Case,
    Other,
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    check_client_id_mismatch(cx, sink);
    check_multiple_methods(cx, sink);
}

fn check_client_id_mismatch(cx: &Context, sink: &mut Sink) {
    let Some(header) = cx.req.client_id.as_ref().filter(|t| !t.value.is_empty()) else {
        return;
    };
    let Some(body) = cx.param("client_id") else {
        return;
    };
    let (h, b) = (header.value.as_str(), body.value.as_str());
    if h == b {
        return;
    }
    let difference = if decode_strict(h).as_deref() == Some(b) {
        IdDifference::FormEncoded
    } else if h.trim() == b.trim() {
        IdDifference::Whitespace
    } else if h.eq_ignore_ascii_case(b) {
        IdDifference::Case
    } else {
        IdDifference::Other
    };
    sink.push(diags::client_id_mismatch(
        header,
        b,
        cx.value_span(body),
        difference,
    ));
}

/// A certificate may be there only to bind tokens (RFC 8705 §3), so it is
/// not counted.
fn check_multiple_methods(cx: &Context, sink: &mut Sink) {
    let methods: Vec<Presented> = cx
        .client_auth()
        .into_iter()
        .filter(|p| p.method != AuthMethod::TlsCertificate)
        .collect();
    if methods.len() < 2 {
        return;
    }
    let labels: Vec<(Span, AuthMethod)> = methods
        .iter()
        .map(|p| (label_span(cx, p), p.method))
        .collect();
    sink.push(diags::multiple_methods(&labels));
}

/// A body parameter's name rather than its (long) value.
fn label_span(cx: &Context, p: &Presented) -> Span {
    let name = match p.method {
        AuthMethod::ClientSecretPost => "client_secret",
        AuthMethod::ClientAssertion => "client_assertion",
        _ => return p.span,
    };
    cx.param(name).map_or(p.span, |q| cx.name_span(q))
}

#[cfg(test)]
mod tests {
    use super::super::labelled;

    #[test]
    fn multiple_methods_ignore_the_certificate() {
        let rule = "client-auth/multiple-methods";
        let f = concat!(
            r#"{"parameters": "grant_type=client_credentials", "clientId": "app", "#,
            r#""clientSecret": "s3cr3t-s3cr3t", "clientCertificate": "#,
            r#""-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}"#
        );
        assert!(labelled(f, rule).is_empty());
        let f = concat!(
            r#"{"parameters": "grant_type=client_credentials&client_secret=s3cr3t-s3cr3t"#,
            r#"&client_id=app", "clientId": "app", "clientSecret": "s3cr3t-s3cr3t"}"#
        );
        assert_eq!(labelled(f, rule), ["s3cr3t-s3cr3t", "client_secret"]);
    }
}
