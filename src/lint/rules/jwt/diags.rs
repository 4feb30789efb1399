//! The `jwt/` findings' prose: one constructor per kind of finding. Each
//! points at the JWT's segment in the source and shows it decoded with the
//! member underlined.

use std::fmt;

use super::claims::{JTI_OVERSIZED, MAX_JTI};
use super::header::{CRIT_UNSUPPORTED, KEY_URL, PRIVATE_KEY_IN_HEADER};
use super::jwts::{Jwt, Segment};
use super::members::DUPLICATE_MEMBER;
use crate::clock::{format_rfc3339, looks_like_millis};
use crate::json::Member;
use crate::lint::view::jwt::TimeProblem;
use crate::lint::Finding;

/// The member, key and value, for the decoded view's label.
fn whole(m: &Member) -> crate::span::Span {
    m.key_span.cover(m.value.span)
}

pub(super) fn crit_unsupported(jwt: &Jwt, crit: &Member) -> Finding {
    Finding::new(
        &CRIT_UNSUPPORTED,
        format!(
            "{} marks header parameters as critical (`crit`): no client authentication \
             profile defines an extension, so a server MUST reject it, and one that ignores \
             `crit` lets the sender switch off checks it does not know",
            jwt.what
        ),
    )
    .field(format!("{}.crit", jwt.field))
    .label(jwt.span(Segment::Header), "header with `crit`")
    .decoded(jwt.decoded(Segment::Header, whole(crit), "`crit`"))
    .help("remove `crit` and the extension parameters it names")
}

/// `private`: the private key members the `jwk` has.
pub(super) fn private_key_in_header(jwt: &Jwt, jwk: &Member, private: &[&str]) -> Finding {
    Finding::new(
        &PRIVATE_KEY_IN_HEADER,
        format!(
            "{}'s header `jwk` holds private key members ({}): the private key has been sent \
             to the server and everyone on the way, and must be considered compromised",
            jwt.what,
            private.join(", ")
        ),
    )
    .field(format!("{}.jwk", jwt.field))
    .label(jwt.span(Segment::Header), "header with a private key")
    .decoded(jwt.decoded(Segment::Header, whole(jwk), "private key"))
    .help(
        "never put a key in the header of a client assertion or attestation \
         (the server has the client's or attester's keys); \
         generate a new key pair and retire this one",
    )
}

/// `again`: the later of two members of one name.
pub(super) fn duplicate_member(jwt: &Jwt, segment: Segment, again: &Member) -> Finding {
    let name = &again.key.value;
    let checked = jwt
        .part(segment)
        .value
        .get(name)
        .is_some_and(|last| std::ptr::eq(last, again));
    let label = if checked {
        "again here (the one checked)"
    } else {
        "again here"
    };
    Finding::new(
        &DUPLICATE_MEMBER,
        format!(
            "{}'s {} has `{name}` more than once: parsers disagree on which one counts \
             (the first, the last, or reject), so a check and the code after it may see \
             different values (tokenlint checks the last, as Jackson and JSON.parse keep it)",
            jwt.what,
            segment.name()
        ),
    )
    .field(format!("{}.{name}", jwt.field))
    .label(jwt.span(segment), format!("duplicate `{name}`"))
    .decoded(jwt.decoded(segment, again.key_span, label))
    .help(
        "each member name once (RFC 7515 §4: a recipient MUST reject duplicates or take the last)",
    )
}

/// `name`: `jku` or `x5u`; `host`: its URL's host, if it parses.
pub(super) fn key_url(jwt: &Jwt, name: &str, m: &Member, host: Option<&str>) -> Finding {
    let target = host.map_or_else(|| "an unparsable URL".to_owned(), |h| format!("`{h}`"));
    Finding::new(
        &KEY_URL,
        format!(
            "{}'s `{name}` points at {target}, not at the authorization server: a server that \
             fetches it verifies the JWT with a key the sender chose (and makes a request \
             wherever the sender says)",
            jwt.what
        ),
    )
    .field(format!("{}.{name}", jwt.field))
    .label(jwt.span(Segment::Header), format!("header with `{name}`"))
    .decoded(jwt.decoded(Segment::Header, whole(m), &format!("`{name}`")))
    .help(
        "remove it: the server takes the key from its own configuration (the client's \
         registered jwks, the trusted attesters, or the proof's `jwk`), never from a URL \
         in the token",
    )
}

/// `len`: the jti's length in bytes.
pub(super) fn jti_oversized(jwt: &Jwt, jti: &Member, len: usize) -> Finding {
    Finding::new(
        &JTI_OVERSIZED,
        format!(
            "{}'s `jti` is {len} bytes, over {MAX_JTI}: servers store every jti to detect \
             replays, so an oversized one makes each request cost the server memory \
             (a jti needs only 16 random bytes)",
            jwt.what
        ),
    )
    .field(format!("{}.jti", jwt.field))
    .label(jwt.span(Segment::Claims), format!("{len}-byte jti"))
    .decoded(jwt.decoded(Segment::Claims, jti.value.span, "oversized"))
    .help("use a random identifier of 16 octets, base64url-encoded (22 characters), or a UUIDv4")
}

impl fmt::Display for TimeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TimeProblem::NotNumber(claim) => write!(f, "`{claim}` is not a number"),
            TimeProblem::Future { claim, at, now } => write!(
                f,
                "`{claim}` is {} ({} s after the check time {}){}",
                format_rfc3339(at),
                at.saturating_sub(now),
                format_rfc3339(now),
                millis_note(claim, at, now)
            ),
            TimeProblem::IatNotBeforeExp { iat, exp } => {
                write!(f, "`iat` ({iat}) is not before `exp` ({exp})")
            }
        }
    }
}

/// A note for a NumericDate that is most likely milliseconds (empty when
/// it is not): "`iat` 1767225595000 is milliseconds …".
pub(crate) fn millis_note(claim: &str, t: i64, now: i64) -> String {
    if !looks_like_millis(t, now) {
        return String::new();
    }
    format!(
        "; `{claim}` {t} looks like milliseconds since the epoch ({} if it is): a NumericDate \
         counts seconds, so divide it by 1000",
        format_rfc3339(t / 1000)
    )
}
