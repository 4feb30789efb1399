//! The prose of the `attestation/` findings about the headers, the
//! attestation's claims and the signatures: one constructor per kind of
//! finding, so the checks read as logic. Each takes the JWT it is about,
//! which gives the finding its field and spans. The PoP's claims and DPoP
//! combined mode are in `pop_diags.rs`.

use std::fmt;

use super::claims::{CnfProblem, CNF_JWK, EXP, IAT_NBF, LEGACY_ISS, SUB_MISMATCH};
use super::header::{AlgProblem, ALG, ATTESTATION_MAC, HEADER_MISSING, MALFORMED, TYP};
use super::keys::{POP_SIGNATURE, SIGNATURE, UNVERIFIED};
use crate::clock::format_rfc3339;
use crate::jose::compact::CompactError;
use crate::lint::view::jwt::{Jwt, TimeProblem};
use crate::lint::{Finding, RuleMeta};
use crate::span::Span;

pub(super) const ATTESTATION: &str = "oauthClientAttestation";
const POP: &str = "oauthClientAttestationPop";

/// A finding about `jwt`, on its field.
pub(super) fn on(jwt: &Jwt, rule: &'static RuleMeta, message: impl Into<String>) -> Finding {
    Finding::new(rule, message).field(jwt.field())
}

/// `field`: the header's field; `span`: where the parse failed.
pub(super) fn malformed(field: &str, e: &CompactError, span: Span) -> Finding {
    Finding::new(
        &MALFORMED,
        format!("`{field}` is not a compact JWS: {}", e.describe()),
    )
    .field(field)
    .label(span, "here")
    .help(
        "the header carries the JWT in compact form: \
         base64url(header).base64url(payload).base64url(signature)",
    )
}

/// `pop`: the whole PoP value.
pub(super) fn pop_without_attestation(pop: Span) -> Finding {
    Finding::new(
        &HEADER_MISSING,
        "`oauthClientAttestationPop` is sent without `oauthClientAttestation`: a PoP proves \
         possession of the key in an attestation, and there is none",
    )
    .field(POP)
    .label(pop, "PoP without attestation")
    .help("send the OAuth-Client-Attestation header (oauthClientAttestation) the PoP belongs to")
}

pub(super) fn attestation_without_pop(att: &Jwt) -> Finding {
    Finding::new(
        &HEADER_MISSING,
        "`oauthClientAttestation` is sent without `oauthClientAttestationPop` and without a DPoP \
         proof: nothing proves possession of the attested key",
    )
    .field(ATTESTATION)
    .label(att.view.whole_span(), "attestation without PoP")
    .help(
        "send the OAuth-Client-Attestation-PoP header (oauthClientAttestationPop), signed with \
         the cnf.jwk key; or, where the server supports attest_jwt_client_auth_dpop, a DPoP \
         proof made with that key",
    )
}

/// `swapped`: the `typ` is the other header's.
pub(super) fn typ(jwt: &Jwt, typ: Option<&str>, want: &str, swapped: bool) -> Finding {
    let found = match typ {
        Some(t) => format!("`typ` is `{t}`"),
        None => "there is no `typ`".to_owned(),
    };
    let swapped = if swapped {
        ": the attestation and the PoP look swapped"
    } else {
        ""
    };
    on(
        jwt,
        &TYP,
        format!(
            "`{}`: {found}, but it must be `{want}`{swapped}",
            jwt.field()
        ),
    )
    .label(jwt.header_span(), format!("typ must be {want}"))
    .help(format!(
        "set the JOSE header `typ` to `{want}` (explicit typing keeps one kind of JWT from being \
         accepted as another, RFC 8725 §3.11)"
    ))
}

impl fmt::Display for AlgProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlgProblem::Missing => f.write_str("has no `alg`"),
            AlgProblem::None => f.write_str("uses `alg: none` (unsigned)"),
            AlgProblem::Unregistered(a) => {
                write!(f, "uses `{a}`, which is not a registered JWS algorithm")
            }
            AlgProblem::PopMac(a) => write!(
                f,
                "uses `{a}`, a MAC: the PoP must be signed with the private key of cnf.jwk"
            ),
        }
    }
}

pub(super) fn alg(jwt: &Jwt, is_pop: bool, problem: &AlgProblem) -> Finding {
    let what = if is_pop { "PoP" } else { "attestation" };
    on(
        jwt,
        &ALG,
        format!("the {what} (`{}`) {problem}", jwt.field()),
    )
    .label(jwt.header_span(), "alg")
    .help("sign it with an asymmetric algorithm such as ES256 (the one every server accepts)")
}

pub(super) fn attestation_mac(att: &Jwt, alg: &str) -> Finding {
    on(
        att,
        &ATTESTATION_MAC,
        format!(
            "the attestation is protected with `{alg}`, a MAC: draft 07 and later allow it, but \
             drafts before 07 and node-oidc-provider's defaults (ES256, Ed25519, EdDSA) accept \
             only signatures"
        ),
    )
    .label(att.header_span(), format!("alg {alg}"))
    .help(
        "prefer an asymmetric signature (ES256): the server then needs only the attester's \
         public key",
    )
}

pub(super) fn sub_missing(att: &Jwt) -> Finding {
    on(
        att,
        &SUB_MISMATCH,
        "the attestation has no string `sub`; it must carry the client ID",
    )
    .label(att.payload_span(), "no sub")
    .help("the attester sets `sub` to the client_id of the OAuth client")
}

/// `id`: the request's client ID.
pub(super) fn sub_mismatch(att: &Jwt, sub: &str, id: &str) -> Finding {
    on(
        att,
        &SUB_MISMATCH,
        format!(
            "the attestation's `sub` is `{sub}` but the request's client ID is `{id}`: the \
             server rejects the mismatch (\"client_id mismatch\")"
        ),
    )
    .label(att.payload_span(), format!("sub {sub}"))
    .help(
        "send client_id equal to the attestation's sub (or omit client_id); an attestation \
         issued for another client cannot authenticate this one",
    )
}

pub(super) fn exp_missing(att: &Jwt) -> Finding {
    on(att, &EXP, "the attestation has no `exp`, which is REQUIRED")
        .label(att.payload_span(), "no exp")
        .help("the attester must limit the attestation's lifetime with `exp`")
}

pub(super) fn exp_not_number(att: &Jwt) -> Finding {
    on(
        att,
        &EXP,
        "the attestation's `exp` is not a number (NumericDate)",
    )
    .label(att.payload_span(), "exp not a number")
    .help("`exp` is seconds since the epoch, as a JSON number")
}

/// `now`: the check time.
pub(super) fn expired(att: &Jwt, exp: i64, now: i64) -> Finding {
    on(
        att,
        &EXP,
        format!(
            "the attestation expired at {} ({} s before the check time {})",
            format_rfc3339(exp),
            now.saturating_sub(exp),
            format_rfc3339(now)
        ),
    )
    .label(att.payload_span(), "expired")
    .help("get a fresh attestation from the client attester")
}

/// `problems`: what is wrong with `iat` and `nbf`.
pub(super) fn iat_nbf(att: &Jwt, problems: &[TimeProblem]) -> Finding {
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    on(
        att,
        &IAT_NBF,
        format!(
            "the attestation is not valid yet: {} (whether or not its signature was checked, \
             the server reads these claims)",
            problems.join("; ")
        ),
    )
    .label(att.payload_span(), "iat / nbf")
    .help(
        "the attester sets iat (and nbf, if used) to the time of issue from a synchronised \
         clock; when linting a capture, pin the clock with --now",
    )
}

impl fmt::Display for CnfProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CnfProblem::NoCnf => f.write_str("there is no `cnf` claim"),
            CnfProblem::JktOnly => f.write_str(
                "`cnf` has `jkt` but not `jwk`: the server needs the key itself to verify the PoP",
            ),
            CnfProblem::NoJwk => f.write_str("`cnf` has no `jwk`"),
            CnfProblem::Private(members) => write!(
                f,
                "`cnf.jwk` contains private key material ({}): the client instance's private key \
                 has leaked into the attestation",
                members.join(", ")
            ),
            CnfProblem::NoKty => f.write_str("`cnf.jwk` has no string `kty`"),
            CnfProblem::NotObject => f.write_str("`cnf.jwk` is not a JSON object"),
            CnfProblem::NotForVerifying(why) => write!(
                f,
                "`cnf.jwk` is not a key to verify the PoP with: {why} (RFC 7517 §4.2, §4.3; \
                 node-oidc-provider's WebCrypto import refuses key_ops other than \
                 [\"verify\"])"
            ),
            CnfProblem::Invalid(why) => write!(f, "`cnf.jwk` is not a valid public key: {why}"),
        }
    }
}

pub(super) fn cnf_jwk(att: &Jwt, problem: &CnfProblem) -> Finding {
    on(
        att,
        &CNF_JWK,
        format!("the attestation's key binding is unusable: {problem}"),
    )
    .label(att.payload_span(), "cnf")
    .help(
        "the attestation must carry the client instance's PUBLIC key as cnf.jwk (RFC 7800 §3.2); \
         rotate the key if a private part was exposed",
    )
}

/// `iss`: the PoP's; `sub`: the attestation's.
pub(super) fn legacy_iss(pop: &Jwt, iss: &str, sub: &str) -> Finding {
    on(
        pop,
        &LEGACY_ISS,
        format!(
            "the PoP's `iss` is `{iss}`, not the attestation's sub `{sub}`: servers implementing \
             draft 07 or earlier require them equal (draft 08 removed `iss`)"
        ),
    )
    .label(pop.payload_span(), format!("iss {iss}"))
    .help("drop `iss` from the PoP, or set it to the client ID")
}

pub(super) fn signature(att: &Jwt, reason: &str) -> Finding {
    on(
        att,
        &SIGNATURE,
        format!(
            "the attestation's signature does not verify with the attester keys given: {reason}"
        ),
    )
    .label(att.sig_span(), "signature")
    .help(
        "the attestation must be signed by a client attester the server trusts (Authlete: \
         clientAttesterRoots); check --attester-jwks and the header's kid",
    )
}

/// Said on every attestation checked without a key, so one line: what to give.
pub(super) fn unverified(att: &Jwt) -> Finding {
    on(
        att,
        &UNVERIFIED,
        "the attestation's signature was not checked: no --attester-jwks FILE given",
    )
    .help("--attester-jwks FILE: the client attester's public JWKS, as the server trusts it")
}

pub(super) fn pop_signature(pop: &Jwt, reason: &str) -> Finding {
    on(
        pop,
        &POP_SIGNATURE,
        format!(
            "the PoP does not verify with the attestation's cnf.jwk: {reason}; it was signed by \
             another key"
        ),
    )
    .label(pop.sig_span(), "not signed by cnf.jwk")
    .help(
        "sign the PoP with the client instance key whose public half the attestation carries \
         in cnf.jwk",
    )
}
