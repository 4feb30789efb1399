//! `client-auth/`: how the client authenticates (RFC 6749 §2.3, RFC 7521
//! §4.2, RFC 7523 §2.2): one method only, a client ID that agrees between the
//! Basic header and the body, and a well-formed client assertion.

pub mod assertion;
pub mod basic;

use crate::text::edit_distance;
use std::ops::Range;

use crate::form::Pair;
use crate::jose::compact::{self, CompactError};
use crate::lint::view::client::AuthMethod;
use crate::lint::{Context, Finding, Sink};

crate::lint::declare_rules! {
    area: ClientAuth;
    CLIENT_ID_MISMATCH = "client-auth/client-id-mismatch", Error, "RFC 6749 §2.3.1; RFC 7521 §4.2",
        "`clientId` (from the Basic header) and the body's `client_id` name different clients";
    MULTIPLE_METHODS = "client-auth/multiple-methods", Error, "RFC 6749 §2.3",
        "The client authenticates in more than one way in the same request";
    SECRET_WITHOUT_CLIENT_ID = "client-auth/secret-without-client-id", Error, "RFC 6749 §2.3.1",
        "`client_secret` in the body without a `client_id`";
    SECRET_IN_BODY = "client-auth/secret-in-body", Info, "RFC 6749 §2.3.1",
        "The client secret is sent in the body (client_secret_post), which RFC 6749 does not recommend";
    ASSERTION_TYPE_MISSING = "client-auth/assertion-type-missing", Error, "RFC 7521 §4.2",
        "`client_assertion` without `client_assertion_type`";
    ASSERTION_TYPE_INVALID = "client-auth/assertion-type-invalid", Error, "RFC 7523 §2.2",
        "`client_assertion_type` is not urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    ASSERTION_MISSING = "client-auth/assertion-missing", Error, "RFC 7521 §4.2",
        "`client_assertion_type` without a `client_assertion`";
    ASSERTION_MALFORMED = "client-auth/assertion-malformed", Error, "RFC 7523 §2.2",
        "`client_assertion` is not a single compact JWS";
}

/// The only client assertion type RFC 7523 §2.2 defines (and Authlete takes).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// RFC 7523 §2.1's grant type, often pasted where the assertion type belongs.
const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// RFC 7522 §2.2's SAML assertion type: no `ClientAuthMethod` of Authlete's uses it.
const SAML2_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";

/// The `ClientAuth` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::ClientAuth,
    rules: &[RULES, basic::RULES, assertion::RULES],
    check: check_all,
};

/// The area's checks: this file's and its concern files'.
fn check_all(cx: &Context, sink: &mut Sink) {
    check(cx, sink);
    basic::check(cx, sink);
    assertion::check(cx, sink);
}

pub fn check(cx: &Context, sink: &mut Sink) {
    check_client_id_mismatch(cx, sink);
    check_multiple_methods(cx, sink);
    check_secret_in_body(cx, sink);
    check_assertion(cx, sink);
}

fn check_client_id_mismatch(cx: &Context, sink: &mut Sink) {
    let Some(header) = cx.req.client_id.as_ref().filter(|t| !t.value.is_empty()) else {
        return;
    };
    let Some(body) = cx.param("client_id") else {
        return;
    };
    if header.value == body.value {
        return;
    }
    let help = if crate::form::decode_strict(&header.value).as_deref() == Some(body.value.as_str())
    {
        "`clientId` still carries the form encoding of the Basic credentials: RFC 6749 §2.3.1 form-encodes the id before Base64, so decode it (`%3A` → `:`, `+` → space) when you fill `clientId`".to_owned()
    } else if header.value.trim() == body.value.trim() {
        "the two differ only in leading or trailing whitespace: trim the value where it is copied from".to_owned()
    } else if header.value.eq_ignore_ascii_case(&body.value) {
        "the two differ only in letter case, and client IDs are compared exactly: use the registered spelling in both places".to_owned()
    } else {
        "send the client ID once (in the Authorization header, or as client_id in the body), or make both identical; Authlete rejects credentials that disagree".to_owned()
    };
    sink.push(
        Finding::new(
            &CLIENT_ID_MISMATCH,
            format!(
                "`clientId` (from the Authorization: Basic header) is {:?} but the body's `client_id` is {:?}: they must identify the same client",
                header.value, body.value
            ),
        )
        .field("clientId")
        .label(header.span, "client ID from the Basic header")
        .label(cx.value_span(body), "a different client_id in the body")
        .help(help),
    );
}

fn check_multiple_methods(cx: &Context, sink: &mut Sink) {
    let methods: Vec<_> = cx
        .client_auth()
        .into_iter()
        .filter(|p| p.method != AuthMethod::TlsCertificate)
        .collect();
    if methods.len() < 2 {
        return;
    }
    let names: Vec<&str> = methods.iter().map(|p| p.method.name()).collect();
    let mut f = Finding::new(
        &MULTIPLE_METHODS,
        format!(
            "the client authenticates in {} ways at once ({}); RFC 6749 §2.3 allows exactly one per request",
            methods.len(),
            names.join(", ")
        ),
    )
    .field(field_of(methods[0].method))
    .help("keep the one method the client is registered with (its token_endpoint_auth_method) and remove the others; node-oidc-provider answers \"client authentication must only be provided using one mechanism\"");
    for p in &methods {
        // A body parameter: underline its name, not the (long) value.
        let span = match p.method {
            AuthMethod::ClientSecretPost => cx.param("client_secret").map(|q| cx.name_span(q)),
            AuthMethod::ClientAssertion => cx.param("client_assertion").map(|q| cx.name_span(q)),
            _ => None,
        };
        f = f.label(span.unwrap_or(p.span), short_name(p.method));
    }
    sink.push(f);
}

fn field_of(m: AuthMethod) -> &'static str {
    match m {
        AuthMethod::ClientSecretBasic => "clientSecret",
        AuthMethod::ClientSecretPost => "parameters.client_secret",
        AuthMethod::ClientAssertion => "parameters.client_assertion",
        AuthMethod::Attestation => "oauthClientAttestation",
        AuthMethod::TlsCertificate => "clientCertificate",
    }
}

fn short_name(m: AuthMethod) -> &'static str {
    match m {
        AuthMethod::ClientSecretBasic => "client_secret_basic",
        AuthMethod::ClientSecretPost => "client_secret_post",
        AuthMethod::ClientAssertion => "client assertion",
        AuthMethod::Attestation => "client attestation",
        AuthMethod::TlsCertificate => "TLS client certificate",
    }
}

fn check_secret_in_body(cx: &Context, sink: &mut Sink) {
    let Some(secret) = cx.param("client_secret") else {
        return;
    };
    let has_id = cx.has_param("client_id")
        || cx
            .req
            .client_id
            .as_ref()
            .is_some_and(|t| !t.value.is_empty());
    if !has_id {
        sink.push(
            Finding::new(
                &SECRET_WITHOUT_CLIENT_ID,
                "`client_secret` is in the body but nothing says which client it belongs to: client_secret_post requires `client_id` next to it",
            )
            .field("parameters.client_secret")
            .label(cx.name_span(secret), "secret without client_id")
            .help("add client_id=<your client ID> to the body, or better, send both in the Authorization: Basic header (`clientId` and `clientSecret`)"),
        );
    }
    sink.push(
        Finding::new(
            &SECRET_IN_BODY,
            "the client secret is sent in the body (client_secret_post); RFC 6749 §2.3.1 says this is NOT RECOMMENDED",
        )
        .field("parameters.client_secret")
        .label(cx.name_span(secret), "client_secret in the form body")
        .help("prefer HTTP Basic (`clientId` + `clientSecret`, client_secret_basic), or a key-based method such as private_key_jwt; the client's registered token_endpoint_auth_method must change with it"),
    );
}

fn check_assertion(cx: &Context, sink: &mut Sink) {
    let assertion = cx.param("client_assertion");
    let ty = cx.param("client_assertion_type");
    match (assertion, ty) {
        (Some(a), None) => sink.push(
            Finding::new(
                &ASSERTION_TYPE_MISSING,
                "`client_assertion` is sent without `client_assertion_type`, which RFC 7521 §4.2 requires next to it",
            )
            .field("parameters.client_assertion")
            .label(cx.name_span(a), "no client_assertion_type for this")
            .help(format!("add client_assertion_type={}", JWT_BEARER.replace(':', "%3A"))),
        ),
        (None, Some(t)) => {
            let mut f = Finding::new(
                &ASSERTION_MISSING,
                "`client_assertion_type` is sent but there is no `client_assertion`: the type announces a JWT that is not there",
            )
            .field("parameters.client_assertion_type")
            .label(cx.pair_span(t), "announces a client assertion");
            if let Some(empty) = cx.form.all("client_assertion").next() {
                f = f.label(cx.pair_span(empty), "empty client_assertion");
            }
            sink.push(f.help("add client_assertion=<the signed JWT>, or remove client_assertion_type if the client authenticates another way"));
        }
        _ => {}
    }
    if let Some(t) = ty {
        check_assertion_type(cx, t, sink);
    }
    if let Some(a) = assertion {
        check_assertion_format(cx, a, sink);
    }
}

/// What is wrong with a `client_assertion_type` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeMistake {
    /// The right URN with whitespace around it (byte ranges of the whitespace).
    Whitespace(Vec<Range<usize>>),
    /// Percent-encoded twice: one more decode gives the right URN.
    DoubleEncoded,
    /// RFC 7523 §2.1's grant type URN instead.
    GrantType(Range<usize>),
    /// The SAML 2.0 assertion type (RFC 7522).
    Saml,
    /// A method name (`private_key_jwt`) or a short form (`jwt-bearer`).
    ShortForm,
    /// Differs only in letter case.
    Case(Range<usize>),
    /// Close to the right URN: the bytes that differ.
    Typo(Range<usize>),
    Other,
}

pub fn diagnose_assertion_type(v: &str) -> TypeMistake {
    let trimmed = v.trim();
    if trimmed == JWT_BEARER {
        let lead = v.len() - v.trim_start().len();
        let tail = v.len() - v.trim_end().len();
        let mut ranges = Vec::new();
        if lead > 0 {
            ranges.push(0..lead);
        }
        if tail > 0 {
            ranges.push(v.len() - tail..v.len());
        }
        return TypeMistake::Whitespace(ranges);
    }
    if v.contains('%') && crate::form::decode_strict(v).as_deref() == Some(JWT_BEARER) {
        return TypeMistake::DoubleEncoded;
    }
    if v == JWT_BEARER_GRANT {
        return TypeMistake::GrantType(diff_range(v, JWT_BEARER));
    }
    if v.eq_ignore_ascii_case(SAML2_BEARER) {
        return TypeMistake::Saml;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "jwt-bearer"
            | "jwt_bearer"
            | "jwt"
            | "private_key_jwt"
            | "client_secret_jwt"
            | "jwt-bearer-token"
    ) {
        return TypeMistake::ShortForm;
    }
    if v.eq_ignore_ascii_case(JWT_BEARER) {
        return TypeMistake::Case(diff_range(v, JWT_BEARER));
    }
    if edit_distance(&lower, JWT_BEARER) <= 4 {
        return TypeMistake::Typo(diff_range(v, JWT_BEARER));
    }
    TypeMistake::Other
}

fn check_assertion_type(cx: &Context, t: &Pair, sink: &mut Sink) {
    let v = t.value.as_str();
    if v == JWT_BEARER {
        return;
    }
    let encoded = JWT_BEARER.replace(':', "%3A");
    let mistake = diagnose_assertion_type(v);
    let (detail, help, labels): (&str, String, Vec<(Range<usize>, &str)>) = match &mistake {
        TypeMistake::Whitespace(ranges) => (
            "the right URN with whitespace around it",
            "remove the whitespace: servers compare the URN exactly (a `+` in the form body also decodes to a space)".into(),
            ranges.iter().map(|r| (r.clone(), "whitespace")).collect(),
        ),
        TypeMistake::DoubleEncoded => (
            "percent-encoded twice",
            format!("encode the value once: client_assertion_type={encoded}"),
            vec![],
        ),
        TypeMistake::GrantType(r) => (
            "the jwt-bearer *grant type* URN (RFC 7523 §2.1), not the client assertion type",
            format!("use the client assertion type: client_assertion_type={encoded}"),
            vec![(r.clone(), "`grant-type` here; `client-assertion-type` expected")],
        ),
        TypeMistake::Saml => (
            "the SAML 2.0 assertion type (RFC 7522), which Authlete does not support for client authentication",
            format!("authenticate with a signed JWT (private_key_jwt or client_secret_jwt) and client_assertion_type={encoded}"),
            vec![],
        ),
        TypeMistake::ShortForm => (
            "a short name, not the URN",
            format!("give the full URN: client_assertion_type={encoded}"),
            vec![],
        ),
        TypeMistake::Case(r) => (
            "the right URN in the wrong letter case",
            format!("servers compare it exactly (node-oidc-provider, Spring): use client_assertion_type={encoded}"),
            vec![(r.clone(), "case differs")],
        ),
        TypeMistake::Typo(r) => (
            "a misspelling of the jwt-bearer URN",
            format!("use client_assertion_type={encoded}"),
            vec![(r.clone(), "differs here")],
        ),
        TypeMistake::Other => (
            "not a client assertion type Authlete knows",
            format!("RFC 7523 §2.2 defines one value for JWT client assertions: client_assertion_type={encoded}"),
            vec![],
        ),
    };
    let mut f = Finding::new(
        &ASSERTION_TYPE_INVALID,
        format!("`client_assertion_type` is {v:?}: {detail}; it must be `{JWT_BEARER}`"),
    )
    .field("parameters.client_assertion_type");
    if labels.is_empty() {
        f = f.label(
            cx.value_span(t),
            "expected urn:…:client-assertion-type:jwt-bearer",
        );
    }
    for (r, text) in labels {
        f = f.label(cx.value_sub_span(t, r), text);
    }
    sink.push(f.help(help));
}

fn check_assertion_format(cx: &Context, a: &Pair, sink: &mut Sink) {
    let v = a.value.as_str();
    if super::input::jws_over_limit(v, &cx.settings.limits) {
        return; // input/jws-too-large
    }
    let Err(e) = compact::parse(v) else {
        return;
    };
    let (message, label, help) = match &e {
        CompactError::PartCount { count: 5 } => (
            "`client_assertion` has 5 parts: it is an encrypted JWT (JWE), not a signed one; RFC 7523 client authentication verifies a signature (node-oidc-provider: \"invalid client_assertion format\")".to_owned(),
            "a JWE (5 parts)".to_owned(),
            "send the signed JWT (JWS, 3 parts) itself, not an encrypted one".to_owned(),
        ),
        _ => {
            let plus = plus_space(a, &e);
            let prefix_hint = if plus {
                "a raw `+` in the form body decodes to a space (RFC 6749 Appendix B): the JWT was encoded with standard base64; use base64url (`-` and `_`, no padding)"
            } else if v.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("bearer ")) {
                "remove the `Bearer ` prefix: the parameter carries the JWT alone"
            } else if v.starts_with('"') || v.ends_with('"') {
                "remove the quotes around the JWT"
            } else {
                "send exactly one compact JWS: base64url(header).base64url(claims).base64url(signature), with no padding, whitespace or line breaks"
            };
            (
                format!("`client_assertion` is not a single compact JWS: {}", e.describe()),
                if plus {
                    "`+` here decodes to a space".to_owned()
                } else {
                    short_label(&e)
                },
                prefix_hint.to_owned(),
            )
        }
    };
    let raw = e.raw(v.len());
    let span = if raw.len() >= v.len() {
        cx.value_span(a)
    } else {
        cx.value_sub_span(a, raw)
    };
    sink.push(
        Finding::new(&ASSERTION_MALFORMED, message)
            .field("parameters.client_assertion")
            .label(span, label)
            .help(help),
    );
}

/// Whether the offending character is a space that was a raw `+`.
fn plus_space(a: &Pair, e: &CompactError) -> bool {
    use crate::jose::compact::B64Problem;
    match e {
        CompactError::Base64 {
            raw,
            problem: B64Problem::BadChar { at, ch: ' ' },
            ..
        } => a.plus_spaces.contains(&(raw.start + at)),
        _ => false,
    }
}

fn short_label(e: &CompactError) -> String {
    use crate::jose::compact::B64Problem;
    match e {
        CompactError::Empty => "empty".into(),
        CompactError::PartCount { count } => format!("{count} part(s), 3 expected"),
        CompactError::EmptyPart { part, .. } => format!("empty {}", part.as_str()),
        CompactError::Base64 { part, problem, .. } => match problem {
            B64Problem::Padding { .. } => "`=` padding".into(),
            B64Problem::StandardAlphabet { ch, .. } => format!("{ch:?} is standard base64"),
            B64Problem::BadChar { ch, .. } => format!("{ch:?} not base64url"),
            B64Problem::Length => format!("bad {} length", part.as_str()),
            B64Problem::NonCanonical => "non-canonical base64url".into(),
        },
        CompactError::NotUtf8 { part, .. } => format!("{} is not UTF-8", part.as_str()),
        CompactError::NotJson { part, .. } => format!("{} is not JSON", part.as_str()),
        CompactError::NotObject { part, found, .. } => format!("{} is {found}", part.as_str()),
    }
}

/// The byte range of `a` that differs from `b`: after the longest common
/// prefix and before the longest common suffix, widened to one character when
/// `a` only lacks characters. Always on character boundaries of `a`.
pub fn diff_range(a: &str, b: &str) -> Range<usize> {
    let prefix: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let max_suffix = (a.len() - prefix).min(b.len().saturating_sub(prefix));
    let suffix: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .scan(0usize, |acc, n| {
            *acc += n;
            Some(*acc)
        })
        .take_while(|acc| *acc <= max_suffix)
        .last()
        .unwrap_or(0);
    let (start, end) = (prefix, a.len() - suffix);
    if start < end {
        return start..end;
    }
    // `a` lacks characters here: underline the character next to the gap.
    match a[start..].chars().next() {
        Some(c) => start..start + c.len_utf8(),
        None => match a[..start].chars().next_back() {
            Some(c) => start - c.len_utf8()..start,
            None => start..start,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertion_type_mistakes() {
        let TypeMistake::Whitespace(r) = diagnose_assertion_type(&format!("{JWT_BEARER} ")) else {
            panic!("trailing space not recognised")
        };
        assert_eq!(r.len(), 1);
        assert_eq!(r[0], 54..55);
        let TypeMistake::Whitespace(r) = diagnose_assertion_type(&format!(" {JWT_BEARER}\t"))
        else {
            panic!("leading space not recognised")
        };
        assert_eq!(r, [0..1, 55..56]);
        assert_eq!(
            diagnose_assertion_type(
                "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
            ),
            TypeMistake::DoubleEncoded
        );
        let TypeMistake::GrantType(r) = diagnose_assertion_type(JWT_BEARER_GRANT) else {
            panic!("grant type not recognised")
        };
        assert_eq!(&JWT_BEARER_GRANT[r], "grant");
        assert_eq!(
            diagnose_assertion_type("private_key_jwt"),
            TypeMistake::ShortForm
        );
        assert_eq!(
            diagnose_assertion_type("JWT-Bearer"),
            TypeMistake::ShortForm
        );
        assert_eq!(diagnose_assertion_type(SAML2_BEARER), TypeMistake::Saml);
        let upper = JWT_BEARER.replace("jwt", "JWT");
        let TypeMistake::Case(r) = diagnose_assertion_type(&upper) else {
            panic!("case not recognised")
        };
        assert_eq!(&upper[r], "JWT");
        let typo = "urn:ietf:params:oauth:client-assertion-type:jwt_bearer";
        let TypeMistake::Typo(r) = diagnose_assertion_type(typo) else {
            panic!("typo not recognised")
        };
        assert_eq!(&typo[r], "_");
        let missing = "urn:ietf:params:oauth:client-assertion:jwt-bearer";
        assert!(matches!(
            diagnose_assertion_type(missing),
            TypeMistake::Other
        ));
        assert_eq!(diagnose_assertion_type("bearer"), TypeMistake::Other);
    }

    /// The source text under each finding of `rule` for a fixture.
    fn labelled(fixture: &str, rule: &str) -> Vec<String> {
        let loaded = crate::request::fixture::load_str("t.json", fixture);
        let report = crate::lint::lint(&loaded, &crate::lint::Settings::with_now(0));
        report
            .findings
            .iter()
            .filter(|f| f.rule.id == rule)
            .flat_map(|f| f.labels.iter().map(|l| l.span))
            .map(|s| fixture[s.offset..s.end()].to_owned())
            .collect()
    }

    #[test]
    fn malformed_assertion_points_inside_the_parameter() {
        let body = |a: &str| {
            format!(
                r#"{{"parameters": "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={a}"}}"#
            )
        };
        let rule = "client-auth/assertion-malformed";
        assert_eq!(
            labelled(&body("eyJhbGciOiJub25lIn0%3D.e30.AA"), rule),
            ["%3D"]
        );
        assert_eq!(
            labelled(&body("eyJhbGciOiJub25lIn0.e30.A%0AA"), rule),
            ["%0A"]
        );
        assert_eq!(labelled(&body("eyJhbGciOiJub25lIn0.e30.A+A"), rule), ["+"]);
        assert_eq!(
            labelled(&body("eyJhbGciOiJub25lIn0.WzFd.AA"), rule),
            ["WzFd"]
        );
        assert_eq!(labelled(&body("opaque-token"), rule), ["opaque-token"]);
        assert!(labelled(&body("eyJhbGciOiJub25lIn0.e30.AA"), rule).is_empty());
    }

    #[test]
    fn multiple_methods_ignore_the_certificate() {
        let f = r#"{"parameters": "grant_type=client_credentials", "clientId": "app", "clientSecret": "s3cr3t-s3cr3t", "clientCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"}"#;
        assert!(labelled(f, "client-auth/multiple-methods").is_empty());
        let f = r#"{"parameters": "grant_type=client_credentials&client_secret=s3cr3t-s3cr3t&client_id=app", "clientId": "app", "clientSecret": "s3cr3t-s3cr3t"}"#;
        assert_eq!(
            labelled(f, "client-auth/multiple-methods"),
            ["s3cr3t-s3cr3t", "client_secret"]
        );
    }

    #[test]
    fn diff_ranges() {
        assert_eq!(diff_range("abXd", "abcd"), 2..3);
        // `a` lacks a character: underline its neighbour.
        assert_eq!(diff_range("abd", "abcd"), 2..3);
        assert_eq!(diff_range("abc", "abcd"), 2..3);
        assert_eq!(diff_range("", "abc"), 0..0);
        // Repeated characters do not make the suffix overlap the prefix.
        assert_eq!(diff_range("aaa", "aa"), 2..3);
        assert_eq!(diff_range("é", "e"), 0..2);
    }

    #[test]
    fn form_decoding() {
        use crate::form::decode_strict;
        assert_eq!(decode_strict("a%3Ab+c").as_deref(), Some("a:b c"));
        assert_eq!(decode_strict("100%"), None);
        assert_eq!(decode_strict("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(decode_strict("%FF"), None);
    }
}
