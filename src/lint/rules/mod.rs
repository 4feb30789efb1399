//! The rules, one module per area. Each module declares its rules with
//! `declare_rules!` and has one `check` that runs them all over a [`Context`].

use super::{Context, RuleMeta, Sink};

pub mod assertion;
pub mod attestation;
pub mod capture;
pub mod cert;
pub mod client_auth;
pub mod dpop;
pub mod grant;
pub mod input;
pub mod jwt;
pub mod options;
pub mod params;
pub mod pkce;

/// One area of rules: its id prefix, its rules and the check that runs them.
pub struct Area {
    pub name: &'static str,
    pub rules: &'static [&'static RuleMeta],
    pub check: fn(&Context, &mut Sink),
}

/// Every area, in report order.
pub static AREAS: &[Area] = &[
    Area {
        name: "input",
        rules: input::RULES,
        check: input::check,
    },
    Area {
        name: "capture",
        rules: capture::RULES,
        check: capture::check,
    },
    Area {
        name: "params",
        rules: params::RULES,
        check: params::check,
    },
    Area {
        name: "grant",
        rules: grant::RULES,
        check: grant::check,
    },
    Area {
        name: "pkce",
        rules: pkce::RULES,
        check: pkce::check,
    },
    Area {
        name: "client-auth",
        rules: client_auth::RULES,
        check: client_auth::check,
    },
    Area {
        name: "client-auth",
        rules: assertion::RULES,
        check: assertion::check,
    },
    Area {
        name: "dpop",
        rules: dpop::RULES,
        check: dpop::check,
    },
    Area {
        name: "cert",
        rules: cert::RULES,
        check: cert::check,
    },
    Area {
        name: "attestation",
        rules: attestation::RULES,
        check: attestation::check,
    },
    Area {
        name: "jwt",
        rules: jwt::RULES,
        check: jwt::check,
    },
    Area {
        name: "options",
        rules: options::RULES,
        check: options::check,
    },
];
