//! `input/` rules about how a captured request travelled (raw HTTP, HAR,
//! curl): the method, content type, query, repeated DPoP header and the
//! capture's own syntax. The `Authorization: Basic` header's findings are
//! `client-auth/basic-…`, in `client_auth::basic`.

use super::diags;
use crate::lint::{Context, Sink};
use crate::request::capture::{Capture, Issue};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Input;
    HTTP_SYNTAX = "input/http-syntax", Error, "RFC 9112 §3, §5, §6",
        "The capture is not a well-formed HTTP request (or curl command, or HAR entry)";
    HTTP_METHOD = "input/http-method", Error, "RFC 6749 §3.2",
        "The token request is not sent with POST";
    CONTENT_TYPE = "input/content-type", Error, "RFC 6749 §4.1.3, Appendix B",
        "The body is not sent as application/x-www-form-urlencoded";
    CREDENTIALS_IN_QUERY = "input/credentials-in-query", Error, "RFC 6749 §2.3.1, §3.2",
        "Client credentials or grant secrets are in the URL's query string";
    QUERY_PARAMETERS = "input/query-parameters", Warning, "RFC 6749 §3.2, §4.1.3",
        "Token request parameters are in the URL's query string instead of the body";
    NOT_HTTPS = "input/not-https", Error, "RFC 6749 §3.2, §2.3.1",
        "The token endpoint is called over plain http";
    DPOP_HEADER_REPEATED = "input/dpop-header-repeated", Error, "RFC 9449 §4.3",
        "The request has more than one DPoP header";
    BODY_NOT_FORM = "input/body-not-form", Error, "RFC 6749 §3.2, Appendix B",
        "The captured request has no form body: none, an empty one, or JSON";
    UNRESOLVED_VARIABLE = "input/unresolved-variable", Warning,
        "VS Code REST Client and JetBrains HTTP Client variables",
        "A REST-client `{{variable}}` that tokenlint cannot resolve offline";
}

pub fn check(cx: &Context, sink: &mut Sink) {
    let Some(c) = cx.capture else {
        return;
    };
    for issue in &c.issues {
        if let Issue::Syntax {
            span,
            message,
            warning,
        } = issue
        {
            sink.push(diags::http_syntax(c.kind, *span, message, *warning));
        }
    }
    let mut body_said = false;
    for issue in &c.issues {
        match issue {
            Issue::Body { span, problem } => {
                sink.push(diags::body_not_form(c.kind, *span, *problem));
                body_said = true;
            }
            Issue::Unresolved { span, message } => {
                sink.push(diags::unresolved_variable(*span, message));
            }
            _ => {}
        }
    }
    method(c, sink);
    // The body's finding says it all: not also its content type.
    if !body_said {
        content_type(c, sink);
    }
    query(c, sink);
    https(c, sink);
    dpop_headers(c, sink);
}

fn method(c: &Capture, sink: &mut Sink) {
    let Some(m) = &c.method else {
        return;
    };
    if m.value != "POST" {
        let case_only = m.value.eq_ignore_ascii_case("post");
        sink.push(diags::http_method(&m.value, case_only, m.span));
    }
}

fn content_type(c: &Capture, sink: &mut Sink) {
    if !c.has_body {
        return;
    }
    let Some(ct) = &c.content_type else {
        let span = c.method.as_ref().map_or(Span::default(), |m| m.span);
        sink.push(diags::content_type_missing(span));
        return;
    };
    let mut params = ct.value.split(';');
    let media = params.next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        sink.push(diags::content_type_wrong(media, ct.span));
        return;
    }
    for p in params {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"');
        if k.trim().eq_ignore_ascii_case("charset") && !v.eq_ignore_ascii_case("utf-8") {
            sink.push(diags::charset_not_utf8(v, ct.span));
        }
    }
}

/// Parameters a client must never put in a URL: every secret and
/// credential [`crate::secrets`] knows.
fn is_credential(name: &str) -> bool {
    crate::secrets::param(name).is_masked()
}

fn query(c: &Capture, sink: &mut Sink) {
    let Some(q) = &c.query else {
        return;
    };
    let form = crate::form::decode(&q.value);
    let mut others = Vec::new();
    for p in &form.pairs {
        let span = q.sub_span(p.raw.clone());
        if is_credential(&p.name) {
            sink.push(diags::credentials_in_query(&p.name, span));
        } else if is_token_param(&p.name) {
            others.push((p.name.as_str(), span));
        }
    }
    if !others.is_empty() {
        sink.push(diags::query_parameters(&others));
    }
}

/// Token request parameters that are not credentials (those are
/// [`is_credential`]).
fn is_token_param(name: &str) -> bool {
    matches!(
        name,
        "grant_type"
            | "client_id"
            | "scope"
            | "redirect_uri"
            | "resource"
            | "audience"
            | "username"
            | "client_assertion_type"
            | "auth_req_id"
            | "subject_token_type"
            | "actor_token_type"
            | "requested_token_type"
    )
}

fn https(c: &Capture, sink: &mut Sink) {
    if c.scheme.as_deref() != Some("http") {
        return;
    }
    let Some(url) = &c.url else {
        return;
    };
    let host = authority_host(&url.value);
    if !is_loopback(hostname(host)) {
        let scheme = url.sub_span(0..4.min(url.value.len()));
        sink.push(diags::not_https(host, scheme));
    }
}

/// The host and port of a URL, without userinfo (`""` when it has none).
fn authority_host(url: &str) -> &str {
    let authority = url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    authority.rsplit_once('@').map_or(authority, |(_, h)| h)
}

/// The host name of a host and port, an IPv6 literal without its brackets.
fn hostname(host: &str) -> &str {
    if host.starts_with('[') {
        host.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or("")
    }
}

/// Loopback hosts: plain http to them never leaves the machine, so local
/// testing is exempt.
fn is_loopback(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost") || name.starts_with("127.") || name == "::1"
}

fn dpop_headers(c: &Capture, sink: &mut Sink) {
    let names: Vec<Span> = c.headers_named("dpop").map(|h| h.name.span).collect();
    if names.len() > 1 {
        sink.push(diags::dpop_header_repeated(&names));
    }
}
