//! `input/` rules about how a captured request travelled (raw HTTP, HAR,
//! curl): the method, content type, query, repeated DPoP header and the
//! capture's own syntax. The `Authorization: Basic` header's findings are
//! `client-auth/basic-…`, in `client_auth::basic`.

use crate::lint::{Context, Finding, Severity, Sink};
use crate::request::capture::{printable, Capture, Issue};
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
            sink.push(syntax_finding(c, *span, message, *warning));
        }
    }
    method(c, sink);
    content_type(c, sink);
    query(c, sink);
    https(c, sink);
    dpop_headers(c, sink);
}

fn syntax_finding(c: &Capture, span: Span, message: &str, warning: bool) -> Finding {
    let f = Finding::new(&HTTP_SYNTAX, format!("{}: {message}", c.kind.as_str()))
        .label(span, "here")
        .help("save the request as the client sent it: request line, headers, a blank line, the body (or the curl command as the browser copied it)");
    if warning {
        f.severity(Severity::Warning)
    } else {
        f
    }
}

fn method(c: &Capture, sink: &mut Sink) {
    let Some(m) = &c.method else {
        return;
    };
    if m.value == "POST" {
        return;
    }
    let extra = if m.value.eq_ignore_ascii_case("post") {
        " (methods are case-sensitive, RFC 9110 §9.1)"
    } else {
        ""
    };
    sink.push(
        Finding::new(
            &HTTP_METHOD,
            format!(
                "the token request is sent with {}{extra}: the token endpoint only takes POST",
                printable(&m.value)
            ),
        )
        .field("htm")
        .label(m.span, "not POST")
        .help("send the token request as POST with the parameters in an application/x-www-form-urlencoded body (oauthlib answers `Unsupported request method`, the others route only POST to the token endpoint)"),
    );
}

fn content_type(c: &Capture, sink: &mut Sink) {
    if !c.has_body {
        return;
    }
    let Some(ct) = &c.content_type else {
        let span = c.method.as_ref().map_or(Span::default(), |m| m.span);
        sink.push(
            Finding::new(
                &CONTENT_TYPE,
                "the request has a body but no Content-Type header: the token endpoint must be told it is application/x-www-form-urlencoded",
            )
            .label(span, "no Content-Type in this request")
            .help("add `Content-Type: application/x-www-form-urlencoded`"),
        );
        return;
    };
    let mut params = ct.value.split(';');
    let media = params.next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        let json = media.eq_ignore_ascii_case("application/json");
        sink.push(
            Finding::new(
                &CONTENT_TYPE,
                format!(
                    "the body is sent as `{}`: a token request body is application/x-www-form-urlencoded{}",
                    printable(media),
                    if json { " (a JSON body is Authlete's API format, not what a token endpoint takes)" } else { "" }
                ),
            )
            .label(ct.span, "wrong media type")
            .help("send `Content-Type: application/x-www-form-urlencoded` with `name=value&…` (node-oidc-provider: \"only application/x-www-form-urlencoded content-type bodies are supported on POST /token\")"),
        );
        return;
    }
    for p in params {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"');
        if k.trim().eq_ignore_ascii_case("charset") && !v.eq_ignore_ascii_case("utf-8") {
            sink.push(
                Finding::new(
                    &CONTENT_TYPE,
                    format!("the body declares charset `{}`: RFC 6749 Appendix B form bodies are UTF-8, and servers disagree on honouring another charset", printable(v)),
                )
                .severity(Severity::Warning)
                .label(ct.span, "not UTF-8")
                .help("encode the body as UTF-8 and drop the charset parameter (or say charset=UTF-8)"),
            );
        }
    }
}

/// Parameters a client must never put in a URL.
fn is_credential(name: &str) -> bool {
    crate::lint::SECRET_PARAMS.contains(&name)
        || matches!(name, "client_assertion" | "code_verifier" | "assertion")
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
            sink.push(
                Finding::new(
                    &CREDENTIALS_IN_QUERY,
                    format!(
                        "`{}` is in the URL's query string: URLs end up in logs, proxies and browser history, and RFC 6749 §2.3.1 forbids credentials in the request URI",
                        printable(&p.name)
                    ),
                )
                .label(span, "credential in the URL")
                .help("move it into the POST body; and treat the value as leaked (rotate the secret, the code or token is single-use anyway)"),
            );
        } else if is_token_param(&p.name) {
            others.push((p.name.clone(), span));
        }
    }
    if !others.is_empty() {
        let names: Vec<String> = others
            .iter()
            .map(|(n, _)| format!("`{}`", printable(n)))
            .collect();
        let mut f = Finding::new(
            &QUERY_PARAMETERS,
            format!(
                "{} {} in the URL's query string, not the body: Authlete's `parameters` is the body only, and oauthlib rejects any query parameter at the token endpoint",
                names.join(", "),
                if others.len() == 1 { "is" } else { "are" }
            ),
        );
        for (_, s) in &others {
            f = f.label(*s, "in the query");
        }
        sink.push(f.help(
            "send every token request parameter in the application/x-www-form-urlencoded POST body",
        ));
    }
}

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
    let host = url
        .value
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host_only = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = if host_only.starts_with('[') {
        host_only
            .split(']')
            .next()
            .unwrap_or("")
            .trim_start_matches('[')
    } else {
        host_only.split(':').next().unwrap_or("")
    };
    let loopback = name == "localhost"
        || name.ends_with(".localhost")
        || name.starts_with("127.")
        || name == "::1";
    if loopback {
        return;
    }
    sink.push(
        Finding::new(
            &NOT_HTTPS,
            format!(
                "the token endpoint `{}` is called over plain http: the credentials, the code and the issued tokens cross the network in clear text",
                printable(host_only)
            ),
        )
        .label(url.sub_span(0..4.min(url.value.len())), "http, not https")
        .help("use the https URL of the token endpoint (RFC 6749 §3.2: the authorization server MUST require TLS); loopback addresses are exempt for local testing"),
    );
}

fn dpop_headers(c: &Capture, sink: &mut Sink) {
    let all: Vec<_> = c.headers_named("dpop").collect();
    if all.len() < 2 {
        return;
    }
    let mut f = Finding::new(
        &DPOP_HEADER_REPEATED,
        format!(
            "the request has {} DPoP headers: RFC 9449 §4.3 requires a server to reject a request with more than one (tokenlint checks the first)",
            all.len()
        ),
    )
    .field("dpop");
    for (i, h) in all.iter().enumerate() {
        f = f.label(
            h.name.span,
            if i == 0 {
                "first DPoP header"
            } else {
                "another DPoP header"
            },
        );
    }
    sink.push(f.help("send exactly one DPoP header with one proof; combine nothing, and do not let a proxy add a second one"));
}
