//! Finding the certificates in a string: PEM blocks with their byte ranges,
//! or else the whole string as bare base64 DER; and, when there is none,
//! what the string looks like instead.

use std::ops::Range;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use super::parse::{parse_der, CertInfo};

/// Standard base64 that tolerates missing padding (PEM bodies in the wild).
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

const BEGIN: &str = "-----BEGIN ";
const DASHES: &str = "-----";

/// One certificate-looking item found in a string.
#[derive(Clone, Debug)]
pub struct Item {
    /// Bytes of the scanned string: the whole PEM block, armour included.
    pub range: Range<usize>,
    /// `false` for base64 DER without `-----BEGIN CERTIFICATE-----`.
    pub armoured: bool,
    /// The PEM label (`CERTIFICATE`, `PRIVATE KEY`, …), if armoured.
    pub label: Option<String>,
    /// The certificate, or what the item was recognised as instead.
    pub cert: Result<Box<CertInfo>, String>,
}

/// Everything found in one string.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub items: Vec<Item>,
    /// When nothing certificate-like was found: what the text looks like.
    pub unrecognised: Option<String>,
}

impl Scan {
    pub fn certs(&self) -> impl Iterator<Item = (&Item, &CertInfo)> {
        self.items
            .iter()
            .filter_map(|i| i.cert.as_ref().ok().map(|c| (i, c.as_ref())))
    }
}

/// Scans a string for certificates: PEM blocks, or else the whole string as
/// bare base64 DER.
pub fn scan(text: &str) -> Scan {
    let mut scan = Scan::default();
    let mut pos = 0;
    while let Some(found) = text[pos..].find(BEGIN) {
        // A block cut short runs to the end of the text, which ends the loop.
        let item = pem_block(text, pos + found);
        pos = item.range.end;
        scan.items.push(item);
    }
    if scan.items.is_empty() {
        match bare_der(text) {
            Some(item) => scan.items.push(item),
            None => scan.unrecognised = Some(describe(text)),
        }
    }
    scan
}

/// The PEM block that starts at `start` (at `-----BEGIN `), read up to its
/// `-----END …-----` line, or to the end of `text` when it has none.
fn pem_block(text: &str, start: usize) -> Item {
    let after = start + BEGIN.len();
    let open = |label: Option<String>, cert| Item {
        range: start..text.len(),
        armoured: true,
        label,
        cert,
    };
    let Some(label_end) = text[after..].find(DASHES).map(|i| after + i) else {
        return open(None, Err(unterminated_begin()));
    };
    let label = text[after..label_end].to_owned();
    let body_start = label_end + DASHES.len();
    let end_marker = format!("-----END {label}-----");
    let Some(end_at) = text[body_start..].find(&end_marker).map(|i| body_start + i) else {
        let err = Err(missing_end(&label, &end_marker));
        return open(Some(label), err);
    };
    Item {
        range: start..end_at + end_marker.len(),
        armoured: true,
        cert: read_block(&label, &text[body_start..end_at]),
        label: Some(label),
    }
}

fn unterminated_begin() -> String {
    "a `-----BEGIN` line that never ends with `-----`".into()
}

fn missing_end(label: &str, end_marker: &str) -> String {
    format!("a `-----BEGIN {label}-----` block with no `{end_marker}` line (cut short?)")
}

/// The whole of `text` as base64 DER without armour, if it decodes to
/// something that starts like DER.
fn bare_der(text: &str) -> Option<Item> {
    let trimmed_start = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if !looks_like_base64(trimmed) {
        return None;
    }
    let der = LENIENT_B64.decode(strip_ws(trimmed)).ok()?;
    if der.first() != Some(&0x30) {
        return None;
    }
    Some(Item {
        range: trimmed_start..trimmed_start + trimmed.len(),
        armoured: false,
        label: None,
        cert: parse_der(der),
    })
}

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

fn looks_like_base64(s: &str) -> bool {
    s.len() >= 16
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_ascii_whitespace()
        })
}

/// What a string that holds no certificate looks like, for the message.
pub fn describe(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return "the value is empty".into();
    }
    if t.contains("BEGIN%20") || t.contains("%0A") || t.contains("%2F") {
        return "URL-encoded PEM (as nginx's $ssl_client_escaped_cert gives it): \
                percent-decode it first"
            .into();
    }
    if t.starts_with('{') || t.starts_with('[') {
        return "JSON, not a certificate".into();
    }
    if t.starts_with("eyJ") && t.matches('.').count() >= 2 {
        return "a JWT, not a certificate".into();
    }
    let hex: String = t.chars().filter(|c| *c != ':').collect();
    if hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return format!(
            "{} hex digits: a fingerprint, not the certificate itself",
            hex.len()
        );
    }
    if t.starts_with('/') || t.ends_with(".pem") || t.ends_with(".crt") || t.ends_with(".cer") {
        return "a file name: the field takes the certificate's PEM text, not a path".into();
    }
    if looks_like_base64(t) {
        return "base64 text that does not decode to a DER certificate".into();
    }
    "text that is neither PEM nor base64 DER".into()
}

/// The certificate in the body of a PEM block labelled `label`, or what the
/// block holds instead.
fn read_block(label: &str, body: &str) -> Result<Box<CertInfo>, String> {
    match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {}
        l if l.contains("PRIVATE KEY") => {
            return Err(format!(
                "a `{l}` block: a private key, not a certificate. \
                 Never send the private key; remove it and rotate the key"
            ))
        }
        "PUBLIC KEY" | "RSA PUBLIC KEY" => {
            return Err("a `PUBLIC KEY` block: a bare public key, not a certificate".into())
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            return Err("a `CERTIFICATE REQUEST` (CSR), not the issued certificate".into())
        }
        other => return Err(format!("a PEM `{other}` block, not a `CERTIFICATE`")),
    }
    if body.contains("\\n") {
        return Err(
            "a CERTIFICATE block whose lines are joined by literal `\\n` (escaped twice)".into(),
        );
    }
    let compact = strip_ws(body);
    if let Some(bad) = compact
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        return Err(format!(
            "a CERTIFICATE block whose body is not base64 (found {bad:?})"
        ));
    }
    let der = LENIENT_B64
        .decode(compact)
        .map_err(|e| format!("a CERTIFICATE block whose base64 does not decode: {e}"))?;
    parse_der(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_what_is_not_a_certificate() {
        assert_eq!(scan("").unrecognised.as_deref(), Some("the value is empty"));
        assert!(scan("eyJhbGciOiJFUzI1NiJ9.e30.AA")
            .unrecognised
            .unwrap()
            .contains("JWT"));
        assert!(scan("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")
            .unrecognised
            .unwrap()
            .contains("fingerprint"));
        let s = scan("-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n");
        assert!(s.items[0]
            .cert
            .as_ref()
            .unwrap_err()
            .contains("private key"));
        let s = scan("-----BEGIN CERTIFICATE-----\nMIIB");
        assert!(s.items[0]
            .cert
            .as_ref()
            .unwrap_err()
            .contains("no `-----END"));
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "-----BEGIN ",
            "-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----",
            "MIIBMIIBMIIBMIIBMIIB",
            "é-----BEGIN é-----",
        ] {
            let _ = scan(s);
        }
    }
}
