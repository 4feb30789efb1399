//! `tokenlint cert inspect`: a certificate chain as a person reads it, with
//! the `cert/` findings. Input: a PEM bundle (client certificate first), a
//! DER file, or a request fixture (its `clientCertificate` and
//! `clientCertificatePath`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::clock::format_rfc3339;
use crate::lint::{self, Settings};
use crate::request::fixture;
use crate::x509::{self, CertInfo};

/// One certificate of the inspected chain.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `clientCertificate` or `clientCertificatePath[i]`.
    pub role: String,
    pub cert: Result<Box<CertInfo>, String>,
}

#[derive(Clone, Debug)]
pub struct Inspection {
    pub entries: Vec<Entry>,
    /// The `cert/` findings: (rule id, severity, message).
    pub findings: Vec<(String, String, String)>,
    pub now: i64,
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
fn split(input: &[u8]) -> Result<(Option<String>, Vec<String>), String> {
    let Ok(text) = std::str::from_utf8(input) else {
        // Binary: one DER certificate.
        return Ok((Some(der_to_pem(input)), Vec::new()));
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
        return Ok((leaf, path));
    }
    let scan = x509::scan(text);
    if scan.items.is_empty() {
        return Ok((Some(text.to_owned()), Vec::new()));
    }
    let blocks: Vec<String> = scan
        .items
        .iter()
        .map(|i| text.get(i.range.clone()).unwrap_or_default().to_owned())
        .collect();
    let mut it = blocks.into_iter();
    let leaf = it.next();
    Ok((leaf, it.collect()))
}

/// Inspects a chain; `settings.now` is the clock for validity.
pub fn inspect(input: &[u8], settings: &Settings) -> Result<Inspection, String> {
    let (leaf, path) = split(input)?;
    let mut body = json!({"parameters": "grant_type=client_credentials"});
    if let Some(l) = &leaf {
        body["clientCertificate"] = json!(l);
    }
    if !path.is_empty() {
        body["clientCertificatePath"] = json!(path);
    }
    let loaded = fixture::load_str("certificate", &body.to_string());
    let report = lint::lint(&loaded, settings);
    let findings = report
        .findings
        .iter()
        .filter(|f| f.rule.area() == "cert")
        .map(|f| {
            (
                f.rule.id.to_owned(),
                f.severity.as_str().to_owned(),
                f.message.clone(),
            )
        })
        .collect();
    let mut entries = Vec::new();
    let mut add = |role: String, text: &str| {
        let scan = x509::scan(text);
        if let Some(u) = scan.unrecognised {
            entries.push(Entry { role, cert: Err(u) });
            return;
        }
        for (n, item) in scan.items.into_iter().enumerate() {
            let role = if n == 0 {
                role.clone()
            } else {
                format!("{role} (certificate {})", n + 1)
            };
            entries.push(Entry {
                role,
                cert: item.cert,
            });
        }
    };
    if let Some(l) = &leaf {
        add("clientCertificate".into(), l);
    }
    for (i, p) in path.iter().enumerate() {
        add(format!("clientCertificatePath[{i}]"), p);
    }
    Ok(Inspection {
        entries,
        findings,
        now: settings.now,
    })
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
            .map(|(r, s, m)| json!({"rule": r, "severity": s, "message": m}))
            .collect();
        json!({"now": format_rfc3339(self.now), "certificates": certs, "findings": findings})
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|(_, s, _)| s == "error")
            || self.entries.iter().any(|e| e.cert.is_err())
    }

    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for (i, e) in self.entries.iter().enumerate() {
            s.push_str(&format!("[{}] {}\n", i + 1, e.role));
            match &e.cert {
                Err(what) => s.push_str(&format!("    unreadable:  {what}\n")),
                Ok(c) => {
                    let valid = if c.not_after < self.now {
                        "EXPIRED"
                    } else if c.not_before > self.now {
                        "NOT YET VALID"
                    } else {
                        "valid"
                    };
                    let mut line = |k: &str, v: String| s.push_str(&format!("    {k:<11}  {v}\n"));
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
                    line(
                        "validity:",
                        format!(
                            "{} to {} ({valid} at {})",
                            format_rfc3339(c.not_before),
                            format_rfc3339(c.not_after),
                            format_rfc3339(self.now)
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
                }
            }
        }
        if self.findings.is_empty() {
            s.push_str("\nno findings\n");
        } else {
            s.push_str("\nfindings:\n");
            for (rule, sev, msg) in &self.findings {
                s.push_str(&format!("  {sev:<7} {rule}: {msg}\n"));
            }
        }
        s
    }
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
