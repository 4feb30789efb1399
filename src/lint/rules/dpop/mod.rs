//! `dpop/`: the DPoP proof (`dpop`, with `htm`, `htu`, `dpopNonceRequired`)
//! of RFC 9449, checked as RFC 9449 §4.3 lists and as the profile's server
//! does it. Every finding points at the header or payload segment of the
//! compact proof and shows the decoded JSON with the member underlined.
//!
//! One file per concern, each declaring its rules beside its checks and the
//! prose of its findings: `compact` (one JWS, base64url, each name once),
//! `header` (`typ`, `alg`, `crit`, key references), `key` (`jwk` and the
//! signature), `claims` (the required ones, `jti`, `htm`, `ath`), `htu`,
//! `freshness` (`iat`, `exp`, `nonce`) and `binding` (DPoP with mTLS).

mod binding;
mod claims;
mod compact;
mod freshness;
mod header;
mod htu;
mod key;
mod replay;

use crate::lint::view::dpop::{DpopView, Part};
use crate::lint::{Context, Finding, RuleMeta, Sink};
use crate::span::Span;

// Named outside the area: the engine raises `dpop/replay` across the
// requests of a run, and the benches time the signature check.
pub use claims::REPLAY;
pub use key::SIGNATURE;

/// The `Dpop` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE.with_replay(replay::replay_finding),
    area: crate::lint::Area::Dpop,
    rules: &[
        compact::RULES,
        header::RULES,
        key::RULES,
        claims::RULES,
        htu::RULES,
        freshness::RULES,
        binding::RULES,
    ],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    // Before the proof: a head too large is refused even when the proof is
    // over tokenlint's own size limit and was not read.
    compact::header_size(cx, sink);
    if let Some(view) = &cx.dpop {
        Checker { cx, view }.run(sink);
    }
}

/// The request and its decoded proof, shared by the checks of every concern.
struct Checker<'c, 'a> {
    cx: &'c Context<'a>,
    view: &'c DpopView<'a>,
}

impl Checker<'_, '_> {
    fn run(&self, sink: &mut Sink) {
        if self.ignored_as_empty(sink) {
            return;
        }
        let jws = match &self.view.jws {
            Ok(jws) => jws,
            Err(e) => return self.not_compact(e, sink),
        };
        if let Some(e) = &jws.tolerated {
            sink.push(self.b64url_tolerated(e));
        }
        self.duplicate_members(sink);
        self.typ(sink);
        let alg = self.alg(sink);
        self.crit(sink);
        // A key that is missing, private or does not fit `alg` has been
        // reported; a signature check with it would only add noise.
        let key_ok = self.jwk(alg, sink);
        self.key_refs(sink);
        if key_ok {
            self.signature(sink);
        }
        self.claims(sink);
        self.with_mtls(sink);
    }

    /// A finding about the proof header; say what it points at next.
    fn header_finding(&self, rule: &'static RuleMeta, message: impl Into<String>) -> AtPart<'_> {
        self.finding_in(Part::Header, rule, message.into())
    }

    /// A finding about the proof payload; say what it points at next.
    fn payload_finding(&self, rule: &'static RuleMeta, message: impl Into<String>) -> AtPart<'_> {
        self.finding_in(Part::Payload, rule, message.into())
    }

    fn finding_in(&self, part: Part, rule: &'static RuleMeta, message: String) -> AtPart<'_> {
        let caption = match part {
            Part::Header => "proof header (base64url)",
            Part::Payload => "proof payload (base64url)",
        };
        AtPart {
            view: self.view,
            part,
            caption,
            finding: Finding::new(rule, message).field("dpop"),
        }
    }
}

/// A finding about the header or payload of the proof, half built: its
/// segment is underlined in the source, and what it points at (a member, or
/// the whole object) in the decoded JSON.
struct AtPart<'v> {
    view: &'v DpopView<'v>,
    part: Part,
    /// The label under the segment in the source.
    caption: &'static str,
    finding: Finding,
}

impl AtPart<'_> {
    /// Another label under the segment in the source.
    fn caption(self, caption: &'static str) -> Self {
        AtPart { caption, ..self }
    }

    /// Underlines one member in the decoded JSON.
    fn member(self, span: Span, label: &str) -> Finding {
        self.members(&[(span, label)])
    }

    /// Underlines the whole decoded object: no member to point at.
    fn object(self, label: &str) -> Finding {
        let whole = self.view.part(self.part).map(|p| p.value.span);
        let labels: Vec<(Span, &str)> = whole.map(|s| (s, label)).into_iter().collect();
        self.members(&labels)
    }

    /// Underlines each of these spans of the decoded JSON.
    fn members(self, labels: &[(Span, &str)]) -> Finding {
        self.finding
            .label(self.view.part_span(self.part), self.caption)
            .decoded(self.view.decoded(self.part, labels))
    }
}
