//! OAuth error answers as data (`rules/authlete/errors.toml`): for each
//! `error` code, the rules whose findings cause it, most likely first, and
//! what offline checks cannot see; and the `error_description` texts servers
//! are known to send, each narrowing the list.

use std::sync::OnceLock;

use serde::Deserialize;

/// One `error` code of a token endpoint's answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthError {
    pub error: String,
    pub spec: String,
    pub meaning: String,
    /// The rules whose findings cause it, most likely first.
    pub rules: Vec<String>,
    /// What offline checks cannot see (server state).
    pub unseen: String,
}

/// An `error_description` a server is known to send.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// Who sends it: `keycloak`, `node-oidc-provider`.
    pub server: String,
    /// The text, matched case-insensitively as a part of the description.
    pub text: String,
    /// The `error` it comes with.
    pub error: String,
    /// The rules that fit the text, most likely first; with
    /// `same_as_error`, the error's own list applies.
    pub rules: Vec<String>,
    #[serde(default)]
    pub unseen: Option<String>,
    /// A generic text (the server's default for the error): it narrows
    /// nothing.
    #[serde(default, rename = "same-as-error")]
    pub same_as_error: bool,
}

#[derive(Deserialize)]
struct Table {
    error: Vec<OAuthError>,
    description: Vec<Description>,
}

const TOML: &str = include_str!("../../rules/authlete/errors.toml");

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str::<Table>(TOML).unwrap_or(Table {
            error: Vec::new(),
            description: Vec::new(),
        })
    })
}

/// Every error code of the table.
pub fn errors() -> &'static [OAuthError] {
    &table().error
}

/// Every known `error_description`.
pub fn descriptions() -> &'static [Description] {
    &table().description
}

/// The error named `name`, in any case (`INVALID_GRANT`, `invalid_grant`).
pub fn find_error(name: &str) -> Option<&'static OAuthError> {
    let name = name.trim();
    errors().iter().find(|e| e.error.eq_ignore_ascii_case(name))
}

/// The known description that `text` contains, the longest when several do
/// (Keycloak's "PKCE verification failed: Invalid code verifier" over
/// node-oidc-provider's "PKCE verification failed").
pub fn match_description(text: &str) -> Option<&'static Description> {
    let lower = text.to_lowercase();
    descriptions()
        .iter()
        .filter(|d| lower.contains(&d.text.to_lowercase()))
        .max_by_key(|d| d.text.len())
}

/// The descriptions that come with `error`.
pub fn descriptions_of(error: &str) -> impl Iterator<Item = &'static Description> + '_ {
    descriptions()
        .iter()
        .filter(move |d| d.error.eq_ignore_ascii_case(error))
}

impl Description {
    /// The rules this text points at: its own, or its error's when it is
    /// the error's generic text.
    pub fn rules(&'static self) -> &'static [String] {
        match (self.same_as_error, find_error(&self.error)) {
            (true, Some(e)) => &e.rules,
            _ => &self.rules,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_names_real_rules_once() {
        assert!(errors().len() >= 8, "errors.toml did not parse");
        assert!(descriptions().len() >= 20);
        for e in errors() {
            let mut seen = std::collections::HashSet::new();
            for r in &e.rules {
                assert!(
                    crate::lint::find_rule(r).is_some(),
                    "{}: no rule {r}",
                    e.error
                );
                assert!(seen.insert(r), "{}: {r} twice", e.error);
            }
        }
        for d in descriptions() {
            assert!(
                find_error(&d.error).is_some(),
                "{}: no error {}",
                d.text,
                d.error
            );
            for r in &d.rules {
                assert!(
                    crate::lint::find_rule(r).is_some(),
                    "{}: no rule {r}",
                    d.text
                );
            }
            assert!(
                d.same_as_error || !d.rules.is_empty() || d.unseen.is_some(),
                "{}: neither rules nor what cannot be seen",
                d.text
            );
        }
    }

    #[test]
    fn errors_and_descriptions_are_found_in_any_case() {
        assert_eq!(
            find_error("INVALID_DPOP_PROOF").unwrap().error,
            "invalid_dpop_proof"
        );
        assert!(find_error("no_such_error").is_none());
        let d = match_description("PKCE verification failed: Invalid code verifier").unwrap();
        assert_eq!(d.server, "keycloak");
        let d = match_description("Invalid or missing type in DPoP header: JWT").unwrap();
        assert_eq!(d.rules[0], "dpop/typ");
        assert_eq!(
            match_description("pkce verification failed")
                .unwrap()
                .server,
            "node-oidc-provider"
        );
        assert!(match_description("something else").is_none());
    }
}
