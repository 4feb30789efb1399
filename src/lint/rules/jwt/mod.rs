//! `jwt/`: the RFC 8725 attacks that apply to every JWT a token request
//! carries (the DPoP proof, a `client_assertion`, the client attestation and
//! its PoP) where the carrier's own area has no rule for them: `crit`
//! abuse, `b64` outside `crit`, a private key in the header, `jku`/`x5u`
//! pointing elsewhere, an oversized `jti`, duplicate members, a `kid` no
//! given key has, a ROCA-fingerprinted RSA key, an `aud` nothing is known
//! to compare with. (DPoP has `dpop/crit`,
//! `dpop/jwk-private` and `dpop/duplicate-member`; those are not repeated
//! here for the proof.)

mod claims;
mod diags;
mod header;
mod jwts;
mod keys;
mod members;

/// The note on a NumericDate given in milliseconds, for every area's
/// messages about `iat`, `nbf` and `exp`.
pub(crate) use diags::millis_note;

use crate::lint::rules::{AreaRules, Hooks};
use crate::lint::{Area, Context, Sink};

/// The `Jwt` area: its rules and the check that runs them.
pub static AREA: AreaRules = AreaRules {
    area: Area::Jwt,
    rules: &[header::RULES, claims::RULES, members::RULES, keys::RULES],
    check,
    hooks: Hooks::NONE,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    let own = header::own_hosts(cx);
    for jwt in jwts::jwts(cx) {
        // The proof's own area checks these for it (`dpop/crit`, …).
        if !jwt.dpop {
            header::check_crit(&jwt, sink);
            header::check_private_key(&jwt, sink);
            members::check(&jwt, sink);
        }
        header::check_key_urls(&jwt, &own, sink);
        header::check_b64(cx, &jwt, sink);
        claims::check(&jwt, sink);
        claims::check_aud_known(cx, &jwt, sink);
        keys::check_kid(cx, &jwt, sink);
        keys::check_roca(cx, &jwt, sink);
    }
}
