//! Authlete result codes as data (`rules/authlete/result-codes.toml`): what
//! each means and which tokenlint rules catch its cause offline.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultCode {
    pub code: String,
    /// The Authlete API that returns it (`/auth/token`, `any`, …).
    pub api: String,
    /// Authlete's message (`resultMessage` / `error_description`).
    pub message: String,
    pub meaning: String,
    /// `official` (Authlete's OpenAPI or KB) or `observed` (reproduced by a third party).
    pub source: String,
    /// The OAuth `error` the client receives, when there is one.
    #[serde(default)]
    pub error: Option<String>,
    /// The HTTP status of an API-level error.
    #[serde(default)]
    pub http: Option<u16>,
    /// tokenlint rules that catch the cause offline.
    #[serde(default)]
    pub rules: Vec<String>,
}

impl ResultCode {
    pub fn category(&self) -> &'static str {
        category(&self.code)
    }
}

#[derive(Deserialize)]
struct Table {
    code: Vec<ResultCode>,
}

const TOML: &str = include_str!("../../rules/authlete/result-codes.toml");

pub fn all() -> &'static [ResultCode] {
    static CODES: OnceLock<Vec<ResultCode>> = OnceLock::new();
    CODES.get_or_init(|| {
        toml::from_str::<Table>(TOML)
            .map(|t| t.code)
            .unwrap_or_default()
    })
}

pub fn find(code: &str) -> Option<&'static ResultCode> {
    all().iter().find(|c| c.code == code)
}

/// `A` followed by six digits.
pub fn is_code(s: &str) -> bool {
    s.len() == 7 && s.starts_with('A') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The category of a code: its third digit from the right (Authlete KB
/// "Result code in Authlete").
pub fn category(code: &str) -> &'static str {
    match code.as_bytes().get(4) {
        Some(b'0') => "success",
        Some(b'1') => "Authlete error",
        Some(b'2') => "service error",
        Some(b'3') => "client error",
        Some(b'4') => "logging",
        Some(b'5') => "front-end",
        Some(b'6') => "user operation",
        Some(b'7') => "external SNS",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_and_names_real_rules() {
        let codes = all();
        assert!(codes.len() >= 20, "result-codes.toml did not parse");
        for c in codes {
            assert!(is_code(&c.code), "{}", c.code);
            for r in &c.rules {
                assert!(
                    crate::lint::find_rule(r).is_some(),
                    "{}: no rule {r}",
                    c.code
                );
            }
        }
        assert_eq!(find("A050312").unwrap().category(), "client error");
        assert_eq!(category("A001101"), "Authlete error");
        assert_eq!(category("A050001"), "success");
    }
}
