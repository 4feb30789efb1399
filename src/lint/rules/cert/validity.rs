//! Whether each certificate is valid at the check time (`--now`).

use super::{diags, Placed};
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Cert;
    EXPIRED = "cert/expired", Error, "RFC 5280 §4.1.2.5",
        "A certificate has expired";
    NOT_YET_VALID = "cert/not-yet-valid", Error, "RFC 5280 §4.1.2.5",
        "A certificate is not valid yet";
}

pub(super) fn check(placed: &Placed, now: i64, sink: &mut Sink) {
    if placed.cert.not_after < now {
        sink.push(diags::expired(placed, now));
    } else if placed.cert.not_before > now {
        sink.push(diags::not_yet_valid(placed, now));
    }
}
