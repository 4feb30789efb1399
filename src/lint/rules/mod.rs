//! The rules, one folder per area, mirroring `rules/<area>/`: the code of
//! rule `dpop/htu-mismatch` is in `src/lint/rules/dpop/`, its docs in
//! `rules/dpop/htu-mismatch.md`. Each concern file declares its rules with
//! `declare_rules!` beside the checks that raise them; each area's `mod.rs`
//! lists those files' rules and has one `check` that runs them all.

use super::sink::Suppressed;
use super::{Context, Finding, Limits, Replay, RuleMeta, Sink};
use crate::request::{Loaded, TokenRequest};
use crate::span::Span;

pub mod attestation;
pub mod cert;
pub mod client_auth;
pub mod dpop;
pub mod grant;
pub mod input;
pub mod jwt;
pub mod options;
pub mod params;
pub mod pkce;

/// A rule area: the part of a rule id before the `/`, and the folder that
/// holds the area's code (`src/lint/rules/<module>/`) and docs
/// (`rules/<id>/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Input,
    Params,
    Grant,
    Pkce,
    ClientAuth,
    Dpop,
    Cert,
    Attestation,
    Jwt,
    Options,
    /// Not a lint area: what Authlete's answer means (`check --response`),
    /// related to the findings of the request that got it.
    Authlete,
    /// Not a lint area: what a token endpoint's OAuth error answer means
    /// (`check --response`, a HAR entry's response), related likewise.
    Response,
}

impl Area {
    /// The id prefix: `client-auth` in `client-auth/basic-malformed`.
    pub fn id(self) -> &'static str {
        match self {
            Area::Input => "input",
            Area::Params => "params",
            Area::Grant => "grant",
            Area::Pkce => "pkce",
            Area::ClientAuth => "client-auth",
            Area::Dpop => "dpop",
            Area::Cert => "cert",
            Area::Attestation => "attestation",
            Area::Jwt => "jwt",
            Area::Options => "options",
            Area::Authlete => "authlete",
            Area::Response => "response",
        }
    }

    /// The Rust module under `src/lint/rules/` that holds the area's code.
    pub fn module(self) -> &'static str {
        match self {
            Area::ClientAuth => "client_auth",
            other => other.id(),
        }
    }
}

/// One area of rules: its rules (one list per concern file), the check
/// that runs them, and the hooks by which it takes part in the engine's
/// other stages.
pub struct AreaRules {
    pub area: Area,
    pub rules: &'static [&'static [&'static RuleMeta]],
    pub check: fn(&Context, &mut Sink),
    pub hooks: Hooks,
}

/// The stages of a run besides [`AreaRules::check`] where an area may add
/// findings. Each is optional: most areas only check a request.
#[derive(Clone, Copy)]
pub struct Hooks {
    /// Findings about the input as loaded (syntax, field types), raised even
    /// when the input is unreadable and nothing else runs.
    pub load: Option<fn(&Loaded, &mut Sink)>,
    /// The size limits: reports values over a limit and leaves them out of
    /// the request every rule then sees. One area owns them: only the first
    /// area's hook runs.
    pub limit: Option<fn(&Loaded, &Limits, &mut Sink) -> Trimmed>,
    /// The finding for a DPoP proof whose `jti` an earlier input of the run
    /// already used (see [`CrossCheck`](crate::lint::CrossCheck)).
    pub replay: Option<fn(&Replay) -> Finding>,
    /// The finding for an input configured to fail (`expect-errors`) that
    /// raises no error (see [`apply_expectation`](crate::lint::apply_expectation)).
    pub unmet_expectation: Option<UnmetExpectation>,
    /// The closing finding of an input whose findings reached a cap
    /// (see [`Sink`]).
    pub suppressed: Option<SuppressedHook>,
}

impl Hooks {
    /// An area that only checks requests.
    pub const NONE: Hooks = Hooks {
        load: None,
        limit: None,
        replay: None,
        unmet_expectation: None,
        suppressed: None,
    };

    pub const fn with_load(self, load: fn(&Loaded, &mut Sink)) -> Hooks {
        Hooks {
            load: Some(load),
            ..self
        }
    }

    pub const fn with_limit(self, limit: fn(&Loaded, &Limits, &mut Sink) -> Trimmed) -> Hooks {
        Hooks {
            limit: Some(limit),
            ..self
        }
    }

    pub const fn with_replay(self, replay: fn(&Replay) -> Finding) -> Hooks {
        Hooks {
            replay: Some(replay),
            ..self
        }
    }

    pub const fn with_unmet_expectation(self, unmet: UnmetExpectation) -> Hooks {
        Hooks {
            unmet_expectation: Some(unmet),
            ..self
        }
    }

    pub const fn with_suppressed(self, suppressed: SuppressedHook) -> Hooks {
        Hooks {
            suppressed: Some(suppressed),
            ..self
        }
    }
}

/// What the size limits leave for the rules.
#[derive(Debug, Default)]
pub struct Trimmed {
    /// The request without the oversized values; `None` when nothing was
    /// over a limit.
    pub request: Option<TokenRequest>,
    /// Spans of secrets that no rule will see (they sat in a dropped
    /// value), to mask all the same.
    pub secrets: Vec<Span>,
}

/// The `expect-errors` hook: the rule of its finding (so a second run can
/// take the finding back) and the finding.
#[derive(Clone, Copy)]
pub struct UnmetExpectation {
    pub rule: &'static RuleMeta,
    pub finding: fn() -> Finding,
}

/// The findings-cap hook: the rule of the closing finding (so `--profile
/// all` can merge them per capped rule) and the finding.
#[derive(Clone, Copy)]
pub struct SuppressedHook {
    pub rule: &'static RuleMeta,
    pub finding: fn(&Suppressed) -> Finding,
}

/// Every area's hooks, in report order.
pub(crate) fn hooks() -> impl Iterator<Item = &'static Hooks> {
    AREAS.iter().map(|a| &a.hooks)
}

/// Every area, in report order.
pub static AREAS: &[&AreaRules] = &[
    &input::AREA,
    &params::AREA,
    &grant::AREA,
    &pkce::AREA,
    &client_auth::AREA,
    &dpop::AREA,
    &cert::AREA,
    &attestation::AREA,
    &jwt::AREA,
    &options::AREA,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout mirrors the ids: a rule `<area>/<name>` is declared in
    /// `src/lint/rules/<area>/` and listed by that area.
    #[test]
    fn every_rule_lives_in_the_folder_of_its_area() {
        for a in AREAS {
            for r in a.rules.iter().flat_map(|rs| rs.iter()) {
                assert_eq!(
                    r.area, a.area,
                    "{} is listed by the {:?} area",
                    r.id, a.area
                );
                assert_eq!(r.id.split('/').next(), Some(a.area.id()), "{}", r.id);
                let folder = format!("tokenlint::lint::rules::{}", a.area.module());
                assert!(
                    r.module == folder || r.module.starts_with(&format!("{folder}::")),
                    "{} is declared in {}, not under {folder}",
                    r.id,
                    r.module
                );
            }
        }
    }

    /// Limits trim one request; two owners would each trim their own copy.
    #[test]
    fn one_area_owns_the_limits() {
        assert_eq!(hooks().filter(|h| h.limit.is_some()).count(), 1);
    }

    #[test]
    fn every_area_is_listed_once() {
        let mut seen: Vec<Area> = AREAS.iter().map(|a| a.area).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), AREAS.len());
    }
}
