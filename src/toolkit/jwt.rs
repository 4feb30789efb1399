//! `jwt inspect`: every JWT a token request carries (the DPoP proof, the
//! client assertion, a JWT-bearer grant's assertion, the client attestation
//! and its PoP, token-exchange tokens), decoded, with its times against the
//! clock, the thumbprint of the key it carries, and the findings about it —
//! the offline, private replacement for pasting credentials into jwt.io.
//! Private key members are never shown.

use serde_json::{json, Value};

use crate::jose::compact;
use crate::jose::jwk as jwkmod;
use crate::lint::{self, FileReport, Finding, Settings};
use crate::request::{fixture, Loaded};
use crate::span::Span;

/// What a JWT is for, which decides the rules that judge it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Dpop,
    ClientAssertion,
    JwtBearer,
    Attestation,
    AttestationPop,
    /// A token-exchange `subject_token` / `actor_token`.
    ExchangeToken,
}

impl Kind {
    pub fn what(self) -> &'static str {
        match self {
            Kind::Dpop => "DPoP proof",
            Kind::ClientAssertion => "client assertion",
            Kind::JwtBearer => "JWT-bearer grant assertion",
            Kind::Attestation => "client attestation",
            Kind::AttestationPop => "client attestation PoP",
            Kind::ExchangeToken => "token-exchange token",
        }
    }

    /// `--as` names.
    pub const NAMES: &'static [&'static str] = &[
        "dpop",
        "client-assertion",
        "jwt-bearer",
        "attestation",
        "attestation-pop",
    ];

    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "dpop" => Kind::Dpop,
            "client-assertion" => Kind::ClientAssertion,
            "jwt-bearer" => Kind::JwtBearer,
            "attestation" => Kind::Attestation,
            "attestation-pop" => Kind::AttestationPop,
            _ => return None,
        })
    }

    /// The kind a JWT's own header and claims say: its `typ`, else a client
    /// assertion when `iss` and `sub` are the same client, else a JWT-bearer
    /// grant assertion.
    pub fn guess(jwt: &str) -> Kind {
        let Ok(jws) = compact::parse(jwt.trim()) else {
            return Kind::ClientAssertion;
        };
        let typ = jws.header.get_str("typ").unwrap_or("").to_ascii_lowercase();
        match typ.trim_start_matches("application/") {
            "dpop+jwt" => return Kind::Dpop,
            "oauth-client-attestation+jwt" => return Kind::Attestation,
            "oauth-client-attestation-pop+jwt" => return Kind::AttestationPop,
            "client-authentication+jwt" => return Kind::ClientAssertion,
            _ => {}
        }
        let (iss, sub) = (jws.payload.get_str("iss"), jws.payload.get_str("sub"));
        if iss.is_some() && iss == sub {
            Kind::ClientAssertion
        } else {
            Kind::JwtBearer
        }
    }
}

/// One JWT of a request, decoded.
#[derive(Debug)]
pub struct Inspected {
    /// Where it is: `parameters.client_assertion`, `dpop`, …
    pub field: &'static str,
    pub kind: Kind,
    /// Its place in the input.
    pub span: Span,
    /// The header and payload as JSON, private key members masked; `None`
    /// when the value is not a compact JWS.
    pub header: Option<Value>,
    pub payload: Option<Value>,
    /// Why it does not decode, when it does not.
    pub error: Option<String>,
    /// `iat`, `nbf`, `exp`, `auth_time` as dates relative to the clock.
    pub times: Vec<Time>,
    /// RFC 7638 thumbprints of the keys it carries (`header.jwk`,
    /// `cnf.jwk`), and a `cnf.jkt` it names.
    pub keys: Vec<(String, String)>,
    /// The findings about it (their first label lies inside it, or, without
    /// a label, they name its field).
    pub findings: Vec<Finding>,
    /// What could not be checked for want of the request around it.
    pub unchecked: Option<&'static str>,
}

/// A time claim against the clock.
#[derive(Debug)]
pub struct Time {
    pub claim: &'static str,
    pub at: i64,
    /// `in 4 minutes`, `2 hours ago`, `now`.
    pub relative: String,
}

/// The JWTs of a loaded request, each with the findings of linting the
/// request as it is (so `aud`, `iss`/`sub` and the client ID are judged
/// together), and the report they come from.
pub fn inspect_request(loaded: &Loaded, settings: &Settings) -> (FileReport, Vec<Inspected>) {
    let report = lint::lint(loaded, settings);
    // A capture is judged at its own time (see `lint::lint`): its times too.
    let now = report.clock.as_ref().map_or(settings.now, |t| t.at);
    let mut out = Vec::new();
    for (field, kind, span, value) in carried(loaded) {
        out.push(inspect_one(field, kind, span, &value, &report, now));
    }
    (report, out)
}

/// One JWT given alone: linted in a request that carries only it, in the
/// place its `kind` belongs; findings about the rest of that request (the
/// attestation's missing PoP, …) are not about it and are dropped.
pub fn inspect_token(jwt: &str, kind: Kind, settings: &Settings) -> (FileReport, Inspected) {
    let jwt = jwt.trim();
    let param = |p: &str| json!({ "parameters": p });
    let body = match kind {
        Kind::Dpop => json!({"parameters": "grant_type=client_credentials", "dpop": jwt,
                             "htm": "POST"}),
        Kind::ClientAssertion => param(&format!(
            "grant_type=client_credentials&client_assertion_type=\
             urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={jwt}"
        )),
        Kind::JwtBearer | Kind::ExchangeToken => param(&format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={jwt}"
        )),
        Kind::Attestation => json!({"parameters": "grant_type=client_credentials",
                                    "oauthClientAttestation": jwt}),
        Kind::AttestationPop => json!({"parameters": "grant_type=client_credentials",
                                       "oauthClientAttestationPop": jwt}),
    };
    let text = serde_json::to_string_pretty(&body).unwrap_or_default();
    let loaded = fixture::load_str("<jwt>", &text);
    let mut report = lint::lint(&loaded, settings);
    // What only the rest of the made-up request would show.
    report.findings.retain(|f| {
        !matches!(
            f.rule.id,
            "attestation/header-missing"
                | "attestation/pop-signature"
                | "attestation/combined-key-mismatch"
                | "dpop/htu-unknown-target"
        )
    });
    let at = text.find(jwt).unwrap_or(0);
    let span = Span::new(at, jwt.len());
    let field = match kind {
        Kind::Dpop => "dpop",
        Kind::ClientAssertion => "parameters.client_assertion",
        Kind::JwtBearer | Kind::ExchangeToken => "parameters.assertion",
        Kind::Attestation => "oauthClientAttestation",
        Kind::AttestationPop => "oauthClientAttestationPop",
    };
    let mut one = inspect_one(field, kind, span, jwt, &report, settings.now);
    if kind == Kind::Dpop && settings.token_endpoint.is_none() {
        one.unchecked = Some(
            "htu: not compared (`dpop inspect --htu URL`, or token-endpoint in tokenlint.toml)",
        );
    }
    (report, one)
}

/// `(field, kind, span, value)` of every JWT-shaped value the request
/// carries: the fields that always hold one, and the parameters that do.
fn carried(loaded: &Loaded) -> Vec<(&'static str, Kind, Span, String)> {
    let r = &loaded.request;
    let mut out = Vec::new();
    for (field, kind, t) in [
        ("dpop", Kind::Dpop, &r.dpop),
        (
            "oauthClientAttestation",
            Kind::Attestation,
            &r.oauth_client_attestation,
        ),
        (
            "oauthClientAttestationPop",
            Kind::AttestationPop,
            &r.oauth_client_attestation_pop,
        ),
    ] {
        if let Some(t) = t.as_ref().filter(|t| !t.is_elided()) {
            out.push((field, kind, t.span, t.value.clone()));
        }
    }
    let Some(params) = r.parameters.as_ref().filter(|p| !p.is_elided()) else {
        return out;
    };
    let form = crate::form::decode(&params.value);
    for p in &form.pairs {
        let (field, kind) = match p.name.as_str() {
            "client_assertion" => ("parameters.client_assertion", Kind::ClientAssertion),
            "assertion" => ("parameters.assertion", Kind::JwtBearer),
            "subject_token" => ("parameters.subject_token", Kind::ExchangeToken),
            "actor_token" => ("parameters.actor_token", Kind::ExchangeToken),
            _ => continue,
        };
        // A token-exchange token need not be a JWT: only JWS-shaped ones.
        if kind == Kind::ExchangeToken && compact::parse(&p.value).is_err() {
            continue;
        }
        let span = if p.value_raw.is_empty() {
            params.sub_span(p.raw.clone())
        } else {
            params.sub_span(p.value_raw.clone())
        };
        out.push((field, kind, span, p.value.clone()));
    }
    out
}

fn inspect_one(
    field: &'static str,
    kind: Kind,
    span: Span,
    value: &str,
    report: &FileReport,
    now: i64,
) -> Inspected {
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| match f.primary_span() {
            Some(s) => s.offset >= span.offset && s.offset <= span.end(),
            // A finding with no place (a one-line note) is about the field it names.
            None => f.field.as_deref().is_some_and(|n| {
                n.strip_prefix(field)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            }),
        })
        .cloned()
        .collect();
    let mut one = Inspected {
        field,
        kind,
        span,
        header: None,
        payload: None,
        error: None,
        times: Vec::new(),
        keys: Vec::new(),
        unchecked: None,
        findings,
    };
    match compact::parse(value.trim()) {
        Err(e) => one.error = Some(e.describe()),
        Ok(jws) => {
            let mut header = jws.header.value.to_json();
            let mut payload = jws.payload.value.to_json();
            if let Some(jwk) = header.get("jwk") {
                one.keys.push(("header jwk".into(), key_thumbprint(jwk)));
            }
            if let Some(cnf) = payload.get("cnf") {
                if let Some(jwk) = cnf.get("jwk") {
                    one.keys.push(("cnf.jwk".into(), key_thumbprint(jwk)));
                }
                if let Some(jkt) = cnf.get("jkt").and_then(Value::as_str) {
                    one.keys.push(("cnf.jkt (named)".into(), jkt.to_owned()));
                }
            }
            mask_private(header.get_mut("jwk"));
            mask_private(payload.get_mut("cnf").and_then(|c| c.get_mut("jwk")));
            for claim in ["iat", "nbf", "exp", "auth_time"] {
                if let Some(at) = payload.get(claim).and_then(Value::as_f64) {
                    let at = at as i64;
                    one.times.push(Time {
                        claim,
                        at,
                        relative: relative(at - now),
                    });
                }
            }
            one.header = Some(header);
            one.payload = Some(payload);
        }
    }
    one
}

/// A key's thumbprint, or why it has none.
fn key_thumbprint(jwk: &Value) -> String {
    jwkmod::thumbprint(jwk).unwrap_or_else(|e| format!("(no thumbprint: {e})"))
}

/// Replaces private key members with a note.
fn mask_private(jwk: Option<&mut Value>) {
    if let Some(Value::Object(k)) = jwk {
        for m in jwkmod::PRIVATE_MEMBERS {
            if let Some(v) = k.get_mut(*m) {
                *v = json!("****** (private key, masked)");
            }
        }
    }
}

/// `delta` seconds from now, in words.
pub fn relative(delta: i64) -> String {
    let n = delta.unsigned_abs();
    if n == 0 {
        return "now".into();
    }
    let (v, unit) = match n {
        0..60 => (n, "second"),
        60..3600 => (n / 60, "minute"),
        3600..86_400 => (n / 3600, "hour"),
        _ => (n / 86_400, "day"),
    };
    let s = if v == 1 { "" } else { "s" };
    if delta > 0 {
        format!("in {v} {unit}{s}")
    } else {
        format!("{v} {unit}{s} ago")
    }
}

impl Inspected {
    /// The JSON form (`-o json`), findings as the JSON report has them.
    pub fn to_json(&self, report: &FileReport) -> Value {
        json!({
            "input": report.source.name,
            "clock": report.clock.as_ref().map(|t| json!({
                "at": crate::clock::format_rfc3339(t.at),
                "from": t.from.as_str(),
            })),
            "field": self.field,
            "kind": self.kind.what(),
            "header": self.header,
            "payload": self.payload,
            "error": self.error,
            "times": self.times.iter().map(|t| json!({
                "claim": t.claim,
                "at": crate::clock::format_rfc3339(t.at),
                "relative": t.relative,
            })).collect::<Vec<_>>(),
            "keys": self.keys.iter().map(|(k, v)| json!({"key": k, "jkt": v})).collect::<Vec<_>>(),
            "unchecked": self.unchecked,
            "findings": self.findings.iter()
                .map(|f| crate::report::json::finding_json(report, f))
                .collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_words() {
        assert_eq!(relative(0), "now");
        assert_eq!(relative(59), "in 59 seconds");
        assert_eq!(relative(-60), "1 minute ago");
        assert_eq!(relative(7200), "in 2 hours");
        assert_eq!(relative(-86_400 * 3), "3 days ago");
    }
}
