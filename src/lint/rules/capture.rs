//! Rules about how a captured request travelled (raw HTTP, HAR, curl):
//! `input/` for the transport (method, content type, query, repeated DPoP
//! header, the capture's own syntax) and `client-auth/basic-…` for the
//! `Authorization: Basic` header, whose encoding the Authlete body no longer
//! shows once it is split into `clientId` and `clientSecret`.

use crate::lint::{Context, Finding, Severity, Sink};
use crate::request::capture::{describe_char, printable, Capture, Issue};
use crate::span::Span;

crate::lint::declare_rules! {
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
    BASIC_MALFORMED = "client-auth/basic-malformed", Error, "RFC 7617 §2; RFC 6749 §2.3.1",
        "The Authorization header is not `Basic` followed by one base64 token";
    BASIC_BAD_BASE64 = "client-auth/basic-bad-base64", Error, "RFC 7617 §2; RFC 4648 §4",
        "The Basic credentials are not valid standard base64";
    BASIC_NO_COLON = "client-auth/basic-no-colon", Error, "RFC 7617 §2",
        "The decoded Basic credentials have no `:` between client ID and secret";
    BASIC_EMPTY_PART = "client-auth/basic-empty-part", Error, "RFC 6749 §2.3.1",
        "The client ID or the client secret in the Basic credentials is empty";
    BASIC_NOT_FORM_ENCODED = "client-auth/basic-not-form-encoded", Warning, "RFC 6749 §2.3.1, Appendix B",
        "The Basic client ID or secret was not form-urlencoded before base64";
    BASIC_BAD_PERCENT = "client-auth/basic-bad-percent-encoding", Error, "RFC 6749 §2.3.1, Appendix B",
        "The Basic client ID or secret has a broken percent-escape or is not UTF-8 once decoded";
    BASIC_NON_VSCHAR = "client-auth/basic-non-vschar", Error, "RFC 6749 Appendix A.1, A.2",
        "The decoded Basic client ID or secret has a character outside VSCHAR";
}

pub fn check(cx: &Context, sink: &mut Sink) {
    let Some(c) = cx.capture else {
        return;
    };
    for issue in &c.issues {
        sink.push(issue_finding(c, issue));
    }
    method(c, sink);
    content_type(c, sink);
    query(c, sink);
    https(c, sink);
    dpop_headers(c, sink);
}

fn issue_finding(c: &Capture, issue: &Issue) -> Finding {
    let kind = c.kind.as_str();
    match issue {
        Issue::Syntax { span, message, warning } => {
            let f = Finding::new(&HTTP_SYNTAX, format!("{kind}: {message}"))
                .label(*span, "here")
                .help("save the request as the client sent it: request line, headers, a blank line, the body (or the curl command as the browser copied it)");
            if *warning {
                f.severity(Severity::Warning)
            } else {
                f
            }
        }
        Issue::BasicMalformed { span, message } => Finding::new(&BASIC_MALFORMED, message.clone())
            .field("clientId")
            .label(*span, "not `Basic <credentials>`")
            .help("send `Authorization: Basic base64(urlencode(client_id) \":\" urlencode(client_secret))`, one space after `Basic`"),
        Issue::BasicBadBase64 { span, message } => Finding::new(
            &BASIC_BAD_BASE64,
            format!("the Basic credentials are not standard base64: {message}"),
        )
        .field("clientId")
        .label(*span, "not base64")
        .help("encode `client_id:client_secret` with standard base64 (RFC 4648 §4: `A-Z a-z 0-9 + /` and `=` padding), not base64url"),
        Issue::BasicNoColon { span } => Finding::new(
            &BASIC_NO_COLON,
            "the decoded Basic credentials have no `:`, so there is no client ID and secret to split",
        )
        .field("clientId")
        .label(*span, "decodes without a `:`")
        .help("encode `client_id:client_secret`, joined by a colon, then base64"),
        Issue::BasicEmptyPart { span, part } => Finding::new(
            &BASIC_EMPTY_PART,
            format!("the {} in the Basic credentials is empty", part.as_str()),
        )
        .field(part.field())
        .label(*span, format!("empty {}", part.as_str()))
        .help("client_secret_basic needs both: a public client sends `client_id` in the body and no Authorization header"),
        Issue::BasicNotFormEncoded { span, part, ch, count } => {
            let what = if *ch == '+' {
                "a raw `+`, which a server that decodes per RFC 6749 §2.3.1 reads as a space".to_owned()
            } else if *ch == ' ' {
                "a raw space (form encoding writes it as `+`)".to_owned()
            } else {
                format!("a raw {} (form encoding writes it as `%{:02X}`)", describe_char(*ch), *ch as u32)
            };
            let more = if *count > 1 {
                format!("; {count} such characters in all")
            } else {
                String::new()
            };
            Finding::new(
                &BASIC_NOT_FORM_ENCODED,
                format!(
                    "the {} in the Basic credentials was not form-urlencoded before base64: it has {what}{more}",
                    part.as_str()
                ),
            )
            .field(part.field())
            .label(*span, format!("{} here", describe_char(*ch)))
            .help("urlencode the client ID and the secret (application/x-www-form-urlencoded) before joining them with `:` and base64-encoding; servers differ (node-oidc-provider, Spring Authorization Server and Keycloak decode, others do not), so the encoded form works everywhere only when the values need no escaping")
        }
        Issue::BasicBadPercent { span, part, message } => Finding::new(
            &BASIC_BAD_PERCENT,
            format!("{message}; servers that form-decode the Basic credentials reject it"),
        )
        .field(part.field())
        .label(*span, "bad escape")
        .help("escape `%` itself as `%25`; every `%` must start a `%XX` escape of a UTF-8 octet"),
        Issue::BasicNonVschar { span, part, code } => {
            // The secret's characters are not shown; the client ID's are.
            let which = match part {
                crate::request::capture::Part::ClientId => {
                    char::from_u32(*code).map_or(format!("U+{code:04X}"), describe_char)
                }
                crate::request::capture::Part::ClientSecret => "a character".to_owned(),
            };
            Finding::new(
                &BASIC_NON_VSCHAR,
                format!(
                    "the decoded {} has {which} outside VSCHAR (printable ASCII, %x20-7E)",
                    part.as_str()
                ),
            )
            .field(part.field())
            .label(*span, "outside %x20-7E")
            .help("client IDs and secrets are printable ASCII (RFC 6749 Appendix A); node-oidc-provider rejects anything else as not properly encoded")
        }
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
