//! Whether each certificate's key and signature algorithm are strong enough
//! for TLS client authentication.

use super::{diags, Placed};
use crate::lint::Sink;
use crate::x509::KeyKind;

crate::lint::declare_rules! {
    area: Cert;
    WEAK_KEY = "cert/weak-key", Error, "RFC 8705 §2; NIST SP 800-131A; RFC 8446 §4.2.3",
        "A certificate key that is too small or on an unsupported curve";
    WEAK_SIGNATURE = "cert/weak-signature", Error, "RFC 9155; RFC 6151",
        "A certificate signed with SHA-1 or MD5";
}

/// Why a key is too weak or not accepted by common TLS stacks.
pub(super) enum Weakness<'a> {
    SmallRsa { bits: usize },
    Curve(&'a str),
    Dsa,
    UnknownAlgorithm(&'a str),
}

fn weakness(key: &KeyKind) -> Option<Weakness<'_>> {
    match key {
        KeyKind::Rsa { bits } if *bits < 2048 => Some(Weakness::SmallRsa { bits: *bits }),
        KeyKind::Ec { curve } if !matches!(curve.as_str(), "P-256" | "P-384" | "P-521") => {
            Some(Weakness::Curve(curve))
        }
        KeyKind::Dsa { .. } => Some(Weakness::Dsa),
        KeyKind::Other { oid } => Some(Weakness::UnknownAlgorithm(oid)),
        _ => None,
    }
}

pub(super) fn check(placed: &Placed, sink: &mut Sink) {
    if let Some(weakness) = weakness(&placed.cert.key) {
        sink.push(diags::weak_key(placed, &weakness));
    }
    // A root's self-signature is never checked: its hash does not matter.
    let root_in_path = !placed.field.is_leaf && placed.cert.self_signed;
    if let (Some(hash), false) = (placed.cert.weak_hash, root_in_path) {
        sink.push(diags::weak_signature(placed, hash));
    }
}
