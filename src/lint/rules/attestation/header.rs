//! The two headers: sent together, each one compact JWS, explicitly typed
//! (RFC 8725 §3.11) and signed with a usable `alg`.

use super::diags;
use crate::jose::jwk::{self, AlgKind};
use crate::lint::view::jwt::{Jwt, JwtView};
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Attestation;
    MALFORMED = "attestation/malformed", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.2; RFC 7515 §7.1",
        "An attestation header is not a single compact JWS";
    HEADER_MISSING = "attestation/header-missing", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §6.1, §6.2",
        "`oauthClientAttestation` without its PoP (and no DPoP combined mode), or a PoP without \
         the attestation";
    TYP = "attestation/typ", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §4, §5.1; RFC 8725 §3.11",
        "The attestation or PoP does not have its required `typ`";
    ALG = "attestation/alg", Error,
        "draft-ietf-oauth-attestation-based-client-auth-10 §5.1, §6; RFC 8725 §3.1",
        "The attestation or PoP `alg` is missing, `none`, unregistered, or (PoP) a MAC";
    ATTESTATION_MAC = "attestation/attestation-mac", Info,
        "draft-ietf-oauth-attestation-based-client-auth-10 §4",
        "The attestation is MAC-protected; many servers accept only signatures";
}

pub(super) const ATTESTATION_TYP: &str = "oauth-client-attestation+jwt";
pub(super) const POP_TYP: &str = "oauth-client-attestation-pop+jwt";

/// What is wrong with an `alg`.
pub(super) enum AlgProblem<'a> {
    Missing,
    None,
    Unregistered(&'a str),
    /// A MAC for the PoP, which must be signed with the `cnf.jwk` key.
    PopMac(&'a str),
}

/// Each header that is sent must be one compact JWS.
pub(super) fn check_compact(att: Option<JwtView>, pop: Option<JwtView>, sink: &mut Sink) {
    for view in [att, pop].into_iter().flatten() {
        if let Err(e) = view.jws {
            let raw = e.raw(view.value().len());
            sink.push(diags::malformed(view.field, e, view.span(raw)));
        }
    }
}

/// A PoP proves possession of the key in an attestation: alone, it proves
/// nothing.
pub(super) fn check_pop_alone(pop: Option<JwtView>, sink: &mut Sink) {
    if let Some(pop) = pop {
        sink.push(diags::pop_without_attestation(pop.whole_span()));
    }
}

pub(super) fn check_attestation(att: &Jwt, sink: &mut Sink) {
    check_typ(att, ATTESTATION_TYP, sink);
    check_alg(att, false, sink);
}

pub(super) fn check_pop(pop: &Jwt, sink: &mut Sink) {
    check_typ(pop, POP_TYP, sink);
    check_alg(pop, true, sink);
}

fn check_typ(jwt: &Jwt, want: &str, sink: &mut Sink) {
    let typ = jwt.header().get_str("typ");
    let ok = typ.is_some_and(|t| {
        let t = t.to_ascii_lowercase();
        t == want || t.strip_prefix("application/") == Some(want)
    });
    if ok {
        return;
    }
    let swapped = matches!(
        (typ, want),
        (Some(POP_TYP), ATTESTATION_TYP) | (Some(ATTESTATION_TYP), POP_TYP)
    );
    sink.push(diags::typ(jwt, typ, want, swapped));
}

fn check_alg(jwt: &Jwt, is_pop: bool, sink: &mut Sink) {
    let problem = match jwt.header().get_str("alg") {
        None => AlgProblem::Missing,
        Some(a) if a.eq_ignore_ascii_case("none") => AlgProblem::None,
        Some(a) => match jwk::find_alg(a) {
            None => AlgProblem::Unregistered(a),
            Some(alg) if alg.kind == AlgKind::Mac && is_pop => AlgProblem::PopMac(a),
            Some(alg) if alg.kind == AlgKind::Mac => {
                return sink.push(diags::attestation_mac(jwt, a));
            }
            Some(_) => return,
        },
    };
    sink.push(diags::alg(jwt, is_pop, &problem));
}
