//! X.509 for mTLS client authentication (RFC 8705): finding the PEM blocks
//! (or bare base64 DER) in a string with their byte ranges (`scan`),
//! reading each certificate into an owned summary with x509-parser
//! (`parse`, `oid`), verifying one certificate's signature with another's
//! key and building the chain from the client's certificate through
//! `clientCertificatePath` (`chain`).
//!
//! Nothing here knows about rules or spans in a source: ranges are byte
//! offsets into the string that was scanned.

mod chain;
mod oid;
mod parse;
mod scan;

pub use chain::{build_chain, build_chain_at, verify_signed_by, Chain, Link, SigCheck};
pub use parse::{parse_der, x5t_s256, CertInfo, Eku, KeyKind};
pub use scan::{describe, scan, Item, Scan};

/// The certificates of one token request: `clientCertificate` and each
/// entry of `clientCertificatePath`, scanned.
#[derive(Clone, Debug, Default)]
pub struct RequestCerts {
    pub leaf: Option<Scan>,
    pub path: Vec<Scan>,
}

impl RequestCerts {
    pub fn of(req: &crate::request::TokenRequest) -> Self {
        RequestCerts {
            leaf: req.client_certificate.as_ref().map(|t| scan(&t.value)),
            path: req
                .client_certificate_path
                .iter()
                .map(|t| scan(&t.value))
                .collect(),
        }
    }
}
