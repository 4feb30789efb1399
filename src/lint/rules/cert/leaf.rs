//! What the client certificate is for: client authentication, as an end
//! entity, and (when self-signed) which authentication method it suits.

use super::{diags, Placed};
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Cert;
    EKU_NO_CLIENT_AUTH = "cert/eku-no-client-auth", Error, "RFC 5280 §4.2.1.12",
        "The client certificate's extended key usage does not include clientAuth";
    LEAF_IS_CA = "cert/leaf-is-ca", Warning, "RFC 5280 §4.2.1.9",
        "The client certificate is a CA certificate";
    SELF_SIGNED = "cert/self-signed", Info, "RFC 8705 §2.2",
        "The client certificate is self-signed: it suits self_signed_tls_client_auth only";
}

/// `has_path`: whether the request has a `clientCertificatePath`.
pub(super) fn check(leaf: &Placed, has_path: bool, sink: &mut Sink) {
    if let Some(eku) = &leaf.cert.eku {
        if !eku.client_auth && !eku.any {
            sink.push(diags::eku_no_client_auth(leaf, eku));
        }
    }
    if leaf.cert.is_ca {
        sink.push(diags::leaf_is_ca(leaf));
    }
    if leaf.cert.self_signed {
        sink.push(diags::self_signed(leaf, has_path));
    }
}
