//! The `input/` findings' prose: one constructor per kind of finding, so
//! the checks read as logic.

use super::capture::{
    BODY_NOT_FORM, CONTENT_TYPE, CREDENTIALS_IN_QUERY, DPOP_HEADER_REPEATED, HTTP_METHOD,
    HTTP_SYNTAX, NOT_HTTPS, QUERY_PARAMETERS, UNRESOLVED_VARIABLE,
};
use super::expect::EXPECTED_ERRORS_MISSING;
use super::load::{
    DUPLICATE_FIELD, INVALID_JSON, INVALID_UTF8, MISSING_PARAMETERS, NOT_AN_OBJECT, UNKNOWN_FIELD,
    WRONG_TYPE,
};
use super::suppressed::FINDINGS_SUPPRESSED;
use crate::lint::{Finding, Severity, Suppressed};
use crate::request::capture::{printable, BodyProblem, CaptureKind};
use crate::request::fields;
use crate::span::Span;

// The loader's issues.

pub(super) fn invalid_utf8(span: Span, byte: u8) -> Finding {
    Finding::new(
        &INVALID_UTF8,
        format!(
            "byte 0x{byte:02X} at offset {} is not valid UTF-8",
            span.offset
        ),
    )
    .label(span, "not UTF-8")
    .help("save the file as UTF-8; JSON text exchanged between systems MUST be UTF-8")
}

pub(super) fn invalid_json(message: &str, offset: usize, line: usize, col: usize) -> Finding {
    Finding::new(
        &INVALID_JSON,
        format!("not valid JSON: {message} (line {line}, column {col})"),
    )
    .label(Span::new(offset, 0), message)
    .help(
        "the input must be the JSON body of Authlete's /auth/token request, \
         e.g. {\"parameters\": \"grant_type=...\"}",
    )
}

pub(super) fn not_an_object(span: Span, found: &str) -> Finding {
    Finding::new(
        &NOT_AN_OBJECT,
        format!("the request body must be a JSON object, found {found}"),
    )
    .label(
        Span::new(span.offset, span.len.min(1)),
        format!("{found} here"),
    )
    .help(
        "wrap the request in an object: \
         {\"parameters\": \"grant_type=...\", \"clientId\": \"...\"}",
    )
}

pub(super) fn missing_parameters(span: Span) -> Finding {
    Finding::new(
        &MISSING_PARAMETERS,
        "the request has no `parameters`: Authlete needs the token request's form body",
    )
    .field("parameters")
    .label(span, "no `parameters` in this request")
    .help(
        "add \"parameters\": \"grant_type=...&...\" (the application/x-www-form-urlencoded \
         body the token endpoint received), or pass --parameters",
    )
}

pub(super) fn wrong_type(field: &str, expected: &str, found: &str, span: Span) -> Finding {
    let message = if found == "null" {
        format!(
            "`{field}` is null, but Authlete's TokenRequest takes {expected}: its JSON binding \
             reads null as \"not given\", so {}",
            null_consequence(field)
        )
    } else {
        format!("`{field}` must be {expected}, found {found}")
    };
    let specific = wrong_type_help(field);
    let help = match (found, specific) {
        ("null", Some(h)) => format!("leave the member out if there is none; {h}"),
        ("null", None) => format!("leave the member out if there is none, or give {expected}"),
        (_, Some(h)) => h.to_owned(),
        (_, None) => format!("give {expected}"),
    };
    Finding::new(&WRONG_TYPE, message)
        .field(field)
        .label(span, format!("expected {expected}"))
        .help(help)
}

/// What a field that Authlete reads as absent costs the request.
fn null_consequence(field: &str) -> &'static str {
    match field {
        "parameters" => {
            "the request has no form body at all and Authlete rejects it (`parameters` is \
             required); nothing else in it could be checked"
        }
        "clientId" | "clientSecret" => {
            "the client does not authenticate with these Basic credentials"
        }
        "dpop" => "the token is issued without DPoP binding (a Bearer token), if at all",
        "clientCertificate" | "clientCertificatePath" => {
            "the certificate is not there for mTLS authentication or token binding"
        }
        "oauthClientAttestation" | "oauthClientAttestationPop" => {
            "attestation-based client authentication is not attempted"
        }
        _ => "whatever the value was meant to say is lost",
    }
}

/// How to give `field` the JSON type Authlete takes, where there is more
/// to say than its type.
fn wrong_type_help(field: &str) -> Option<&'static str> {
    Some(match field {
        "jwtAtClaims" => {
            "Authlete takes jwtAtClaims as a string holding a JSON object: serialize the \
             object, e.g. \"{\\\"roles\\\":[\\\"admin\\\"]}\""
        }
        "parameters" => {
            "`parameters` is the form-encoded body as one string, \
             e.g. \"grant_type=client_credentials&scope=read\""
        }
        "accessTokenDuration" | "refreshTokenDuration" => {
            "give the duration in whole seconds, as a JSON number"
        }
        _ => return None,
    })
}

pub(super) fn unknown_field(name: &str, span: Span, suggestion: Option<&str>) -> Finding {
    let f = Finding::new(
        &UNKNOWN_FIELD,
        format!(
            "`{name}` is not a field of Authlete's token request: tokenlint does not check it, \
             and it is sent as given (`token process --send`)"
        ),
    )
    .field(name)
    .label(span, "unknown field");
    match suggestion {
        Some(s) => f.help(format!("did you mean `{s}`?")),
        None => f.help(format!(
            "the fields are: {}",
            fields::FIELDS
                .iter()
                .map(|f| f.json)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

pub(super) fn duplicate_field(name: &str, span: Span, first: Span) -> Finding {
    Finding::new(
        &DUPLICATE_FIELD,
        format!(
            "`{name}` appears more than once; parsers disagree on which one wins \
             (Authlete's Jackson keeps the last)"
        ),
    )
    .field(name)
    .label(span, "again here")
    .label(first, "first here")
    .help("keep one of them")
}

// The configuration's expectation.

pub(super) fn expected_errors_missing() -> Finding {
    Finding::new(
        &EXPECTED_ERRORS_MISSING,
        "this input is configured to fail (`expect-errors = true`) but raises no error",
    )
    .label(Span::new(0, 0), "expected at least one error in this input")
    .help(
        "fix the fixture so it shows the error it is meant to show, or move it out of the \
         folder the override names (or set expect-errors = false for it)",
    )
}

// How a captured request travelled.

/// `warning`: the capture parser went on, guessing what was meant.
pub(super) fn http_syntax(kind: CaptureKind, span: Span, message: &str, warning: bool) -> Finding {
    let f = Finding::new(&HTTP_SYNTAX, format!("{}: {message}", kind.as_str()))
        .label(span, "here")
        .help(
            "save the request as the client sent it: request line, headers, a blank line, \
             the body (or the curl command as the browser copied it)",
        );
    if warning {
        f.severity(Severity::Warning)
    } else {
        f
    }
}

/// The capture holds no form body (see [`BodyProblem`]).
pub(super) fn body_not_form(kind: CaptureKind, span: Span, problem: BodyProblem) -> Finding {
    let (message, label, help) = match problem {
        BodyProblem::Missing if kind == CaptureKind::Curl => (
            "the command sends no body (no -d, --data or --data-urlencode)".to_owned(),
            "no body",
            "a token request carries its parameters in a form body: `curl -d grant_type=… -d …`",
        ),
        BodyProblem::Missing => (
            format!("the {} has no body", kind.as_str()),
            "no body",
            "a token request carries its parameters in an application/x-www-form-urlencoded body: save the request with its body (browser devtools: Copy as cURL, or a HAR)",
        ),
        BodyProblem::Empty {
            content_length_zero: true,
        } => (
            "the body is empty: Content-Length is 0".to_owned(),
            "Content-Length: 0",
            "a token request carries its parameters in the body; a capture with Content-Length 0 either lost the body (a proxy or tool that logs headers only) or the client sent none: capture the request with its body",
        ),
        BodyProblem::Empty { .. } => (
            "the body is empty".to_owned(),
            "this request's body is empty",
            "a token request carries its parameters in the body, after the headers and a blank line: capture the request with its body",
        ),
        BodyProblem::Json { authlete: true } => (
            "the body is Authlete's /auth/token JSON, not the token request the client sent"
                .to_owned(),
            "Authlete's request JSON",
            "a token endpoint takes an application/x-www-form-urlencoded body; this JSON is what the endpoint passes to Authlete: save it as a .json fixture and run `tokenlint check` on it",
        ),
        BodyProblem::Json { .. } => (
            "the body is JSON, not a form: a token endpoint reads application/x-www-form-urlencoded parameters"
                .to_owned(),
            "JSON",
            "send the parameters form-encoded (RFC 6749 §3.2, Appendix B): `grant_type=authorization_code&code=…` with Content-Type: application/x-www-form-urlencoded. Most token endpoints reject JSON",
        ),
        BodyProblem::Http2Dump => (
            "this HTTP/2 header dump has no body".to_owned(),
            "headers only",
            "browser devtools copy HTTP/2 requests as pseudo-headers without the body: use Copy as cURL or save a HAR, which keep the form body",
        ),
    };
    Finding::new(&BODY_NOT_FORM, message)
        .field("parameters")
        .label(span, label)
        .help(help)
}

/// A REST-client reference tokenlint cannot resolve.
pub(super) fn unresolved_variable(span: Span, message: &str) -> Finding {
    Finding::new(&UNRESOLVED_VARIABLE, message)
        .label(span, "not resolved")
        .help(
            "define it in the file (`@name = value`) to lint the request as it is sent; \
             findings inside the reference are not reported",
        )
}

/// `case_only`: the method is `post` in another case.
pub(super) fn http_method(method: &str, case_only: bool, span: Span) -> Finding {
    let extra = if case_only {
        " (methods are case-sensitive, RFC 9110 §9.1)"
    } else {
        ""
    };
    Finding::new(
        &HTTP_METHOD,
        format!(
            "the token request is sent with {}{extra}: the token endpoint only takes POST",
            printable(method)
        ),
    )
    .field("htm")
    .label(span, "not POST")
    .help(
        "send the token request as POST with the parameters in an \
         application/x-www-form-urlencoded body (oauthlib answers `Unsupported request method`, \
         the others route only POST to the token endpoint)",
    )
}

/// `span`: the request line's method, where a header would go.
pub(super) fn content_type_missing(span: Span) -> Finding {
    Finding::new(
        &CONTENT_TYPE,
        "the request has a body but no Content-Type header: \
         the token endpoint must be told it is application/x-www-form-urlencoded",
    )
    .label(span, "no Content-Type in this request")
    .help("add `Content-Type: application/x-www-form-urlencoded`")
}

pub(super) fn content_type_wrong(media: &str, span: Span) -> Finding {
    let json = if media.eq_ignore_ascii_case("application/json") {
        " (a JSON body is Authlete's API format, not what a token endpoint takes)"
    } else {
        ""
    };
    Finding::new(
        &CONTENT_TYPE,
        format!(
            "the body is sent as `{}`: \
             a token request body is application/x-www-form-urlencoded{json}",
            printable(media),
        ),
    )
    .label(span, "wrong media type")
    .help(
        "send `Content-Type: application/x-www-form-urlencoded` with `name=value&…` \
         (node-oidc-provider: \"only application/x-www-form-urlencoded content-type bodies \
         are supported on POST /token\")",
    )
}

pub(super) fn charset_not_utf8(charset: &str, span: Span) -> Finding {
    Finding::new(
        &CONTENT_TYPE,
        format!(
            "the body declares charset `{}`: RFC 6749 Appendix B form bodies are UTF-8, \
             and servers disagree on honouring another charset",
            printable(charset)
        ),
    )
    .severity(Severity::Warning)
    .label(span, "not UTF-8")
    .help("encode the body as UTF-8 and drop the charset parameter (or say charset=UTF-8)")
}

pub(super) fn credentials_in_query(name: &str, span: Span) -> Finding {
    Finding::new(
        &CREDENTIALS_IN_QUERY,
        format!(
            "`{}` is in the URL's query string: URLs end up in logs, proxies and browser \
             history, and RFC 6749 §2.3.1 forbids credentials in the request URI",
            printable(name)
        ),
    )
    .label(span, "credential in the URL")
    .help(
        "move it into the POST body; and treat the value as leaked \
         (rotate the secret, the code or token is single-use anyway)",
    )
}

/// `params`: each token request parameter of the query, with its span.
pub(super) fn query_parameters(params: &[(&str, Span)]) -> Finding {
    let names: Vec<String> = params
        .iter()
        .map(|(n, _)| format!("`{}`", printable(n)))
        .collect();
    let mut f = Finding::new(
        &QUERY_PARAMETERS,
        format!(
            "{} {} in the URL's query string, not the body: Authlete's `parameters` is the \
             body only, and oauthlib rejects any query parameter at the token endpoint",
            names.join(", "),
            if params.len() == 1 { "is" } else { "are" }
        ),
    );
    for (_, s) in params {
        f = f.label(*s, "in the query");
    }
    f.help("send every token request parameter in the application/x-www-form-urlencoded POST body")
}

/// `host`: the URL's authority without userinfo; `scheme`: the `http` of the URL.
pub(super) fn not_https(host: &str, scheme: Span) -> Finding {
    Finding::new(
        &NOT_HTTPS,
        format!(
            "the token endpoint `{}` is called over plain http: the credentials, the code and \
             the issued tokens cross the network in clear text",
            printable(host)
        ),
    )
    .label(scheme, "http, not https")
    .help(
        "use the https URL of the token endpoint (RFC 6749 §3.2: the authorization server \
         MUST require TLS); loopback addresses are exempt for local testing",
    )
}

/// `headers`: the name of each DPoP header, in order.
pub(super) fn dpop_header_repeated(headers: &[Span]) -> Finding {
    let mut f = Finding::new(
        &DPOP_HEADER_REPEATED,
        format!(
            "the request has {} DPoP headers: RFC 9449 §4.3 requires a server to reject a \
             request with more than one (tokenlint checks the first)",
            headers.len()
        ),
    )
    .field("dpop");
    for (i, span) in headers.iter().enumerate() {
        let text = if i == 0 {
            "first DPoP header"
        } else {
            "another DPoP header"
        };
        f = f.label(*span, text);
    }
    f.help(
        "send exactly one DPoP header with one proof; combine nothing, \
         and do not let a proxy add a second one",
    )
}

// The caps on findings.

pub(super) fn findings_suppressed(s: &Suppressed) -> Finding {
    let more = match s.count {
        1 => "1 more finding".to_owned(),
        n => format!("{n} more findings"),
    };
    let (message, label) = match s.rule {
        Some(r) => (
            format!(
                "{more} of `{}` suppressed: at most {} findings of one rule are reported \
                 (limits.findings-per-rule)",
                r.id, s.cap
            ),
            format!("`{}`: the first one left out", r.id),
        ),
        None => (
            format!(
                "{more} suppressed: at most {} findings are reported for one input \
                 (limits.findings-per-input)",
                s.cap
            ),
            "the first one left out".to_owned(),
        ),
    };
    let f = Finding::new(&FINDINGS_SUPPRESSED, message).help(
        "fix the findings shown first: the ones left out are usually the same mistake \
         repeated. To see more, raise the cap in tokenlint.toml ([limits] \
         findings-per-rule, findings-per-input)",
    );
    match s.first {
        Some(span) => f.label(span, label),
        None => f,
    }
}
