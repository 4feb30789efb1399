//! The grant table (`rules/grant/grants.toml`): for each grant type, the
//! parameters it requires, allows and lets repeat. Data, not code, so adding
//! a grant is an edit to that file.

use std::sync::OnceLock;

use serde::Deserialize;

/// How a grant needs the client to show who it is.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ClientPolicy {
    /// The client must authenticate (client_credentials, CIBA).
    Authenticate,
    /// The client must at least identify itself (`client_id` or authentication).
    Identify,
    /// Neither is required by the spec.
    Optional,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub name: String,
    /// A short name for messages: `token exchange`.
    pub title: String,
    pub spec: String,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub optional: Vec<String>,
    /// Parameters that may repeat for this grant, beyond the table-wide ones.
    #[serde(default)]
    pub repeatable: Vec<String>,
    /// Groups of parameters that must be sent together or not at all.
    #[serde(default)]
    pub together: Vec<Vec<String>>,
    pub client: ClientPolicy,
    /// Why the grant must not be used, when a spec says so.
    #[serde(default)]
    pub deprecated: Option<String>,
}

impl Grant {
    pub fn allows(&self, param: &str) -> bool {
        self.required.iter().any(|p| p == param) || self.optional.iter().any(|p| p == param)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantTable {
    /// Parameters any grant may carry (client authentication, RFC 8707, …).
    pub common: Vec<String>,
    /// Parameters that may repeat in any grant.
    pub repeatable: Vec<String>,
    #[serde(rename = "grant")]
    pub grants: Vec<Grant>,
}

impl GrantTable {
    pub fn get(&self, name: &str) -> Option<&Grant> {
        self.grants.iter().find(|g| g.name == name)
    }

    /// Whether `param` may appear more than once in a request of this grant.
    pub fn may_repeat(&self, grant: Option<&Grant>, param: &str) -> bool {
        self.repeatable.iter().any(|p| p == param)
            || grant.is_some_and(|g| g.repeatable.iter().any(|p| p == param))
    }

    /// Whether a parameter means something for this grant.
    pub fn known(&self, grant: &Grant, param: &str) -> bool {
        grant.allows(param) || self.common.iter().any(|p| p == param)
    }
}

pub const SOURCE: &str = include_str!("../../../../rules/grant/grants.toml");

/// [`SOURCE`] as JSON, made by build.rs: quicker to read at every start.
const SOURCE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/grants.json"));

pub fn table() -> &'static GrantTable {
    static TABLE: OnceLock<GrantTable> = OnceLock::new();
    // The file is part of the binary and a test parses it, so this cannot fail at run time.
    TABLE.get_or_init(|| {
        serde_json::from_str(SOURCE_JSON).expect("rules/grant/grants.toml is valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_json_says_what_the_toml_says() {
        let from_toml: GrantTable = toml::from_str(SOURCE).unwrap();
        assert_eq!(format!("{:?}", table()), format!("{from_toml:?}"));
    }

    #[test]
    fn table_parses_and_names_are_unique() {
        let t = table();
        assert!(t.grants.len() >= 8);
        for (i, g) in t.grants.iter().enumerate() {
            assert!(
                t.grants[..i].iter().all(|o| o.name != g.name),
                "{} twice",
                g.name
            );
        }
        assert!(t
            .get("authorization_code")
            .unwrap()
            .required
            .contains(&"code".to_string()));
    }
}
