//! The size limits (`[limits]` in `tokenlint.toml`): each value over one is
//! an `input/…-too-large` finding and is left out before any rule parses it.

use super::{FIELD_TOO_LARGE, JWS_TOO_LARGE, PEM_TOO_LARGE};
use crate::lint::{Context, Finding, Limits, Sink};
use crate::request::TokenRequest;
use crate::source::Source;
use crate::span::{Span, Text};

/// Checks the size limits before any rule parses a value: each oversized
/// value is reported, naming the limit, and left out of the returned copy of
/// the request (`None` when nothing was over a limit) so no rule parses it.
pub fn check_limits(req: &TokenRequest, limits: &Limits, sink: &mut Sink) -> Option<TokenRequest> {
    // An elided value (a loader kept no copy of it) has its raw length.
    let size = Text::size;
    // Plain string fields: the field limit; JWS fields also the JWS limit.
    type Slot = fn(&mut TokenRequest) -> &mut Option<Text>;
    let strings: [(&str, Option<&Text>, Slot, bool); 11] = [
        (
            "parameters",
            req.parameters.as_ref(),
            |r| &mut r.parameters,
            false,
        ),
        (
            "clientId",
            req.client_id.as_ref(),
            |r| &mut r.client_id,
            false,
        ),
        (
            "clientSecret",
            req.client_secret.as_ref(),
            |r| &mut r.client_secret,
            false,
        ),
        ("htm", req.htm.as_ref(), |r| &mut r.htm, false),
        ("htu", req.htu.as_ref(), |r| &mut r.htu, false),
        (
            "accessToken",
            req.access_token.as_ref(),
            |r| &mut r.access_token,
            false,
        ),
        (
            "jwtAtClaims",
            req.jwt_at_claims.as_ref(),
            |r| &mut r.jwt_at_claims,
            false,
        ),
        (
            "clientCertificate",
            req.client_certificate.as_ref(),
            |r| &mut r.client_certificate,
            false,
        ),
        ("dpop", req.dpop.as_ref(), |r| &mut r.dpop, true),
        (
            "oauthClientAttestation",
            req.oauth_client_attestation.as_ref(),
            |r| &mut r.oauth_client_attestation,
            true,
        ),
        (
            "oauthClientAttestationPop",
            req.oauth_client_attestation_pop.as_ref(),
            |r| &mut r.oauth_client_attestation_pop,
            true,
        ),
    ];
    let mut dropped: Vec<&str> = Vec::new();
    for (name, value, _, is_jws) in &strings {
        let Some(t) = value else { continue };
        let n = size(t);
        if n > limits.field {
            sink.push(field_too_large(name, n, limits.field, t.span));
        } else if *is_jws && n > limits.jws {
            sink.push(jws_too_large(name, n, limits.jws, t.span));
        } else {
            continue;
        }
        dropped.push(name);
    }
    for (name, value) in [
        ("properties", &req.properties),
        ("cimdOptions", &req.cimd_options),
    ] {
        let Some(v) = value else { continue };
        if v.span.len > limits.field {
            sink.push(field_too_large(name, v.span.len, limits.field, v.span));
            dropped.push(name);
        }
    }
    // The certificate bundle: clientCertificate plus clientCertificatePath.
    let certs: Vec<&Text> = req
        .client_certificate
        .iter()
        .filter(|_| !dropped.contains(&"clientCertificate"))
        .chain(req.client_certificate_path.iter())
        .collect();
    let total: usize = certs.iter().map(|t| size(t)).sum();
    if total > limits.pem {
        let whole = certs
            .iter()
            .map(|t| t.span)
            .reduce(Span::cover)
            .unwrap_or_default();
        let field = if certs.len() > req.client_certificate_path.len() {
            "clientCertificate"
        } else {
            "clientCertificatePath"
        };
        sink.push(
            Finding::new(
                &PEM_TOO_LARGE,
                format!(
                    "the client certificates take {total} bytes, over the PEM bundle limit of {} bytes (limits.pem); they are not checked",
                    limits.pem
                ),
            )
            .field(field)
            .label(Span::new(whole.offset, whole.len.min(1)), format!("{total} bytes of certificates"))
            .help("send the client certificate (and at most its intermediates), each a PEM block of 1-2 KiB; raise limits.pem only for a real chain this large"),
        );
        dropped.extend(["clientCertificate", "clientCertificatePath"]);
    }
    if dropped.is_empty() {
        return None;
    }
    // A copy without the oversized values (never cloning them: a 50 MB
    // field must not be copied just to be left out).
    let mut out = TokenRequest {
        dpop_nonce_required: req.dpop_nonce_required,
        access_token_duration: req.access_token_duration,
        refresh_token_duration: req.refresh_token_duration,
        ..TokenRequest::default()
    };
    for (name, value, slot, _) in strings {
        if !dropped.contains(&name) {
            *slot(&mut out) = value.cloned();
        }
    }
    if !dropped.contains(&"clientCertificatePath") {
        out.client_certificate_path = req.client_certificate_path.clone();
    }
    if !dropped.contains(&"properties") {
        out.properties = req.properties.clone();
    }
    if !dropped.contains(&"cimdOptions") {
        out.cimd_options = req.cimd_options.clone();
    }
    Some(out)
}

/// Secrets in values left out for their size, which no rule decodes, so the
/// report's snippet (which shows the start of such a value) masks them too:
/// the values of secret parameters (`client_secret=…`) in an oversized
/// `parameters`, and an elided certificate value that holds, or may hide
/// behind JSON escapes, a private key. `checked` is the request the rules
/// saw ([`check_limits`]).
pub fn unchecked_secret_spans(
    req: &TokenRequest,
    checked: &TokenRequest,
    source: &Source,
) -> Vec<Span> {
    let mut out = Vec::new();
    let raw = |t: &Text| source.text.get(t.span.offset..t.span.end()).unwrap_or("");
    if let (Some(t), None) = (&req.parameters, &checked.parameters) {
        if t.is_elided() && raw(t).contains('\\') {
            // Escapes could hide a `&` or a parameter name: mask it all.
            out.push(t.span);
        } else {
            // An elided value is its raw text (it has no escapes).
            let (text, elided) = if t.is_elided() {
                (raw(t), true)
            } else {
                (t.as_str(), false)
            };
            let span_of = |r: std::ops::Range<usize>| {
                if elided {
                    Span::new(t.span.offset + r.start, r.len())
                } else {
                    t.sub_span(r)
                }
            };
            let mut at = 0;
            for seg in text.split('&') {
                if let Some((name, value)) = seg.split_once('=') {
                    // Secret parameter names are short, even percent-encoded.
                    if name.len() <= 128 && !value.is_empty() {
                        let decoded = crate::form::decode(name);
                        let n = decoded.pairs.first().map_or(name, |p| p.name.as_str());
                        if crate::lint::SECRET_PARAMS.contains(&n) {
                            let start = at + name.len() + 1;
                            out.push(span_of(start..start + value.len()));
                        }
                    }
                }
                at += seg.len() + 1;
            }
        }
    }
    for t in req
        .client_certificate
        .iter()
        .chain(&req.client_certificate_path)
    {
        if t.is_elided() && (raw(t).contains("PRIVATE KEY") || raw(t).contains('\\')) {
            out.push(t.span);
        }
    }
    // A JWS left undecoded for its size is shown as stars: its header may
    // carry a private JWK (an attack the jwt/ rules catch only in a JWS they
    // decode), and its base64 tells a reader nothing anyway.
    let jws = [
        (&req.dpop, &checked.dpop),
        (
            &req.oauth_client_attestation,
            &checked.oauth_client_attestation,
        ),
        (
            &req.oauth_client_attestation_pop,
            &checked.oauth_client_attestation_pop,
        ),
    ];
    for (given, kept) in jws {
        if let (Some(t), None) = (given, kept) {
            out.push(t.span);
        }
    }
    out
}

/// Whether a client assertion in `parameters` is over the JWS limit (then
/// the assertion rules leave it alone; [`check_oversized_params`] reports it).
pub fn jws_over_limit(value: &str, limits: &Limits) -> bool {
    value.len() > limits.jws
}

/// JWS values carried in `parameters` (`client_assertion`, and the
/// `assertion` of the JWT bearer grant): over the JWS limit, reported here.
pub(super) fn check_oversized_params(cx: &Context, sink: &mut Sink) {
    for p in &cx.form.pairs {
        if p.name == "client_assertion" && jws_over_limit(&p.value, &cx.settings.limits) {
            let name = format!("parameters.{}", p.name);
            sink.push(jws_too_large(
                &name,
                p.value.len(),
                cx.settings.limits.jws,
                cx.value_span(p),
            ));
        }
    }
}

fn field_too_large(name: &str, n: usize, limit: usize, span: Span) -> Finding {
    Finding::new(
        &FIELD_TOO_LARGE,
        format!("`{name}` is {n} bytes, over the field size limit of {limit} bytes (limits.field); it is not checked"),
    )
    .field(name.to_owned())
    .label(Span::new(span.offset, span.len.min(1)), format!("{n} bytes"))
    .help("a token request field is at most a few KiB; check that the right value was pasted. Raise limits.field (--max-field) only for a real request this large")
}

fn jws_too_large(name: &str, n: usize, limit: usize, span: Span) -> Finding {
    Finding::new(
        &JWS_TOO_LARGE,
        format!("`{name}` is a {n}-byte JWS, over the JWS size limit of {limit} bytes (limits.jws); it is not decoded or verified"),
    )
    .field(name.to_owned())
    .label(Span::new(span.offset, span.len.min(1)), format!("{n}-byte JWS"))
    .help("a DPoP proof is under 1 KiB and a client assertion or attestation a few KiB: keep claims and x5c chains small. Servers and proxies reject header fields over 8-16 KiB")
}

#[cfg(test)]
mod limit_tests {
    use crate::lint::{lint, Settings};
    use crate::request::fixture;
    use crate::span::Span;

    fn ids(src: &str, settings: &Settings) -> Vec<&'static str> {
        crate::lint::rule_ids(src, settings, "")
    }

    #[test]
    fn oversized_values_are_reported_and_not_parsed() {
        let mut s = Settings::with_now(1767225600);
        s.limits.jws = 10;
        s.limits.pem = 10;
        // A DPoP value over the JWS limit: reported, no dpop/ finding (not parsed).
        let got = ids(
            r#"{"parameters":"grant_type=client_credentials&client_id=a","dpop":"not.a.jws-at-all"}"#,
            &s,
        );
        assert!(got.contains(&"input/jws-too-large"), "{got:?}");
        assert!(!got.iter().any(|id| id.starts_with("dpop/")), "{got:?}");
        // A client_assertion over the limit: no assertion-malformed.
        let got = ids(
            r#"{"parameters":"grant_type=client_credentials&client_id=a&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=xxxxxxxxxxxxxxxxxxxx"}"#,
            &s,
        );
        assert!(got.contains(&"input/jws-too-large"), "{got:?}");
        assert!(!got.contains(&"client-auth/assertion-malformed"), "{got:?}");
        // Certificates over the PEM limit: no cert/ finding.
        let got = ids(
            r#"{"parameters":"grant_type=client_credentials&client_id=a","clientCertificate":"not a certificate at all"}"#,
            &s,
        );
        assert!(got.contains(&"input/pem-too-large"), "{got:?}");
        assert!(!got.iter().any(|id| id.starts_with("cert/")), "{got:?}");
    }

    /// A JWS not decoded for its size could hide a private JWK in its header:
    /// every output shows it as stars.
    #[test]
    fn a_jws_over_the_limit_is_masked_whole() {
        let mut s = Settings::with_now(1767225600);
        s.limits.jws = 10;
        let text = r#"{"parameters":"grant_type=client_credentials&client_id=a","dpop":"eyJqd2siOnsiZCI6InNlY3JldCJ9fQ.e30.sig"}"#;
        let loaded = crate::request::fixture::load_str("t.json", text);
        let report = crate::lint::lint(&loaded, &s);
        let dpop = loaded.request.dpop.as_ref().unwrap().span;
        assert!(report.secrets.contains(&dpop), "{:?}", report.secrets);
        let pretty = crate::report::pretty::render_report(&report, Default::default());
        assert!(!pretty.contains("eyJqd2si"), "{pretty}");
    }

    /// A value over the field limit is reported the same whether the loader
    /// kept a copy of it or only its span, and the secrets at its start that
    /// the snippet shows are masked either way.
    #[test]
    fn an_oversized_field_is_reported_and_its_secrets_masked() {
        let mut s = Settings::with_now(1767225600);
        s.limits.field = 200;
        let params = format!(
            "client%5Fsecret=hunter2hunter2&grant_type=client_credentials&scope={}",
            "a".repeat(300)
        );
        let key = format!("-----BEGIN PRIVATE KEY-----{}", "A".repeat(300));
        let src =
            format!(r#"{{"parameters":"{params}","clientId":"app","clientCertificate":"{key}"}}"#);
        for loaded in [
            fixture::load_str("f.json", &src),
            fixture::load_owned("f.json", src.clone().into_bytes(), 200),
        ] {
            let r = lint(&loaded, &s);
            let got: Vec<_> = r
                .findings
                .iter()
                .map(|f| (f.rule.id, f.field.as_deref()))
                .collect();
            assert_eq!(
                got,
                [
                    ("input/field-too-large", Some("parameters")),
                    ("input/field-too-large", Some("clientCertificate"))
                ]
            );
            assert_eq!(r.findings[0].labels[0].span, Span::new(15, 1));
            let masked = loaded.source.masked_text(&r.secrets).to_string();
            assert!(!masked.contains("hunter2"), "{masked}");
            assert!(!masked.contains("PRIVATE"), "{masked}");
            assert!(masked.contains("client%5Fsecret=*****"), "{masked}");
        }
    }
}
