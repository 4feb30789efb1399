//! The client certificate's thumbprint, as a certificate-bound access token
//! carries it (always reported, to compare with the token's `cnf`).

use super::{diags, Placed};
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Cert;
    X5T_S256 = "cert/x5t-s256", Info, "RFC 8705 §3.1",
        "The client certificate's SHA-256 thumbprint, as a certificate-bound token carries it";
}

pub(super) fn check(leaf: &Placed, sink: &mut Sink) {
    sink.push(diags::x5t_s256(leaf));
}
