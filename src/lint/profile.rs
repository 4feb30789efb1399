//! Server profiles: how each server checks a DPoP proof (and the one
//! client-authentication behaviour where servers differ), as data
//! (`rules/dpop/profiles.toml`, embedded and parsed once).

use std::sync::OnceLock;

use serde::Deserialize;

use super::view::htu::HtuCompare;

pub const DEFAULT: &str = "authlete";
/// `--profile all`: lint once per profile and say which servers reject.
pub const ALL: &str = "all";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypMatch {
    Exact,
    CaseInsensitive,
    MediaType,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HtmMatch {
    Exact,
    CaseInsensitive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueryPolicy {
    Reject,
    Ignore,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoncePolicy {
    Ignore,
    Reject,
}

/// How a server decodes the base64url parts of a proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum B64Policy {
    /// RFC 7515 §2: the base64url alphabet, no padding, no whitespace,
    /// unused bits zero.
    Strict,
    /// The WHATWG forgiving-base64 decode (`atob`): `=` padding, whitespace
    /// inside a part and non-zero unused bits are accepted.
    Forgiving,
}

/// What a server does with a member name that appears twice in the proof's
/// header or payload (RFC 7515 §4: reject, or keep the lexically last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicatePolicy {
    Reject,
    LastWins,
}

/// How a server reads the embedded `jwk` beyond RFC 7517/7518.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JwkImport {
    /// RFC 7518 as written: coordinates are base64url of exactly the
    /// curve's size; `key_ops` and `ext` are not looked at.
    Strict,
    /// WebCrypto's `importKey("jwk")` (node-oidc-provider): coordinates may
    /// carry padding, the standard alphabet or a leading zero octet;
    /// `key_ops`, when present, must be exactly `["verify"]`, and `ext` a
    /// boolean.
    Webcrypto,
}

/// What a server does with an empty `DPoP` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmptyHeader {
    /// The proof is malformed: the request fails.
    Reject,
    /// No proof at all: the request succeeds with a Bearer token.
    Ignore,
}

/// How a profile's behaviour is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KnownBy {
    /// Measured against the running server by the differential suite
    /// (`tests/differential/`).
    Measured,
    /// Read from the server's source code or documentation.
    Read,
    /// Not a server: a reading of the specification.
    Spec,
}

impl KnownBy {
    pub fn as_str(self) -> &'static str {
        match self {
            KnownBy::Measured => "measured",
            KnownBy::Read => "read",
            KnownBy::Spec => "spec",
        }
    }
}

/// What a server does when the client sends its secret both in the Basic
/// header and in the body (`client-auth/multiple-methods`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BasicAndPost {
    /// RFC 6749 §2.3: one method per request; the request is refused.
    Reject,
    /// Accepted when both carry the same client ID and secret.
    AcceptIdentical,
}

/// What a server does with a JWT header whose `b64` is not listed in
/// `crit` (`jwt/b64-without-crit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum B64OutsideCrit {
    /// RFC 7797 §6: `b64` MUST be listed in `crit`; the JWS is refused.
    Reject,
    /// The member is ignored and the payload verified as base64url (jose).
    Ignore,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// A real server (listed in "rejected by"), not a reading of the spec.
    pub server: bool,
    pub description: String,
    pub algs: Vec<String>,
    pub typ: TypMatch,
    pub htm: HtmMatch,
    pub htu: HtuCompare,
    pub htu_query: QueryPolicy,
    pub iat_past: i64,
    pub iat_future: i64,
    pub iat_skipped_with_nonce: bool,
    pub nonce_unrequested: NoncePolicy,
    pub b64url: B64Policy,
    pub duplicate_members: DuplicatePolicy,
    /// `crit` extensions the server understands (jose: `b64`).
    pub crit_understood: Vec<String>,
    pub jwk_import: JwkImport,
    pub empty_header: EmptyHeader,
    /// The most bytes of request head (request line and header fields) the
    /// server reads before answering 431; `None`: not known.
    #[serde(default)]
    pub max_header_bytes: Option<usize>,
    /// How this profile is known: measured, read, or the spec.
    pub known_by: KnownBy,
    /// What measured it (the suite, the server's version and its agreement),
    /// or where it was read (links).
    pub known_from: String,
    pub basic_and_post: BasicAndPost,
    pub b64_outside_crit: B64OutsideCrit,
    pub sources: Vec<String>,
}

impl Profile {
    pub fn allows_alg(&self, alg: &str) -> bool {
        self.algs.iter().any(|a| a == alg)
    }

    /// How this profile is known, in one line (`explain`, `--profile all`).
    pub fn provenance(&self) -> String {
        format!("{}: {}", self.known_by.as_str(), self.known_from)
    }

    /// Whether `typ` passes this profile's comparison with `dpop+jwt`.
    pub fn typ_matches(&self, typ: &str) -> bool {
        match self.typ {
            TypMatch::Exact => typ == "dpop+jwt",
            TypMatch::CaseInsensitive => typ.eq_ignore_ascii_case("dpop+jwt"),
            TypMatch::MediaType => {
                let t = match (typ.get(..12), typ.get(12..)) {
                    (Some(prefix), Some(rest)) if prefix.eq_ignore_ascii_case("application/") => {
                        rest
                    }
                    _ => typ,
                };
                t.eq_ignore_ascii_case("dpop+jwt")
            }
        }
    }
}

#[derive(Deserialize)]
struct File {
    profile: Vec<Profile>,
}

pub const SOURCE: &str = include_str!("../../rules/dpop/profiles.toml");

/// [`SOURCE`] as JSON, made by build.rs: quicker to read at every start.
const SOURCE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/profiles.json"));

/// Every profile, in file order (the default first).
pub fn all() -> &'static [Profile] {
    static P: OnceLock<Vec<Profile>> = OnceLock::new();
    P.get_or_init(|| match serde_json::from_str::<File>(SOURCE_JSON) {
        Ok(f) => f.profile,
        // The file is part of the binary and tested; never reached.
        Err(e) => panic!("rules/dpop/profiles.toml: {e}"),
    })
}

pub fn get(name: &str) -> Option<&'static Profile> {
    all().iter().find(|p| p.name == name)
}

/// The profile for a name, the default for an unknown one (names are
/// validated where the user gives them).
pub fn get_or_default(name: Option<&str>) -> &'static Profile {
    name.and_then(get)
        .or_else(|| get(DEFAULT))
        .unwrap_or(&all()[0])
}

/// The names a user may give, `all` included.
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = all().iter().map(|p| p.name.as_str()).collect();
    v.push(ALL);
    v
}

/// Checks a name given by the user.
pub fn validate(name: &str) -> Result<(), String> {
    if name == ALL || get(name).is_some() {
        Ok(())
    } else {
        let all = names();
        let known = all.iter().copied();
        // A near miss is a typo, shown with the fix; anything else may be a
        // value typed after the wrong flag, and is not echoed.
        let shown = match crate::text::suggest(name, known) {
            Some(k) => format!("`{name}` (did you mean `{k}`?)"),
            None => crate::text::shown_value(name, 8),
        };
        Err(format!(
            "unknown profile {shown}; one of: {}",
            all.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::jwk;

    #[test]
    fn the_embedded_json_says_what_the_toml_says() {
        let from_toml = toml::from_str::<File>(SOURCE).unwrap().profile;
        assert_eq!(format!("{:?}", all()), format!("{from_toml:?}"));
    }

    #[test]
    fn profiles_parse_and_are_consistent() {
        let names: Vec<_> = all().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "authlete",
                "rfc",
                "strict",
                "node-oidc-provider",
                "spring",
                "keycloak",
                "nimbus"
            ]
        );
        for p in all() {
            assert!(!p.sources.is_empty(), "{}: no sources", p.name);
            for a in &p.algs {
                let alg = jwk::find_alg(a).unwrap_or_else(|| panic!("{}: unknown alg {a}", p.name));
                assert!(
                    !matches!(alg.kind, jwk::AlgKind::None | jwk::AlgKind::Mac),
                    "{}: {a} is not asymmetric",
                    p.name
                );
            }
        }
    }

    #[test]
    fn strict_is_the_intersection_of_the_servers() {
        let strict = get("strict").unwrap();
        for p in all().iter().filter(|p| p.server) {
            for a in &strict.algs {
                assert!(p.allows_alg(a), "{} rejects {a}", p.name);
            }
            assert!(strict.iat_past <= p.iat_past && strict.iat_future <= p.iat_future);
        }
        assert_eq!(strict.typ, TypMatch::Exact);
        assert_eq!(strict.htu, HtuCompare::Exact);
        assert_eq!(strict.nonce_unrequested, NoncePolicy::Reject);
        assert_eq!(strict.basic_and_post, BasicAndPost::Reject);
        assert_eq!(strict.b64_outside_crit, B64OutsideCrit::Reject);
    }

    #[test]
    fn each_profile_says_how_it_is_known() {
        for p in all() {
            assert!(!p.known_from.is_empty(), "{}", p.name);
            match p.known_by {
                KnownBy::Read => assert!(p.known_from.contains("https://"), "{}", p.name),
                KnownBy::Measured => assert!(p.known_from.contains("tests/differential")),
                KnownBy::Spec => assert!(!p.server, "{} is a server", p.name),
            }
        }
        assert_eq!(
            get("node-oidc-provider").unwrap().known_by,
            KnownBy::Measured
        );
    }

    #[test]
    fn typ_matching() {
        let kc = get("keycloak").unwrap();
        let nop = get("node-oidc-provider").unwrap();
        let nim = get("nimbus").unwrap();
        assert!(!kc.typ_matches("DPoP+JWT"));
        assert!(nim.typ_matches("DPoP+JWT") && !nim.typ_matches("application/dpop+jwt"));
        assert!(nop.typ_matches("application/DPoP+jwt"));
        assert!(!nop.typ_matches("jwt"));
        assert!(!nop.typ_matches("applicatioé/dpop+jwt"));
    }
}
