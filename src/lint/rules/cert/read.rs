//! What the certificate fields hold: one PEM certificate each, and the
//! client's own certificate in `clientCertificate`.

use super::{diags, Field, Fields, Placed};
use crate::lint::Sink;
use crate::x509::Scan;

crate::lint::declare_rules! {
    area: Cert;
    UNREADABLE = "cert/unreadable", Error, "RFC 8705 §2; RFC 7468 §5",
        "A certificate field holds something that is not a readable X.509 certificate";
    DER_WITHOUT_PEM = "cert/der-without-pem", Error, "RFC 7468 §5.1",
        "A certificate is base64 DER without the PEM armour lines";
    MULTIPLE_CERTIFICATES = "cert/multiple-certificates", Error,
        "RFC 8705 §2; Authlete API: TokenRequest.clientCertificate",
        "Several certificates in one field that takes exactly one";
    PATH_WITHOUT_LEAF = "cert/path-without-leaf", Warning,
        "Authlete API: TokenRequest.clientCertificatePath",
        "`clientCertificatePath` without a `clientCertificate`";
}

/// Every item of one field: unreadable, unarmoured, or one too many.
pub(super) fn check_field(field: &Field, scan: &Scan, sink: &mut Sink) {
    if let Some(what) = &scan.unrecognised {
        sink.push(diags::no_certificate(field, what));
        return;
    }
    for item in &scan.items {
        match &item.cert {
            Err(what) => sink.push(diags::unreadable(field, item, what)),
            Ok(cert) if !item.armoured => {
                let placed = Placed { field, item, cert };
                sink.push(diags::der_without_pem(&placed));
            }
            Ok(_) => {}
        }
    }
    let certs = Placed::all(field, scan);
    if certs.len() > 1 {
        sink.push(diags::multiple_certificates(field, &certs));
    }
}

/// A path with no client certificate in front of it.
pub(super) fn check_path_without_leaf(fields: &Fields, sink: &mut Sink) {
    if fields.leaf.is_some() {
        return;
    }
    if let Some(first) = fields.path.first() {
        sink.push(diags::path_without_leaf(first, fields.path.len()));
    }
}
