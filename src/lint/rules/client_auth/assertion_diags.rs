//! The prose of the findings about a client assertion's header, claims and
//! signature (`assertion.rs`): one constructor per kind of finding.

use std::fmt;

use super::assertion::{
    AlgProblem, IssSubProblem, TypProblem, ALG, AUD, EXP, IAT_NBF, ISS_SUB, JTI, SIGNATURE, TYP,
    UNVERIFIED,
};
use crate::clock::format_rfc3339;
use crate::lint::view::jwt::{ExpProblem, TimeProblem};
use crate::lint::Finding;
use crate::span::Span;

const FIELD: &str = "parameters.client_assertion";
const AUD_HELP: &str = "set `aud` to the authorization server's issuer identifier";

impl fmt::Display for AlgProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlgProblem::Missing => f.write_str("the header has no `alg`"),
            AlgProblem::None => {
                f.write_str("`alg` is `none`: an unsigned assertion authenticates nobody")
            }
            AlgProblem::Unregistered(n) => write!(f, "`{n}` is not a registered JWS algorithm"),
            AlgProblem::MacWithHeaderKey(n) => write!(
                f,
                "`{n}` is a MAC, yet the header carries a public key (jwk/x5c): a server that \
                 takes that key as the HMAC secret can be fooled (key confusion)"
            ),
            AlgProblem::MacWithPublicKey { alg, kid, kty } => write!(
                f,
                "`{alg}` (client_secret_jwt) names kid `{kid}`, which is a {kty} public key in \
                 the client's JWKS: HS* with a public key is the classic key-confusion attack"
            ),
            AlgProblem::MacWithAsymmetricKeys { alg, kinds } => write!(
                f,
                "`{alg}` is a MAC (client_secret_jwt), but the client's key set \
                 (--client-jwks) holds only {} keys and no client secret is known: a server \
                 that verifies this client's assertions with that key set has no shared key for \
                 a MAC, and one that takes the public key as the HMAC secret is fooled (key \
                 confusion, RFC 8725 §2.1), whatever the `kid`",
                if kinds.is_empty() {
                    "asymmetric".to_owned()
                } else {
                    kinds.join("/")
                }
            ),
            AlgProblem::KeyMismatch(why) => f.write_str(why),
        }
    }
}

/// `header`: the assertion's header segment.
pub(super) fn alg(problem: &AlgProblem, header: Span) -> Finding {
    Finding::new(
        &ALG,
        format!("the client assertion's algorithm is unacceptable: {problem}"),
    )
    .field(FIELD)
    .label(header, "alg")
    .help(
        "private_key_jwt: sign with the client's private key (ES256, PS256, RS256 …); \
         client_secret_jwt: HS256 with the client secret. Never `none`; the server also checks \
         it against token_endpoint_auth_signing_alg",
    )
}

pub(super) fn typ(problem: &TypProblem, header: Span) -> Finding {
    let message = match problem {
        TypProblem::Missing => "the client assertion has no `typ`; draft-ietf-oauth-rfc7523bis \
                                says it SHOULD be `client-authentication+jwt`"
            .to_owned(),
        TypProblem::OtherJwt(t) => format!(
            "the client assertion is typed `{t}`, which is another kind of JWT: a JWT made for \
             one purpose is being used for another"
        ),
        TypProblem::Other(t) => format!(
            "the client assertion is typed `{t}`, not `client-authentication+jwt` \
             (draft-ietf-oauth-rfc7523bis)"
        ),
    };
    let f = Finding::new(&TYP, message).field(FIELD).help(
        "add \"typ\": \"client-authentication+jwt\" to the header; servers are told not to \
         reject untyped assertions yet, so this is advice, not a failure",
    );
    // Advice about a draft is one line; a JWT of another kind is shown.
    match problem {
        TypProblem::OtherJwt(_) => f.label(header, "typ"),
        TypProblem::Missing | TypProblem::Other(_) => f,
    }
}

impl fmt::Display for IssSubProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssSubProblem::Missing(claim) => write!(f, "`{claim}` is missing (or not a string)"),
            IssSubProblem::Differ { iss, sub } => {
                write!(f, "`iss` (`{iss}`) and `sub` (`{sub}`) differ")
            }
            IssSubProblem::NotClientId { claim, value, id } => {
                write!(f, "`{claim}` is `{value}`, not the client ID `{id}`")
            }
        }
    }
}

/// `payload`: the assertion's payload segment.
pub(super) fn iss_sub(problems: &[IssSubProblem], payload: Span) -> Finding {
    let mut problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    problems.dedup();
    Finding::new(
        &ISS_SUB,
        format!(
            "the client assertion does not name the client: {}",
            problems.join("; ")
        ),
    )
    .field(FIELD)
    .label(payload, "iss and sub must be the client ID")
    .help(
        "for client authentication both `iss` and `sub` are the client_id (RFC 7523 §3 items 1 \
         and 2.B; OpenID Connect Core §9)",
    )
}

pub(super) fn aud_missing(payload: Span) -> Finding {
    Finding::new(
        &AUD,
        "the client assertion has no `aud`: RFC 7523 requires the authorization server as its \
         audience (Authlete: A314314)",
    )
    .field(FIELD)
    .label(payload, "no aud")
    .help(AUD_HELP)
}

pub(super) fn aud_not_strings(payload: Span) -> Finding {
    Finding::new(
        &AUD,
        "the client assertion's `aud` is neither a string nor an array of strings",
    )
    .field(FIELD)
    .label(payload, "aud")
    .help(AUD_HELP)
}

/// `values`: the `aud` values; `accepted`: the issuer and the token endpoint.
pub(super) fn aud_mismatch(
    values: &[String],
    accepted: &[&str],
    issuer: Option<&str>,
    payload: Span,
) -> Finding {
    let help = match issuer {
        Some(i) => format!(
            "set `aud` to `{i}`: the issuer identifier is the one value every server accepts, \
             and the only one draft-ietf-oauth-rfc7523bis allows"
        ),
        None => AUD_HELP.to_owned(),
    };
    Finding::new(
        &AUD,
        format!(
            "the client assertion's `aud` ({}) names neither the issuer nor the token endpoint \
             ({}): the server rejects it (Authlete: A314314)",
            values.join(", "),
            accepted.join(", ")
        ),
    )
    .field(FIELD)
    .label(payload, "aud")
    .help(help)
}

pub(super) fn exp(problem: &ExpProblem, payload: Span) -> Finding {
    let message = match *problem {
        ExpProblem::Missing => {
            "the client assertion has no `exp`, which RFC 7523 requires (Authlete: A314305)"
                .to_owned()
        }
        ExpProblem::NotNumber => "the client assertion's `exp` is not a number".to_owned(),
        ExpProblem::Expired { exp, now } => format!(
            "the client assertion expired at {} ({} s before the check time {})",
            format_rfc3339(exp),
            now.saturating_sub(exp),
            format_rfc3339(now)
        ),
    };
    Finding::new(&EXP, message)
        .field(FIELD)
        .label(payload, "exp")
        .help(
            "make a fresh assertion for each request with a short lifetime (e.g. exp = now + \
             60 s); pin the clock with --now when linting a capture",
        )
}

pub(super) fn iat_nbf(problems: &[TimeProblem], payload: Span) -> Finding {
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Finding::new(
        &IAT_NBF,
        format!(
            "the client assertion's times are not sane: {}",
            problems.join("; ")
        ),
    )
    .field(FIELD)
    .label(payload, "iat / nbf")
    .help(
        "set iat (and nbf, if used) to the current time from a synchronised clock; a clock \
         ahead of the server makes the assertion \"not yet valid\"",
    )
}

pub(super) fn jti_missing(payload: Span) -> Finding {
    Finding::new(
        &JTI,
        "the client assertion has no `jti`: RFC 7523 makes it optional, but OpenID Connect Core \
         §9 requires it and node-oidc-provider rejects assertions without one",
    )
    .field(FIELD)
    .label(payload, "no jti")
    .help(
        "add a unique `jti` (e.g. a random UUID) to every assertion; servers use it to refuse \
         replays",
    )
}

/// `alg`: the algorithm's name; `mac`: whether it is an HS* one. Said on
/// every assertion checked without a key, so one line: what to give.
pub(super) fn unverified(alg: &str, mac: bool) -> Finding {
    let (key, what) = if mac {
        (
            "`clientSecret`",
            "the client secret the HS* MAC is made with",
        )
    } else {
        (
            "--client-jwks FILE",
            "the client's public JWKS, as registered with the server",
        )
    };
    Finding::new(
        &UNVERIFIED,
        format!("the client assertion's {alg} signature was not checked: no {key} given"),
    )
    .field(FIELD)
    .help(format!("{key}: {what}; the claims were checked without it"))
}

pub(super) fn signature(mac: bool, reason: &str, signature: Span) -> Finding {
    let whose = if mac {
        "the client secret"
    } else {
        "the client's JWKS"
    };
    Finding::new(
        &SIGNATURE,
        format!("the client assertion's signature does not verify with {whose}: {reason}"),
    )
    .field(FIELD)
    .label(signature, "signature")
    .help(
        "sign with the key registered for the client (its jwks / jwks_uri, or the client secret \
         for HS*), and put that key's kid in the header",
    )
}
