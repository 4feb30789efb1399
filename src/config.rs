//! `tokenlint.toml`: rule severities, the clock and the token endpoint.
//! Found from the current folder upward (stopping at the repository root),
//! or named with `--config`; `--no-config` skips it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::clock;
use crate::lint::{self, Settings, Severity};

pub const FILE_NAMES: &[&str] = &[".tokenlint.toml", "tokenlint.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Pinned clock: Unix seconds or RFC 3339.
    pub now: Option<toml::Value>,
    /// The token endpoint URL, for DPoP `htu` checks when a request has no `htu`.
    pub token_endpoint: Option<String>,
    /// The authorization server's issuer identifier (RFC 8414), the audience of
    /// client assertions and attestation PoPs.
    pub issuer: Option<String>,
    /// The DPoP profile (`rules/dpop/profiles.toml`), or `all`.
    pub profile: Option<String>,
    /// `"<rule id>" = "error" | "warning" | "info" | "off"`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The nearest config file from `start` upward; the search stops at the
/// folder that holds `.git` (the repository root).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

impl Config {
    /// Applies this configuration to `settings`; flags applied afterwards win.
    pub fn apply(&self, settings: &mut Settings, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        };
        if let Some(now) = &self.now {
            settings.now = match now {
                toml::Value::Integer(n) => *n,
                toml::Value::String(s) => {
                    clock::parse_now(s).map_err(|e| invalid(format!("now: {e}")))?
                }
                toml::Value::Datetime(d) => {
                    clock::parse_now(&d.to_string()).map_err(|e| invalid(format!("now: {e}")))?
                }
                other => {
                    return Err(invalid(format!(
                        "now: expected Unix seconds or an RFC 3339 string, found {}",
                        other.type_str()
                    )))
                }
            };
        }
        if let Some(ep) = &self.token_endpoint {
            settings.token_endpoint = Some(ep.clone());
        }
        if let Some(iss) = &self.issuer {
            settings.issuer = Some(iss.clone());
        }
        if let Some(p) = &self.profile {
            lint::profile::validate(p).map_err(|e| invalid(format!("profile: {e}")))?;
            settings.profile = Some(p.clone());
        }
        for (id, level) in &self.rules {
            if lint::find_rule(id).is_none() {
                return Err(invalid(format!(
                    "rules: unknown rule `{id}` (see `tokenlint rules`)"
                )));
            }
            let sev = match level.as_str() {
                "off" => None,
                l => Some(Severity::parse(l).ok_or_else(|| {
                    invalid(format!(
                        "rules.\"{id}\": `{l}` is not one of error, warning, info, off"
                    ))
                })?),
            };
            settings.severities.insert(id.clone(), sev);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_severities_and_clock() {
        let c = parse(
            "now = \"2026-01-01T00:00:00Z\"\n[rules]\n\"pkce/verifier-length\" = \"warning\"\n\"input/duplicate-field\" = \"off\"\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let mut s = Settings::default();
        c.apply(&mut s, Path::new("t.toml")).unwrap();
        assert_eq!(s.now, 1_767_225_600);
        assert_eq!(
            s.severities["pkce/verifier-length"],
            Some(Severity::Warning)
        );
        assert_eq!(s.severities["input/duplicate-field"], None);
    }

    #[test]
    fn rejects_unknown_keys_and_rules() {
        assert!(parse("colour = 1", Path::new("t")).is_err());
        let c = parse("[rules]\n\"nope/x\" = \"off\"", Path::new("t")).unwrap();
        assert!(c.apply(&mut Settings::default(), Path::new("t")).is_err());
    }
}
