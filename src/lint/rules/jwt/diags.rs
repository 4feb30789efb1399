//! The `jwt/` findings' prose: one constructor per kind of finding. Each
//! points at the JWT's segment in the source and shows it decoded with the
//! member underlined.

use std::fmt;

use super::claims::{Audience, AUD_UNCHECKED, JTI_OVERSIZED, MAX_JTI};
use super::header::{B64_WITHOUT_CRIT, CRIT_UNSUPPORTED, KEY_URL, PRIVATE_KEY_IN_HEADER};
use super::jwts::{Jwt, Segment};
use super::keys::{RocaKey, KID_UNKNOWN, ROCA_KEY};
use super::members::DUPLICATE_MEMBER;
use crate::clock::{format_rfc3339, looks_like_millis};
use crate::json::Member;
use crate::lint::profile::{B64OutsideCrit, Profile};
use crate::lint::view::jwt::TimeProblem;
use crate::lint::{Finding, Severity};

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

/// `b64`: the header member; `profile`: the server's, which decides
/// whether the JWT is refused or `b64` ignored.
pub(super) fn b64_without_crit(jwt: &Jwt, b64: &Member, profile: &Profile) -> Finding {
    let value = match b64.value.as_bool() {
        Some(false) => "false: the payload is signed as raw bytes, not base64url".to_owned(),
        Some(true) => "true".to_owned(),
        None => format!("{} (not even a boolean)", b64.value.kind()),
    };
    let (severity, outcome) = match profile.b64_outside_crit {
        B64OutsideCrit::Reject => (Severity::Error, format!("{} refuses it", profile.name)),
        B64OutsideCrit::Ignore => (
            Severity::Warning,
            format!(
                "{} ignores `b64` outside `crit` and verifies the payload as base64url, so the \
                 JWT passes only if it was signed that way",
                profile.name
            ),
        ),
    };
    Finding::new(
        &B64_WITHOUT_CRIT,
        format!(
            "{}'s header has `b64` {value}, but `crit` does not list \"b64\": RFC 7797 §6 \
             makes that a MUST, because a recipient that does not know b64 ignores it and \
             verifies other bytes than were signed; {outcome}",
            jwt.what
        ),
    )
    .severity(severity)
    .field(format!("{}.b64", jwt.field))
    .label(jwt.span(Segment::Header), "`b64` without `crit`")
    .decoded(jwt.decoded(Segment::Header, whole(b64), "not in crit"))
    .help(
        "drop `b64` (a JWT's payload is always base64url, RFC 7797 §7 says JWTs do not use \
         b64: false); if the unencoded payload is meant, add \"crit\": [\"b64\"]",
    )
}

/// `kid`: the header's, when it is a string; `option`: the flag that gave
/// the key set; `known`: the kids the set has.
pub(super) fn kid_unknown(
    jwt: &Jwt,
    m: &Member,
    kid: Option<&str>,
    option: &str,
    known: &[&str],
) -> Finding {
    // Escaped: a probe may carry control characters or quotes.
    let shown = match kid {
        Some(k) if k.chars().count() <= 40 => format!("{k:?}"),
        Some(k) => format!("a {}-character value (not shown)", k.chars().count()),
        None => format!("{} (not a string)", m.value.kind()),
    };
    let probe = kid.and_then(injection_probe).unwrap_or_default();
    let has = if known.is_empty() {
        "it has no kid at all".to_owned()
    } else {
        format!("it has {}", known.join(", "))
    };
    Finding::new(
        &KID_UNKNOWN,
        format!(
            "{}'s `kid` is {shown}, which names no key of the set given with {option} ({has}): \
             a server that looks the key up by kid finds none and rejects the JWT{probe}",
            jwt.what
        ),
    )
    .field(format!("{}.kid", jwt.field))
    .label(jwt.span(Segment::Header), "kid names no key")
    .decoded(jwt.decoded(Segment::Header, whole(m), "no such key"))
    .help(format!(
        "put the kid of the signing key, as registered (the set given with {option}), in the \
         header; or check that {option} is this client's current key set"
    ))
}

/// A note for a `kid` that reads as an attack on how servers look keys up.
fn injection_probe(kid: &str) -> Option<String> {
    let what = if kid.contains("../") || kid.contains("..\\") || kid.starts_with('/') {
        "a file path (path traversal: a server that reads the key from a file named by kid \
         can be handed /dev/null, an empty key)"
    } else if kid.contains('\'')
        || kid.contains("--")
        || kid.to_ascii_lowercase().contains(" union ")
    {
        "SQL (a server that looks the key up in a database by kid can be injected)"
    } else if kid.contains(['|', ';', '`', '$']) {
        "shell text (a server that passes kid to a command can be injected)"
    } else {
        return None;
    };
    Some(format!("; this kid looks like {what} (RFC 8725 §3.10)"))
}

pub(super) fn roca_key(jwt: &Jwt, at: &RocaKey) -> Finding {
    let (which, segment) = match at {
        RocaKey::Header => (
            "the RSA key in its header `jwk`".to_owned(),
            Segment::Header,
        ),
        RocaKey::Cnf => (
            "the RSA key it binds (`cnf.jwk`)".to_owned(),
            Segment::Claims,
        ),
        RocaKey::KeySet { option, kid } => (
            match kid {
                Some(k) => format!("the RSA key `{k}` given with {option} to verify it"),
                None => format!("an RSA key given with {option} to verify it"),
            },
            Segment::Header,
        ),
    };
    Finding::new(
        &ROCA_KEY,
        format!(
            "{which} of {} has the ROCA fingerprint (CVE-2017-15361): its modulus was made by \
             Infineon's RSALib, whose primes have a structure that lets anyone factor it and \
             sign as its owner",
            jwt.what
        ),
    )
    .field(jwt.field)
    .label(jwt.span(segment), "ROCA-fingerprinted RSA key")
    .help(
        "replace the key: generate a new one with a fixed library or device (Infineon's \
         firmware update, or an EC key), and revoke this one wherever it is registered",
    )
}

/// `want`: what the `aud` would be compared with. Said on every JWT with an
/// `aud` when the server is not named, so one line: what to give.
pub(super) fn aud_unchecked(jwt: &Jwt, want: Audience) -> Finding {
    let (flags, config) = match want {
        Audience::Issuer => ("--issuer", "issuer"),
        Audience::IssuerOrEndpoint => ("--issuer (or --token-endpoint)", "issuer / token-endpoint"),
    };
    Finding::new(
        &AUD_UNCHECKED,
        format!("{}'s `aud` was not compared: no {flags} given", jwt.what),
    )
    .field(format!("{}.aud", jwt.field))
    .help(format!(
        "give the server's issuer URL on the command line or as {config} in tokenlint.toml; \
         the server answers a wrong `aud` with invalid_client or invalid_grant"
    ))
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
