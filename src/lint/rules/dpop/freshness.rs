//! Freshness: when the proof was made (`iat`, `exp`) and whether it
//! carries the server's `nonce` (RFC 9449 §8, §11.1).

use super::Checker;
use crate::clock::format_rfc3339;
use crate::json::{Member, Node};
use crate::lint::profile::NoncePolicy;
use crate::lint::rules::jwt::millis_note;
use crate::lint::view::dpop::member_span;
use crate::lint::{Finding, Severity, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Dpop;
    IAT_OUT_OF_WINDOW = "dpop/iat-out-of-window", Error, "RFC 9449 §4.3 (11), §11.1",
        "`iat` is outside the server's acceptance window around now";
    IAT_FRACTIONAL = "dpop/iat-fractional", Warning, "RFC 7519 §2 (NumericDate)",
        "`iat` has a fractional part";
    EXPIRED = "dpop/expired", Error, "RFC 7519 §4.1.4, §4.1.5",
        "The proof's `exp` is not after now, its `nbf` is after now, or either is not a number";
    NONCE_MISSING = "dpop/nonce-missing", Warning, "RFC 9449 §4.2, §8, §11.3",
        "`dpopNonceRequired` is true but the proof has no `nonce`";
    NONCE_SYNTAX = "dpop/nonce-syntax", Error, "RFC 9449 §8.1",
        "`nonce` is not a string of 1*NQCHAR";
    NONCE_UNEXPECTED = "dpop/nonce-unexpected", Warning, "RFC 9449 §8",
        "The proof carries a `nonce` that the request does not ask for";
}

/// How far `iat` is outside the window: seconds off now, and the limit
/// on that side.
struct Skew {
    off: i64,
    limit: i64,
    future: bool,
}

impl Checker<'_, '_> {
    pub(super) fn iat(&self, m: &Member, sink: &mut Sink) {
        let Node::Number(raw) = &m.value.node else {
            return;
        };
        let Some(iat) = m.value.as_f64() else { return };
        if raw.contains(['.', 'e', 'E']) && iat.fract() != 0.0 {
            sink.push(self.iat_fractional(m, raw));
        }
        if self.cx.profile.iat_skipped_with_nonce && self.view.claim("nonce").is_some() {
            return; // the server relies on its nonce for freshness
        }
        if let Some(skew) = self.skew(iat) {
            sink.push(self.iat_out_of_window(m, iat.floor() as i64, &skew));
        }
    }

    /// Where `iat` lies outside the window around now, if it does. The
    /// comparison is in real seconds, as servers make it (`|now - iat| <=
    /// 300` in node-oidc-provider): `now + 300.5` is out, like `now - 300.5`.
    fn skew(&self, iat: f64) -> Option<Skew> {
        let (past, future) = self.cx.iat_window();
        // Far-off values must not overflow: clamp to ±100 years.
        let age = (self.cx.settings.now as f64 - iat).clamp(-3_155_760_000.0, 3_155_760_000.0);
        if age > past as f64 {
            Some(Skew {
                off: age.ceil() as i64,
                limit: past,
                future: false,
            })
        } else if -age > future as f64 {
            Some(Skew {
                off: (-age).ceil() as i64,
                limit: future,
                future: true,
            })
        } else {
            None
        }
    }

    /// `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5): numbers, with now before
    /// `exp` and not before `nbf`; no leeway, as jose checks them.
    pub(super) fn exp(&self, sink: &mut Sink) {
        let now = self.cx.settings.now as f64;
        if let Some(m) = self.view.claim("exp") {
            match m.value.as_f64() {
                None => sink.push(self.time_not_a_number(m, "exp")),
                Some(exp) if exp <= now => sink.push(self.expired(m, exp)),
                Some(_) => {}
            }
        }
        if let Some(m) = self.view.claim("nbf") {
            match m.value.as_f64() {
                None => sink.push(self.time_not_a_number(m, "nbf")),
                Some(nbf) if nbf > now => sink.push(self.not_yet_valid(m, nbf)),
                Some(_) => {}
            }
        }
    }

    pub(super) fn nonce(&self, sink: &mut Sink) {
        let required = self.cx.dpop_nonce_required();
        let Some(m) = self.view.claim("nonce") else {
            if let Some((true, at)) = required {
                sink.push(self.nonce_missing(at));
            }
            return;
        };
        match m.value.as_str() {
            Some(t) if !t.value.is_empty() && t.value.chars().all(is_nqchar) => {}
            Some(t) => sink.push(self.nonce_not_nqchar(m, &t.value)),
            None => sink.push(self.nonce_not_a_string(m)),
        }
        let required = required.map(|(r, _)| r);
        // Not known whether the server uses nonces: a nonce may be its own.
        let severity = match (self.cx.profile.nonce_unrequested, required) {
            (_, Some(true)) => return,
            (NoncePolicy::Reject, Some(false)) => Severity::Error,
            (NoncePolicy::Reject, None) | (NoncePolicy::Ignore, Some(false)) => Severity::Warning,
            (NoncePolicy::Ignore, None) => return,
        };
        sink.push(
            self.nonce_unexpected(m, required == Some(false))
                .severity(severity),
        );
    }
}

/// RFC 9449 §8.1: `NQCHAR = %x21 / %x23-5B / %x5D-7E`.
fn is_nqchar(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

/// A number of seconds, in the largest unit that reads well.
fn duration(s: i64) -> String {
    let s = s.abs();
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min {} s ({s} s)", s / 60, s % 60)
    } else if s < 172_800 {
        format!("{} h {} min ({s} s)", s / 3600, s % 3600 / 60)
    } else {
        format!("{} days ({s} s)", s / 86400)
    }
}

// The findings.

impl Checker<'_, '_> {
    fn iat_fractional(&self, m: &Member, raw: &str) -> Finding {
        let message = format!(
            "`iat` is {raw}, with a fractional part: NumericDate allows it, but Keycloak reads \
            iat as an integer and many libraries do too (josekit's set_issued_at writes \
            fractions)"
        );
        self.payload_finding(&IAT_FRACTIONAL, message)
            .member(member_span(m), "fractional")
            .help("write whole seconds: iat = floor(now)")
    }

    fn iat_out_of_window(&self, m: &Member, iat: i64, skew: &Skew) -> Finding {
        let (name, limit) = (&self.cx.profile.name, skew.limit);
        let what = if skew.future {
            format!(
                "{} in the future; {name} accepts at most {limit} s of clock lead",
                duration(skew.off)
            )
        } else {
            format!(
                "{} in the past; {name} accepts proofs at most {limit} s old",
                duration(skew.off)
            )
        };
        let now = self.cx.settings.now;
        let message = format!(
            "`iat` {iat} ({}) is {what}: {} outside the window (now is {}){}",
            format_rfc3339(iat),
            duration(skew.off - skew.limit),
            format_rfc3339(now),
            millis_note("iat", iat, now)
        );
        self.payload_finding(&IAT_OUT_OF_WINDOW, message)
            .member(member_span(m), "outside the window")
            .help(
                "make a fresh proof right before each request; if the client's clock is off, \
                fix its time sync (or derive the offset from the server's Date header). \
                For saved fixtures, pin the clock with --now",
            )
    }

    fn expired(&self, m: &Member, exp: f64) -> Finding {
        let now = self.cx.settings.now;
        let at = exp.floor() as i64;
        let when = if exp == now as f64 {
            "now: a proof is valid only before its exp".to_owned()
        } else {
            format!("{} before now", duration(now.saturating_sub(at).max(1)))
        };
        let message = format!(
            "the proof expired at {} ({when}, {})",
            format_rfc3339(at),
            format_rfc3339(now)
        );
        self.payload_finding(&EXPIRED, message)
            .member(member_span(m), "not in the future")
            .help(
                "make a fresh proof for each request; exp is optional in a DPoP proof, \
                and when present it must be in the future",
            )
    }

    fn not_yet_valid(&self, m: &Member, nbf: f64) -> Finding {
        let now = self.cx.settings.now;
        let message = format!(
            "the proof is not valid before its nbf {} (now is {}): servers that check nbf \
            (node-oidc-provider's jose does, with no leeway) reject it",
            format_rfc3339(nbf.ceil() as i64),
            format_rfc3339(now)
        );
        self.payload_finding(&EXPIRED, message)
            .member(member_span(m), "in the future")
            .help("leave nbf out of a DPoP proof, or set it no later than iat")
    }

    fn time_not_a_number(&self, m: &Member, name: &str) -> Finding {
        let message = format!(
            "`{name}` is {}, not a NumericDate (a JSON number of seconds): a JWT library \
            rejects the proof",
            m.value.kind()
        );
        self.payload_finding(&EXPIRED, message)
            .member(member_span(m), "not a number")
            .help(format!(
                "write {name} as a number of seconds since the epoch, or leave it out"
            ))
    }

    /// `required_at`: where the request sets `dpopNonceRequired` (none when
    /// the configuration says the server requires nonces).
    fn nonce_missing(&self, required_at: Option<Span>) -> Finding {
        let who = match required_at {
            Some(_) => "the request sets dpopNonceRequired",
            None => "the server requires DPoP nonces (dpop-nonce-required)",
        };
        let f = self
            .payload_finding(
                &NONCE_MISSING,
                format!(
                    "{who}, but the proof has no `nonce`: the server will answer \
                    use_dpop_nonce with a fresh DPoP-Nonce to retry with, the usual first round \
                    trip (RFC 9449 §8), not a rejection of the client"
                ),
            )
            .object("here");
        let f = match required_at {
            Some(at) => f.label(at, "nonce required here"),
            None => f,
        };
        f.help(
            "retry with the nonce from the server's DPoP-Nonce response header in the \
            proof's `nonce` claim (and a fresh jti and iat); `token process --send` shows it. \
            Browsers need the header exposed through CORS",
        )
    }

    fn nonce_not_nqchar(&self, m: &Member, nonce: &str) -> Finding {
        let message = if nonce.is_empty() {
            "`nonce` is empty; RFC 9449 §8.1 requires 1*NQCHAR".to_owned()
        } else {
            let bad: Vec<String> = nonce
                .chars()
                .filter(|c| !is_nqchar(*c))
                .take(4)
                .map(|c| format!("{c:?}"))
                .collect();
            format!(
                "`nonce` contains {}, outside NQCHAR (%x21 / %x23-5B / %x5D-7E: visible ASCII \
                except `\"` and `\\`)",
                bad.join(", ")
            )
        };
        self.payload_finding(&NONCE_SYNTAX, message)
            .member(member_span(m), "not 1*NQCHAR")
            .help("copy the server's DPoP-Nonce header value unchanged into `nonce`")
    }

    fn nonce_not_a_string(&self, m: &Member) -> Finding {
        let message = format!("`nonce` is {}, not a string", m.value.kind());
        self.payload_finding(&NONCE_SYNTAX, message)
            .member(member_span(m), "not a string")
            .help("copy the server's DPoP-Nonce header value, as a string, into `nonce`")
    }

    /// `said_no`: the request says `dpopNonceRequired: false` (rather than
    /// nothing).
    fn nonce_unexpected(&self, m: &Member, said_no: bool) -> Finding {
        let p = self.cx.profile;
        let why = match p.nonce_unrequested {
            NoncePolicy::Reject if !said_no => format!(
                "{} rejects a nonce when it issues none; say whether this server uses nonces \
                with --dpop-nonce-required[=false] (dpop-nonce-required in tokenlint.toml)",
                p.name
            ),
            NoncePolicy::Reject => format!("{} rejects a nonce it did not issue", p.name),
            NoncePolicy::Ignore => format!(
                "{} ignores it, but Nimbus rejects it as a prohibited claim and \
                node-oidc-provider without nonce support answers 'DPoP nonces are not \
                supported'",
                p.name
            ),
        };
        let asked = if said_no {
            "the server does not ask for one (dpopNonceRequired: false)"
        } else {
            "the request does not ask for one (dpopNonceRequired)"
        };
        self.payload_finding(
            &NONCE_UNEXPECTED,
            format!("the proof carries a `nonce` but {asked}: {why}"),
        )
        .member(member_span(m), "unrequested nonce")
        .help(
            "send a nonce only after the server gave one in a DPoP-Nonce header; or, when the \
            server does require nonces, set dpopNonceRequired",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nqchar() {
        assert!("abc-._~!#$".chars().all(is_nqchar));
        assert!(!is_nqchar('"') && !is_nqchar('\\') && !is_nqchar(' '));
    }
}
