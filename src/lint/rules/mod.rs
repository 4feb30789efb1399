//! The rules, one folder per area, mirroring `rules/<area>/`: the code of
//! rule `dpop/htu-mismatch` is in `src/lint/rules/dpop/`, its docs in
//! `rules/dpop/htu-mismatch.md`. Each concern file declares its rules with
//! `declare_rules!` beside the checks that raise them; each area's `mod.rs`
//! lists those files' rules and has one `check` that runs them all.

use super::{Context, RuleMeta, Sink};

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

/// One area of rules: its rules (one list per concern file) and the check
/// that runs them.
pub struct AreaRules {
    pub area: Area,
    pub rules: &'static [&'static [&'static RuleMeta]],
    pub check: fn(&Context, &mut Sink),
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

    #[test]
    fn every_area_is_listed_once() {
        let mut seen: Vec<Area> = AREAS.iter().map(|a| a.area).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), AREAS.len());
    }
}
