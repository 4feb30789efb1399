//! `tokenlint cert inspect`: a certificate chain as a person reads it, with
//! the `cert/` findings. Input: a PEM bundle (client certificate first), a
//! DER file, or a request fixture (its `clientCertificate` and
//! `clientCertificatePath`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::clock::format_rfc3339;
use crate::lint::rules::cert::X5T_S256;
use crate::lint::{self, Area, Finding, Settings};
use crate::request::fixture;
use crate::text::printable;
use crate::x509::{self, CertInfo};

/// One certificate of the inspected chain.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `clientCertificate` or `clientCertificatePath[i]`.
    pub role: String,
    pub cert: Result<Box<CertInfo>, String>,
}

/// One `cert/` finding, as the inspection shows it.
#[derive(Clone, Debug)]
pub struct CertFinding {
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
}

impl CertFinding {
    fn of(f: &Finding) -> Self {
        CertFinding {
            rule: f.rule.id.to_owned(),
            severity: f.severity.as_str().to_owned(),
            message: f.message.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Inspection {
    pub entries: Vec<Entry>,
    pub findings: Vec<CertFinding>,
    pub now: i64,
}

/// The input as the request fields would hold it.
struct Bundle {
    /// `clientCertificate`.
    leaf: Option<String>,
    /// `clientCertificatePath`.
    path: Vec<String>,
}

/// The PEM text of a DER certificate.
pub fn der_to_pem(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// Splits the input into the client certificate and its path, as the
/// request fields would hold them.
fn split(input: &[u8]) -> Result<Bundle, String> {
    let Ok(text) = std::str::from_utf8(input) else {
        // Binary: one DER certificate.
        return Ok(Bundle {
            leaf: Some(der_to_pem(input)),
            path: Vec::new(),
        });
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let v: Value =
            serde_json::from_str(text).map_err(|e| format!("the input is not valid JSON: {e}"))?;
        let leaf = v
            .get("clientCertificate")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let path: Vec<String> = v
            .get("clientCertificatePath")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if leaf.is_none() && path.is_empty() {
            return Err("the JSON has no clientCertificate or clientCertificatePath".into());
        }
        return Ok(Bundle { leaf, path });
    }
    let scan = x509::scan(text);
    if scan.items.is_empty() {
        return Ok(Bundle {
            leaf: Some(text.to_owned()),
            path: Vec::new(),
        });
    }
    let blocks: Vec<String> = scan
        .items
        .iter()
        .map(|i| text.get(i.range.clone()).unwrap_or_default().to_owned())
        .collect();
    let mut it = blocks.into_iter();
    Ok(Bundle {
        leaf: it.next(),
        path: it.collect(),
    })
}

/// Inspects a chain; `settings.now` is the clock for validity.
pub fn inspect(input: &[u8], settings: &Settings) -> Result<Inspection, String> {
    let bundle = split(input)?;
    let mut entries = Vec::new();
    if let Some(l) = &bundle.leaf {
        entries.extend(entries_of("clientCertificate", l));
    }
    for (i, p) in bundle.path.iter().enumerate() {
        entries.extend(entries_of(&format!("clientCertificatePath[{i}]"), p));
    }
    Ok(Inspection {
        entries,
        findings: cert_findings(&bundle, settings),
        now: settings.now,
    })
}

/// The `cert/` findings of a request that carries the bundle, and the
/// limits it is over (a path or bundle over a limit is not checked, which
/// the inspection must say rather than show no finding).
fn cert_findings(bundle: &Bundle, settings: &Settings) -> Vec<CertFinding> {
    let mut body = json!({"parameters": "grant_type=client_credentials"});
    if let Some(l) = &bundle.leaf {
        body["clientCertificate"] = json!(l);
    }
    if !bundle.path.is_empty() {
        body["clientCertificatePath"] = json!(bundle.path);
    }
    let loaded = fixture::load_str("certificate", &body.to_string());
    let report = lint::lint(&loaded, settings);
    report
        .findings
        .iter()
        .filter(|f| {
            let about_certs = f
                .field
                .as_deref()
                .is_some_and(|n| n.starts_with("clientCertificate"));
            // Each certificate's x5t#S256 is a line of the inspection already.
            let repeated = f.rule.id == X5T_S256.id;
            !repeated && (f.rule.area == Area::Cert || f.rule.area == Area::Input && about_certs)
        })
        .map(CertFinding::of)
        .collect()
}

/// What one field holds: its certificates (the second and later ones
/// numbered), or what it holds instead.
fn entries_of(role: &str, text: &str) -> Vec<Entry> {
    let scan = x509::scan(text);
    if let Some(u) = scan.unrecognised {
        return vec![Entry {
            role: role.to_owned(),
            cert: Err(u),
        }];
    }
    let entry = |(n, item): (usize, x509::Item)| Entry {
        role: if n == 0 {
            role.to_owned()
        } else {
            format!("{role} (certificate {})", n + 1)
        },
        cert: item.cert,
    };
    scan.items.into_iter().enumerate().map(entry).collect()
}

fn cert_json(c: &CertInfo, now: i64) -> Value {
    json!({
        "subject": c.subject,
        "issuer": c.issuer,
        "serial": c.serial,
        "subject_alt_names": c.sans,
        "not_before": format_rfc3339(c.not_before),
        "not_after": format_rfc3339(c.not_after),
        "valid_now": c.not_before <= now && now <= c.not_after,
        "key": c.key.describe(),
        "signature_algorithm": c.sig_alg,
        "ca": c.is_ca,
        "key_cert_sign": c.key_cert_sign,
        "extended_key_usage": c.eku.as_ref().map(|e| e.purposes.clone()),
        "self_signed": c.self_signed,
        "sha256": c.sha256_hex,
        "x5t#S256": c.x5t_s256,
    })
}

impl Inspection {
    pub fn to_json(&self) -> Value {
        let certs: Vec<Value> = self
            .entries
            .iter()
            .map(|e| match &e.cert {
                Ok(c) => {
                    let mut v = cert_json(c, self.now);
                    v["role"] = json!(e.role);
                    v
                }
                Err(what) => json!({"role": e.role, "error": what}),
            })
            .collect();
        let findings: Vec<Value> = self
            .findings
            .iter()
            .map(|f| json!({"rule": f.rule, "severity": f.severity, "message": f.message}))
            .collect();
        json!({"now": format_rfc3339(self.now), "certificates": certs, "findings": findings})
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == "error")
            || self.entries.iter().any(|e| e.cert.is_err())
    }

    /// The inspection as a person reads it: one line per property, every
    /// value from the certificate [`printable`] (a subject or SAN can hold
    /// any character).
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for (i, e) in self.entries.iter().enumerate() {
            s.push_str(&format!("[{}] {}\n", i + 1, e.role));
            match &e.cert {
                Err(what) => s.push_str(&format!("    unreadable:  {}\n", printable(what))),
                Ok(c) => s.push_str(&cert_text(c, self.now)),
            }
        }
        if self.findings.is_empty() {
            s.push_str("\nno findings\n");
        } else {
            s.push_str("\nfindings:\n");
            for f in &self.findings {
                let message = printable(&f.message);
                s.push_str(&format!("  {:<7} {}: {message}\n", f.severity, f.rule));
            }
        }
        s
    }
}

/// One certificate as `to_text` shows it: a line per property.
fn cert_text(c: &CertInfo, now: i64) -> String {
    let mut s = String::new();
    let mut line = |k: &str, v: String| s.push_str(&format!("    {k:<11}  {}\n", printable(&v)));
    line("subject:", c.name());
    line(
        "issuer:",
        if c.self_signed {
            format!("{} (self-signed)", c.issuer)
        } else {
            c.issuer.clone()
        },
    );
    if !c.sans.is_empty() {
        line("SANs:", c.sans.join(", "));
    }
    let valid = if c.not_after < now {
        "EXPIRED"
    } else if c.not_before > now {
        "NOT YET VALID"
    } else {
        "valid"
    };
    line(
        "validity:",
        format!(
            "{} to {} ({valid} at {})",
            format_rfc3339(c.not_before),
            format_rfc3339(c.not_after),
            format_rfc3339(now)
        ),
    );
    line("key:", c.key.describe());
    line("signature:", c.sig_alg.clone());
    let mut usage = vec![if c.is_ca { "CA" } else { "end entity" }.to_owned()];
    if c.key_cert_sign == Some(true) {
        usage.push("keyCertSign".into());
    }
    if let Some(eku) = &c.eku {
        usage.push(format!("EKU {}", eku.purposes.join(", ")));
    }
    line("usage:", usage.join("; "));
    line("serial:", c.serial.clone());
    line("SHA-256:", c.sha256_hex.clone());
    line("x5t#S256:", c.x5t_s256.clone());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_entry_not_a_panic() {
        let s = Settings::with_now(1_767_225_600);
        let i = inspect(b"not a certificate", &s).unwrap();
        assert!(i.entries[0].cert.is_err());
        assert!(i.has_errors());
        let i = inspect(&[0x30, 0x82, 0xff], &s).unwrap();
        assert!(i.entries[0].cert.is_err());
        assert!(inspect(b"{\"x\": 1}", &s).is_err());
    }
}
