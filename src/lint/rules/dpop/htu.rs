//! The `htu` claim: an absolute http(s) URI without query or fragment,
//! compared with the request's target URI as the profile's server does.

use super::Checker;
use crate::json::Member;
use crate::lint::profile::QueryPolicy;
use crate::lint::view::dpop::member_span;
use crate::lint::view::htu::{self, Comparison, HtuCompare, HtuParts};
use crate::lint::{Finding, Severity, Sink};
use crate::span::{Span, Text};

crate::lint::declare_rules! {
    area: Dpop;
    HTU_INVALID = "dpop/htu-invalid", Error, "RFC 9449 §4.2; RFC 9110 §7.1",
        "`htu` is not an absolute http(s) URI";
    HTU_QUERY = "dpop/htu-query", Error, "RFC 9449 §4.2",
        "`htu` has a query or fragment";
    HTU_MISMATCH = "dpop/htu-mismatch", Error, "RFC 9449 §4.3 (9); RFC 3986 §6.2.2, §6.2.3",
        "`htu` is not the URI of the token endpoint";
    HTU_NOT_NORMALIZED = "dpop/htu-not-normalized", Warning,
        "RFC 9449 §4.3; RFC 3986 §6.2.2, §6.2.3",
        "`htu` equals the token endpoint only after URI normalization";
    HTU_UNKNOWN_TARGET = "dpop/htu-unknown-target", Warning,
        "RFC 9449 §4.3 (9); Authlete API: TokenRequest.htu",
        "No target URI is known to compare `htu` with";
}

/// The URI `htu` is compared with, and where it comes from.
struct Target<'t> {
    uri: &'t str,
    /// Its place in the source, when the request gives it.
    at: Option<Span>,
    /// Where it comes from, in words.
    from: &'static str,
}

impl Checker<'_, '_> {
    pub(super) fn htu(&self, m: &Member, sink: &mut Sink) {
        let Some(t) = m.value.as_str() else { return };
        let claim = t.value.as_str();
        let mode = self.cx.profile.htu;
        let parts = match htu::parse(claim) {
            Ok(p) => p,
            // A server that parses as browsers do accepts more forms.
            Err(why) => match htu::whatwg_parts(claim).filter(|_| mode == HtuCompare::Whatwg) {
                Some(p) => p,
                None => return sink.push(self.htu_invalid(m, claim, &why)),
            },
        };
        if let Some(f) = self.htu_query(t, &parts) {
            sink.push(f);
        }
        let Some(target) = self.htu_target() else {
            return sink.push(self.htu_unknown_target(m, claim));
        };
        match htu::compare(claim, target.uri, mode, true) {
            Comparison::Equal => {}
            Comparison::EqualAfterNormalization { .. } => {
                sink.push(self.htu_not_normalized(m, claim, &target));
            }
            Comparison::Differs { hint } => {
                sink.push(self.htu_mismatch(m, claim, &target, &hint));
            }
        }
    }

    /// The query and fragment of `htu`, if it has either.
    fn htu_query(&self, claim: &Text, parts: &HtuParts) -> Option<Finding> {
        let r = parts.query.clone().or(parts.fragment.clone())?;
        let end = parts.fragment.as_ref().map_or(r.end, |f| f.end);
        let what = if parts.query.is_some() {
            "a query"
        } else {
            "a fragment"
        };
        let at = claim.sub_span(r.start..end);
        Some(self.htu_has_query(&claim.value, r.start..end, at, what))
    }

    /// The request's `htu`, else the configured token endpoint.
    fn htu_target(&self) -> Option<Target<'_>> {
        match &self.cx.req.htu {
            Some(h) if !h.value.is_empty() => Some(Target {
                uri: &h.value,
                at: Some(h.span),
                from: "the request's htu",
            }),
            _ => self.cx.settings.token_endpoint.as_ref().map(|ep| Target {
                uri: ep,
                at: None,
                from: "the token endpoint (tokenlint.toml token-endpoint)",
            }),
        }
    }
}

// The findings.

/// Shows the target URI beside the claim, when the request gives it.
fn with_target(f: Finding, target: &Target) -> Finding {
    match target.at {
        Some(s) => f.label(s, "the request's URI"),
        None => f,
    }
}

impl Checker<'_, '_> {
    fn htu_invalid(&self, m: &Member, claim: &str, why: &str) -> Finding {
        let message = format!("`htu` \"{claim}\" is not an absolute http(s) URI: {why}");
        self.payload_finding(&HTU_INVALID, message)
            .member(member_span(m), "not an absolute URI")
            .help(
                "htu is the full URL the request is sent to, e.g. \
                https://as.example.com/token, without query and fragment",
            )
    }

    /// `range`: the query and fragment in `claim`; `at`: the same in the
    /// decoded payload.
    fn htu_has_query(
        &self,
        claim: &str,
        range: std::ops::Range<usize>,
        at: Span,
        what: &str,
    ) -> Finding {
        let p = self.cx.profile;
        let (severity, servers) = match p.htu_query {
            QueryPolicy::Reject => (
                Severity::Error,
                format!(
                    "{} rejects it; node-oidc-provider and Keycloak strip it, Nimbus and \
                    Spring compare the whole string and reject it",
                    p.name
                ),
            ),
            QueryPolicy::Ignore => (
                Severity::Warning,
                format!(
                    "{} strips it before comparing, but Nimbus and Spring compare the whole \
                    string and reject it",
                    p.name
                ),
            ),
        };
        let message = format!(
            "`htu` has {what} (`{}`): RFC 9449 §4.2 says htu is the target URI without query \
            and fragment; {servers}",
            &claim[range]
        );
        self.payload_finding(&HTU_QUERY, message)
            .member(at, "remove this")
            .severity(severity)
            .help(format!("use `{}` as htu", htu::strip_query(claim)))
    }

    fn htu_unknown_target(&self, m: &Member, claim: &str) -> Finding {
        let message = format!(
            "no target URI is known, so `htu` \"{claim}\" was not compared: Authlete compares \
            it with the request's htu or, when absent, the service's tokenEndpoint"
        );
        self.payload_finding(&HTU_UNKNOWN_TARGET, message)
            .member(member_span(m), "not compared")
            .help(
                "give the URL the client called: `htu` in the fixture (--htu), or \
                token-endpoint = \"https://…/token\" in tokenlint.toml",
            )
    }

    fn htu_not_normalized(&self, m: &Member, claim: &str, target: &Target) -> Finding {
        let p = self.cx.profile;
        let who = match p.htu {
            HtuCompare::Normalized => format!(
                "{} normalizes both (RFC 3986 §6.2.2/§6.2.3) and accepts it",
                p.name
            ),
            HtuCompare::JavaUri => format!(
                "{} (java.net.URI.equals) ignores the case of scheme, host and %-escapes",
                p.name
            ),
            HtuCompare::Whatwg => format!(
                "{} parses both as the WHATWG URL Standard does and accepts it",
                p.name
            ),
            HtuCompare::Exact => String::new(),
        };
        let message = format!(
            "`htu` \"{}\" equals {} `{}` only after normalization: {who}, but Nimbus and \
            Spring compare strings exactly",
            htu::strip_query(claim),
            target.from,
            target.uri
        );
        let normal = htu::normalize(target.uri).unwrap_or(target.uri.to_owned());
        let f = self
            .payload_finding(&HTU_NOT_NORMALIZED, message)
            .member(member_span(m), "not in normal form");
        with_target(f, target).help(format!("write htu exactly as `{normal}`"))
    }

    fn htu_mismatch(&self, m: &Member, claim: &str, target: &Target, hint: &str) -> Finding {
        let message = format!(
            "`htu` \"{}\" does not match {} `{}`: {hint}",
            htu::strip_query(claim),
            target.from,
            target.uri
        );
        let f = self
            .payload_finding(&HTU_MISMATCH, message)
            .member(member_span(m), "not the token endpoint");
        with_target(f, target).help(
            "htu must be the URL the server sees the request at. Behind a proxy, configure the \
            public URL (Authlete: the service's tokenEndpoint, or pass htu); in the client, \
            build htu from the endpoint URL in the server's metadata",
        )
    }
}
