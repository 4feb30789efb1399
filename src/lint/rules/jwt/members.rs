//! A member named twice in a JWT's header or claims.

use super::diags;
use super::jwts::{Jwt, Segment};
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Jwt;
    DUPLICATE_MEMBER = "jwt/duplicate-member", Error, "RFC 7515 §4; RFC 7519 §4",
        "A client assertion or attestation has the same member twice in its header or claims";
}

pub(super) fn check(jwt: &Jwt, sink: &mut Sink) {
    for segment in [Segment::Header, Segment::Claims] {
        for again in jwt.part(segment).duplicate_names() {
            sink.push(diags::duplicate_member(jwt, segment, again));
        }
    }
}
