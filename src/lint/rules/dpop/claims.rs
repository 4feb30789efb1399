//! The proof's claims: the required ones present and typed, then `jti`,
//! `htm` and `ath`; `htu` and the freshness claims have their own files.

use super::Checker;
use crate::json::{Member, Node};
use crate::lint::profile::HtmMatch;
use crate::lint::view::dpop::{member_span, Part};
use crate::lint::{Finding, Severity, Sink};
use crate::span::Span;
use crate::text;

crate::lint::declare_rules! {
    area: Dpop;
    CLAIM_MISSING = "dpop/claim-missing", Error, "RFC 9449 §4.2, §4.3 (3)",
        "A required claim (`jti`, `htm`, `htu`, `iat`) is missing or of the wrong type";
    JTI_TOO_LONG = "dpop/jti-too-long", Warning, "RFC 9449 §11.1",
        "`jti` is unreasonably long (more than 256 characters)";
    JTI_WEAK = "dpop/jti-weak", Warning, "RFC 9449 §4.2",
        "`jti` carries less than 96 bits of randomness and is not a UUIDv4";
    /// Raised by the engine, which sees every request of a run.
    REPLAY = "dpop/replay", Error, "RFC 9449 §4.3, §11.1",
        "The same `jti` is used by two requests of one run";
    HTM_MISMATCH = "dpop/htm-mismatch", Error, "RFC 9449 §4.3 (8); RFC 9110 §9.1",
        "`htm` is not the request's method";
    ATH_AT_TOKEN_ENDPOINT = "dpop/ath-at-token-endpoint", Warning, "RFC 9449 §4.2, §5",
        "The proof has an `ath`, which belongs to resource requests, not the token endpoint";
}

/// Longest `jti` before it is called absurd (several verifiers cap here).
const MAX_JTI: usize = 256;

/// Claims a DPoP proof may carry; not suggested as typos of each other.
const KNOWN_CLAIMS: &[&str] = &["jti", "htm", "htu", "iat", "ath", "nonce", "exp", "nbf"];

/// A claim RFC 9449 §4.2 requires: its name, what it must be, and the test.
struct Required {
    name: &'static str,
    want: &'static str,
    ok: fn(&Node) -> bool,
}

fn non_empty_string(n: &Node) -> bool {
    matches!(n, Node::String(t) if !t.value.is_empty())
}

fn number(n: &Node) -> bool {
    matches!(n, Node::Number(_))
}

/// `jti`, `htm`, `htu` and `iat`, in that order.
const REQUIRED: [Required; 4] = [
    Required {
        name: "jti",
        want: "a non-empty string",
        ok: non_empty_string,
    },
    Required {
        name: "htm",
        want: "a non-empty string (the HTTP method)",
        ok: non_empty_string,
    },
    Required {
        name: "htu",
        want: "a non-empty string (the target URI)",
        ok: non_empty_string,
    },
    Required {
        name: "iat",
        want: "a number (seconds since the epoch)",
        ok: number,
    },
];

impl Checker<'_, '_> {
    pub(super) fn claims(&self, sink: &mut Sink) {
        let [jti, htm, htu, iat] = REQUIRED.map(|r| self.required(&r, sink));
        if let Some(m) = jti {
            self.jti(m, sink);
        }
        if let Some(m) = htm {
            self.htm(m, sink);
        }
        if let Some(m) = htu {
            self.htu(m, sink);
        }
        if let Some(m) = iat {
            self.iat(m, sink);
        }
        self.exp(sink);
        self.nonce(sink);
        if let Some(m) = self.view.claim("ath") {
            sink.push(self.ath(m));
        }
    }

    /// The required claim, when present and of the right type.
    fn required(&self, r: &Required, sink: &mut Sink) -> Option<&Member> {
        match self.view.claim(r.name) {
            Some(m) if (r.ok)(&m.value.node) => Some(m),
            Some(m) => {
                sink.push(self.claim_wrong_type(r, m));
                None
            }
            None => {
                sink.push(self.claim_missing(r, self.misspelt(r.name)));
                None
            }
        }
    }

    /// A claim that looks like a misspelling of `name`.
    fn misspelt(&self, name: &str) -> Option<&Member> {
        let members = self.view.part(Part::Payload)?.value.as_object()?;
        members.iter().find(|m| {
            let k = m.key.value.as_str();
            !KNOWN_CLAIMS.contains(&k) && text::suggest(k, [name]).is_some()
        })
    }

    fn jti(&self, m: &Member, sink: &mut Sink) {
        let Some(t) = m.value.as_str() else { return };
        let jti = t.value.as_str();
        let n = jti.chars().count();
        if n > MAX_JTI {
            sink.push(self.jti_too_long(m, n));
        } else if let Some(why) = weak_jti(jti) {
            sink.push(self.jti_weak(m, jti, &why));
        }
    }

    fn htm(&self, m: &Member, sink: &mut Sink) {
        let Some(t) = m.value.as_str() else { return };
        let claim = t.value.as_str();
        let (target, from) = match &self.cx.req.htm {
            Some(h) if !h.value.is_empty() => (h.value.as_str(), Some(h.span)),
            _ => ("POST", None),
        };
        if claim == target {
            return;
        }
        let f = if !claim.eq_ignore_ascii_case(target) {
            self.htm_mismatch(m, claim, target, from.is_none())
        } else if self.cx.profile.htm == HtmMatch::CaseInsensitive {
            self.htm_case_tolerated(m, claim, target)
        } else {
            self.htm_case(m, claim, target)
        };
        sink.push(htm_fix(f, target, from));
    }
}

/// Why a `jti` looks weak, if it does.
fn weak_jti(jti: &str) -> Option<String> {
    let b = jti.as_bytes();
    let is_uuid = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_uuid {
        let v = b[14] as char;
        return if v == '4' {
            None
        } else {
            Some(format!(
                "is a version {v} UUID, which is not (or not all) random"
            ))
        };
    }
    let n = jti.chars().count() as f64;
    // Anything wider than hex counts as base64url (6 bits), conservatively.
    let bits_per_char = if jti.chars().all(|c| c.is_ascii_digit()) {
        10f64.log2()
    } else if jti.chars().all(|c| c.is_ascii_hexdigit()) {
        4.0
    } else {
        6.0
    };
    let bits = (n * bits_per_char).floor();
    if bits < 96.0 {
        return Some(format!("has at most {bits} bits ({n} characters)"));
    }
    let mut distinct: Vec<char> = jti.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 8 {
        return Some(format!(
            "uses only {} distinct characters, so it is not random",
            distinct.len()
        ));
    }
    None
}

// The findings.

/// What every `htm` finding ends with: where the request's method is, and
/// the fix.
fn htm_fix(f: Finding, target: &str, method_at: Option<Span>) -> Finding {
    let f = match method_at {
        Some(s) => f.label(s, "the request's method"),
        None => f,
    };
    f.help(format!(
        "make the proof for this request: htm must be exactly \"{target}\"; \
        a token request is always POST"
    ))
}

impl Checker<'_, '_> {
    fn claim_wrong_type(&self, r: &Required, m: &Member) -> Finding {
        let (name, want) = (r.name, r.want);
        let message = format!(
            "the `{name}` claim is {}, but must be {want}",
            m.value.kind()
        );
        self.payload_finding(&CLAIM_MISSING, message)
            .member(member_span(m), "wrong type")
            .help(format!("give `{name}` as {want}"))
    }

    fn claim_missing(&self, r: &Required, typo: Option<&Member>) -> Finding {
        let (name, want) = (r.name, r.want);
        let f = match typo {
            Some(t) => self
                .payload_finding(
                    &CLAIM_MISSING,
                    format!(
                        "the proof has no `{name}` claim; it has `{}` instead: a typo?",
                        t.key.value
                    ),
                )
                .member(member_span(t), "did you mean this?"),
            // The whole payload carries the same label, for lack of a typo.
            None => self
                .payload_finding(
                    &CLAIM_MISSING,
                    format!("the proof has no `{name}` claim, which RFC 9449 §4.2 requires"),
                )
                .object("did you mean this?"),
        };
        f.help(format!(
            "add `{name}` ({want}) to the proof's claims: a DPoP proof needs jti, htm, htu and iat"
        ))
    }

    fn jti_too_long(&self, m: &Member, n: usize) -> Finding {
        let message = format!(
            "`jti` is {n} characters long; servers store jtis to detect replays and may reject \
            one longer than {MAX_JTI} (RFC 9449 §11.1)"
        );
        self.payload_finding(&JTI_TOO_LONG, message)
            .member(member_span(m), &format!("{n} characters"))
            .help(
                "use 16 to 32 random octets, base64url-encoded (22 to 43 characters), \
                or a UUIDv4",
            )
    }

    fn jti_weak(&self, m: &Member, jti: &str, why: &str) -> Finding {
        let message = format!(
            "`jti` \"{jti}\" {why}; RFC 9449 §4.2 asks for at least 96 bits of pseudorandom \
            data or a version 4 UUID"
        );
        self.payload_finding(&JTI_WEAK, message)
            .member(member_span(m), "not random enough")
            .help(
                "generate it from a cryptographic random source: 16 random octets \
                base64url-encoded (22 characters), or a UUIDv4",
            )
    }

    fn htm_mismatch(&self, m: &Member, claim: &str, target: &str, defaulted: bool) -> Finding {
        let default = if defaulted {
            " (the default: Authlete's htm is POST unless the request says otherwise)"
        } else {
            ""
        };
        let message = format!("`htm` is \"{claim}\" but the request method is {target}{default}");
        self.payload_finding(&HTM_MISMATCH, message)
            .member(member_span(m), &format!("expected {target}"))
    }

    /// Only the case differs, and the profile's server ignores case.
    fn htm_case_tolerated(&self, m: &Member, claim: &str, target: &str) -> Finding {
        let message = format!(
            "`htm` is \"{claim}\" and the request method is {target}: {} compares methods \
            ignoring case, but HTTP methods are case-sensitive (RFC 9110 §9.1) and every \
            other server rejects it",
            self.cx.profile.name
        );
        self.payload_finding(&HTM_MISMATCH, message)
            .member(member_span(m), "wrong case")
            .severity(Severity::Warning)
    }

    fn htm_case(&self, m: &Member, claim: &str, target: &str) -> Finding {
        let message = format!(
            "`htm` is \"{claim}\" but the request method is {target}: methods are \
            case-sensitive (RFC 9110 §9.1); only Spring accepts another case"
        );
        self.payload_finding(&HTM_MISMATCH, message)
            .member(member_span(m), "wrong case")
    }

    fn ath(&self, m: &Member) -> Finding {
        self.payload_finding(
            &ATH_AT_TOKEN_ENDPOINT,
            "the proof has an `ath` (access-token hash), but a token request presents no \
            access token to bind; RFC 9449 adds ath only for resource requests",
        )
        .member(member_span(m), "not used here")
        .help(
            "make a separate proof for the token request, without ath; a proof reused from a \
            resource request also has the wrong htm/htu",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jti_strength() {
        assert_eq!(weak_jti("-BwC3ESc6acc2lTc"), None); // RFC 9449: 16 chars = 96 bits
        assert_eq!(weak_jti("e1j3V_bKic8-LAEB"), None);
        assert!(weak_jti("12345").is_some());
        assert!(weak_jti("deadbeefdeadbeef").is_some()); // 64 bits of hex
        assert_eq!(weak_jti("0b4e5d1c-8f5a-4c3b-9d2e-1a2b3c4d5e6f"), None);
        assert!(weak_jti("0b4e5d1c-8f5a-1c3b-9d2e-1a2b3c4d5e6f").is_some());
        assert!(weak_jti("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").is_some());
    }
}
