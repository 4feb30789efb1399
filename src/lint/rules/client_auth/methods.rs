//! `client-auth/multiple-methods` and `client-auth/client-id-mismatch`: the
//! client authenticates once, and the client IDs it gives agree.

use super::diags;
use crate::form::decode_strict;
use crate::lint::profile::BasicAndPost;
use crate::lint::view::client::{AuthMethod, Presented};
use crate::lint::{Context, Severity, Sink};
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
    let tolerated = cx.profile.basic_and_post == BasicAndPost::AcceptIdentical
        && basic_and_post_identical(cx, &methods);
    if tolerated {
        let f = diags::multiple_methods_identical(&labels, &cx.profile.name);
        sink.push(f.severity(Severity::Warning));
    } else {
        sink.push(diags::multiple_methods(&labels));
    }
}

/// The Basic header and the body carry the same secret (and the body's
/// `client_id`, when there is one, is the header's): the one combination a
/// server may accept (Authlete's TokenRequest Javadoc).
fn basic_and_post_identical(cx: &Context, methods: &[Presented]) -> bool {
    let kinds: Vec<AuthMethod> = methods.iter().map(|p| p.method).collect();
    if kinds != [AuthMethod::ClientSecretBasic, AuthMethod::ClientSecretPost] {
        return false;
    }
    let header_secret = cx.req.client_secret.as_ref().map(|t| t.value.as_str());
    let body_secret = cx.param("client_secret").map(|p| p.value.as_str());
    let header_id = cx.req.client_id.as_ref().map(|t| t.value.as_str());
    let body_id = cx.param("client_id").map(|p| p.value.as_str());
    header_secret.is_some()
        && header_secret == body_secret
        && (body_id.is_none() || body_id == header_id)
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

    /// Authlete accepts the same credentials in the Basic header and the
    /// body; the RFC and node-oidc-provider refuse any two methods.
    #[test]
    fn identical_basic_and_post_is_an_error_only_where_the_server_refuses_it() {
        use crate::lint::{Settings, Severity};
        let severity = |fixture: &str, profile: Option<&str>| {
            let loaded = crate::request::fixture::load_str("t.json", fixture);
            let mut settings = Settings::with_now(0);
            settings.profile = profile.map(str::to_owned);
            let report = crate::lint::lint(&loaded, &settings);
            report
                .findings
                .iter()
                .find(|f| f.rule.id == "client-auth/multiple-methods")
                .map(|f| f.severity)
        };
        let same = concat!(
            r#"{"parameters": "grant_type=client_credentials&client_secret=s3cr3t-s3cr3t"#,
            r#"&client_id=app", "clientId": "app", "clientSecret": "s3cr3t-s3cr3t"}"#
        );
        let other = same.replace(
            r#""clientSecret": "s3cr3t-s3cr3t""#,
            r#""clientSecret": "x""#,
        );
        assert_eq!(severity(same, None), Some(Severity::Warning));
        assert_eq!(severity(same, Some("authlete")), Some(Severity::Warning));
        for p in ["rfc", "strict", "node-oidc-provider", "keycloak"] {
            assert_eq!(severity(same, Some(p)), Some(Severity::Error), "{p}");
        }
        assert_eq!(severity(&other, None), Some(Severity::Error));
    }
}
