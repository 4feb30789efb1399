//! The size limits (`[limits]` in `tokenlint.toml`): each value over one is
//! an `input/…-too-large` finding and is left out before any rule parses it.

use super::{CERT_PATH_TOO_LONG, FIELD_TOO_LARGE, JWS_TOO_LARGE, PEM_TOO_LARGE};
use crate::lint::view::jwt::JWT_BEARER_GRANT;
use crate::lint::{Context, Finding, Limits, Sink};
use crate::request::fields::{Access, Field, LimitKind, FIELDS};
use crate::request::TokenRequest;
use crate::secrets;
use crate::source::Source;
use crate::span::{Span, Text};

/// Checks the size limits before any rule parses a value: each oversized
/// value is reported, naming the limit, and left out of the returned copy of
/// the request (`None` when nothing was over a limit) so no rule parses it.
pub fn check_limits(req: &TokenRequest, limits: &Limits, sink: &mut Sink) -> Option<TokenRequest> {
    let mut dropped: Vec<&str> = Vec::new();
    for field in FIELDS {
        if let Some(finding) = over_limit(field, req, limits) {
            sink.push(finding);
            dropped.push(field.json);
        }
    }
    if let Some(finding) = path_over_limit(req, limits) {
        sink.push(finding);
        dropped.push("clientCertificatePath");
    }
    if let Some(finding) = pem_bundle_over_limit(req, limits, &dropped) {
        sink.push(finding);
        dropped.extend(pem_fields().map(|f| f.json));
    }
    if dropped.is_empty() {
        return None;
    }
    // A copy without the oversized values (never cloning them: a 50 MB
    // field must not be copied just to be left out).
    let mut out = TokenRequest::default();
    for field in FIELDS.iter().filter(|f| !dropped.contains(&f.json)) {
        field.copy(req, &mut out);
    }
    Some(out)
}

/// A single value over the field limit, or a JWS over the JWS limit.
fn over_limit(field: &Field, req: &TokenRequest, limits: &Limits) -> Option<Finding> {
    let (n, span) = match field.access {
        // An elided value (a loader kept no copy of it) has its raw length.
        Access::Text(s) => (s.get)(req).as_ref().map(|t| (t.size(), t.span))?,
        Access::Json(s) => (s.get)(req).as_ref().map(|v| (v.span.len, v.span))?,
        _ => return None,
    };
    if n > limits.field {
        Some(field_too_large(field.json, n, limits.field, span))
    } else if field.limit == LimitKind::Jws && n > limits.jws {
        Some(jws_too_large(field.json, n, limits.jws, span))
    } else {
        None
    }
}

fn pem_fields() -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(|f| f.limit == LimitKind::Pem)
}

/// A `clientCertificatePath` of more entries than the path limit: building
/// a chain costs signature checks per entry, and no TLS stack accepts a
/// path that long.
fn path_over_limit(req: &TokenRequest, limits: &Limits) -> Option<Finding> {
    let path = &req.client_certificate_path;
    let first_over = path.get(limits.path)?;
    let message = format!(
        "`clientCertificatePath` holds {} certificates, over the path limit of {} (limits.path); \
         it is not checked",
        path.len(),
        limits.path
    );
    let finding = Finding::new(&CERT_PATH_TOO_LONG, message)
        .field("clientCertificatePath")
        .label(
            start_of(first_over.span),
            format!("entry {} of {}", limits.path + 1, path.len()),
        )
        .help(
            "send the certificates between the client certificate and a trust anchor, usually \
             one to three intermediates; raise limits.path only for a real chain this long",
        );
    Some(finding)
}

/// The certificates (those not already dropped) over the PEM bundle limit.
fn pem_bundle_over_limit(req: &TokenRequest, limits: &Limits, dropped: &[&str]) -> Option<Finding> {
    let mut first = None;
    let mut certs: Vec<&Text> = Vec::new();
    for field in pem_fields().filter(|f| !dropped.contains(&f.json)) {
        let texts = field.texts(req);
        if !texts.is_empty() {
            first.get_or_insert(field.json);
        }
        certs.extend(texts);
    }
    let total: usize = certs.iter().map(|t| t.size()).sum();
    if total <= limits.pem {
        return None;
    }
    let whole = certs
        .iter()
        .map(|t| t.span)
        .reduce(Span::cover)
        .unwrap_or_default();
    Some(pem_too_large(
        first.unwrap_or_default(),
        total,
        limits.pem,
        whole,
    ))
}

/// Secrets in values left out for their size, which no rule decodes, so the
/// report's snippet (which shows the start of such a value) masks them too:
/// the values of secret parameters (`client_secret=…`) in an oversized
/// `parameters`, an elided certificate value that holds, or may hide
/// behind JSON escapes, a private key, and a JWS left undecoded. `checked`
/// is the request the rules saw ([`check_limits`]).
pub fn unchecked_secret_spans(
    req: &TokenRequest,
    checked: &TokenRequest,
    source: &Source,
) -> Vec<Span> {
    let raw = |t: &Text| source.text.get(t.span.offset..t.span.end()).unwrap_or("");
    let mut out = Vec::new();
    if let (Some(t), None) = (&req.parameters, &checked.parameters) {
        out.extend(unchecked_params_secrets(t, raw(t)));
    }
    for t in pem_fields().flat_map(|f| f.texts(req)) {
        if t.is_elided() && (secrets::holds_private_key(raw(t)) || raw(t).contains('\\')) {
            out.push(t.span);
        }
    }
    // A JWS left undecoded for its size is shown as stars: its header may
    // carry a private JWK (an attack the jwt/ rules catch only in a JWS they
    // decode), and its base64 tells a reader nothing anyway.
    for field in FIELDS.iter().filter(|f| f.limit == LimitKind::Jws) {
        if let (Some(t), None) = (field.text(req), field.text(checked)) {
            out.push(t.span);
        }
    }
    out
}

/// The secret parameters' values in an oversized `parameters` (`raw` is its
/// source text).
fn unchecked_params_secrets(t: &Text, raw: &str) -> Vec<Span> {
    if t.is_elided() && raw.contains('\\') {
        // Escapes could hide a `&` or a parameter name: mask it all.
        return vec![t.span];
    }
    // An elided value is its raw text (it has no escapes).
    let ranges = secrets::secret_value_ranges(if t.is_elided() { raw } else { t.as_str() });
    ranges
        .into_iter()
        .map(|r| {
            if t.is_elided() {
                Span::new(t.span.offset + r.start, r.len())
            } else {
                t.sub_span(r)
            }
        })
        .collect()
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
        let jws = p.name == "client_assertion"
            || (p.name == "assertion" && cx.grant_type() == Some(JWT_BEARER_GRANT));
        if jws && jws_over_limit(&p.value, &cx.settings.limits) {
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
    let message = format!(
        "`{name}` is {n} bytes, over the field size limit of {limit} bytes (limits.field); \
         it is not checked"
    );
    Finding::new(&FIELD_TOO_LARGE, message)
        .field(name.to_owned())
        .label(start_of(span), format!("{n} bytes"))
        .help(
            "a token request field is at most a few KiB; check that the right value was pasted. \
             Raise limits.field (--max-field) only for a real request this large",
        )
}

fn jws_too_large(name: &str, n: usize, limit: usize, span: Span) -> Finding {
    let message = format!(
        "`{name}` is a {n}-byte JWS, over the JWS size limit of {limit} bytes (limits.jws); \
         it is not decoded or verified"
    );
    Finding::new(&JWS_TOO_LARGE, message)
        .field(name.to_owned())
        .label(start_of(span), format!("{n}-byte JWS"))
        .help(
            "a DPoP proof is under 1 KiB and a client assertion or attestation a few KiB: \
             keep claims and x5c chains small. \
             Servers and proxies reject header fields over 8-16 KiB",
        )
}

fn pem_too_large(field: &str, total: usize, limit: usize, whole: Span) -> Finding {
    let message = format!(
        "the client certificates take {total} bytes, over the PEM bundle limit of {limit} bytes \
         (limits.pem); they are not checked"
    );
    Finding::new(&PEM_TOO_LARGE, message)
        .field(field)
        .label(start_of(whole), format!("{total} bytes of certificates"))
        .help(
            "send the client certificate (and at most its intermediates), each a PEM block of \
             1-2 KiB; raise limits.pem only for a real chain this large",
        )
}

/// The first byte of a value: an oversized value is pointed at, not underlined.
fn start_of(span: Span) -> Span {
    Span::new(span.offset, span.len.min(1))
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

    /// A path longer than the path limit is reported and not read: no
    /// certificate of it is parsed, no chain built through it, and a
    /// private key pasted into it is masked whole.
    #[test]
    fn a_path_over_the_limit_is_reported_and_not_read() {
        let mut s = Settings::with_now(1767225600);
        s.limits.path = 2;
        let path = |n: usize| {
            let entries =
                vec!["\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\""; n];
            format!(
                r#"{{"parameters":"grant_type=client_credentials&client_id=a","clientCertificatePath":[{}]}}"#,
                entries.join(",")
            )
        };
        let got = ids(&path(3), &s);
        assert!(got.contains(&"input/cert-path-too-long"), "{got:?}");
        assert!(!got.iter().any(|id| id.starts_with("cert/")), "{got:?}");
        let got = ids(&path(2), &s);
        assert!(!got.contains(&"input/cert-path-too-long"), "{got:?}");
        assert!(got.contains(&"cert/unreadable"), "{got:?}");

        let key = "-----BEGIN PRIVATE KEY-----\\nMIIEvQ\\n-----END PRIVATE KEY-----";
        let text = path(3).replacen(
            "MIIB",
            &format!("MIIB\\n-----END CERTIFICATE-----\\n{key}"),
            1,
        );
        let loaded = fixture::load_str("t.json", &text);
        let report = lint(&loaded, &s);
        let at = text.find("MIIEvQ").unwrap();
        let masked = |s: &Span| s.offset <= at && at + 6 <= s.end();
        assert!(report.secrets.iter().any(masked), "{:?}", report.secrets);
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
