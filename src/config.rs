//! `tokenlint.toml`: rule severities, the clock, the token endpoint, which
//! files a folder walk picks up, and per-path overrides. Found from each
//! input's folder upward (stopping at the repository root), or named with
//! `--config`; `--no-config` skips it.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::clock;
use crate::lint::{self, Settings, Severity};

mod glob;

use glob::Globs;
pub use glob::{MAX_BRACE_DEPTH, MAX_GLOB_PATTERNS};

pub const FILE_NAMES: &[&str] = &[".tokenlint.toml", "tokenlint.toml"];

/// The largest configuration file read, in bytes: a configuration is a few
/// KiB; a larger one is refused before it is parsed.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;
/// The most globs a configuration holds (`include`, `exclude` and every
/// override's `files` together), before their braces are expanded (after:
/// [`MAX_GLOB_PATTERNS`]): each file a run meets is matched against them.
pub const MAX_GLOBS: usize = 1000;
/// The longest glob, in bytes (a match costs up to its length times the
/// path's).
pub const MAX_GLOB_BYTES: usize = 1024;

/// `[limits]`: the size limits of `lint::Limits`, in bytes (`path`: in
/// certificates), and the caps on findings, in findings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsConfig {
    pub file: Option<usize>,
    pub field: Option<usize>,
    pub jws: Option<usize>,
    pub pem: Option<usize>,
    pub findings_per_rule: Option<usize>,
    pub findings_per_input: Option<usize>,
    pub path: Option<usize>,
}

impl LimitsConfig {
    fn apply(&self, settings: &mut Settings, path: &Path) -> Result<(), ConfigError> {
        let l = &mut settings.limits;
        for (name, value, slot) in [
            ("file", self.file, &mut l.file),
            ("field", self.field, &mut l.field),
            ("jws", self.jws, &mut l.jws),
            ("pem", self.pem, &mut l.pem),
            (
                "findings-per-rule",
                self.findings_per_rule,
                &mut l.findings_per_rule,
            ),
            (
                "findings-per-input",
                self.findings_per_input,
                &mut l.findings_per_input,
            ),
            ("path", self.path, &mut l.path),
        ] {
            if let Some(v) = value {
                if v == 0 {
                    return Err(ConfigError::Invalid {
                        path: path.to_owned(),
                        message: format!("limits.{name}: a limit must be at least 1"),
                    });
                }
                *slot = v;
            }
        }
        Ok(())
    }
}

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
    /// The DPoP `iat` window, overriding the profile's: `"PAST"` or `"PAST:FUTURE"` seconds.
    pub iat_window: Option<String>,
    /// Whether the server requires a DPoP nonce (a capture cannot say).
    pub dpop_nonce_required: Option<bool>,
    /// The DPoP algorithms the server allows, overriding the profile's.
    pub dpop_algs: Option<Vec<String>>,
    /// The client's public JWKS (a file, relative to the config's folder):
    /// verifies `client_assertion`.
    pub client_jwks: Option<PathBuf>,
    /// Trusted client attesters' public JWKS (a file): verifies
    /// `oauthClientAttestation`.
    pub attester_jwks: Option<PathBuf>,
    /// The JWT bearer grant's assertion issuers' public JWKS (a file):
    /// verifies the `assertion` parameter (RFC 7523 §2.1).
    pub assertion_jwks: Option<PathBuf>,
    /// `"<rule id>" = "error" | "warning" | "info" | "off"`.
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    /// Size limits in bytes (`file`, `field`, `jws`, `pem`) and in
    /// certificates (`path`); unset keys keep their defaults.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Globs (relative to the config file's folder) a folder walk picks up;
    /// empty: every `*.json`, `*.http`, `*.har`, `*.curl`.
    #[serde(default)]
    pub include: Vec<String>,
    /// Globs (relative to the config file's folder) a folder walk skips; files
    /// named on the command line too with `--force-exclude`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Settings for the files matching some globs, applied in order after the
    /// top-level ones.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// `[[overrides]]`: the top-level settings again, for the files matching `files`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    pub files: Vec<String>,
    /// The matching files must raise at least one error: a file that raises
    /// none is reported (`input/expected-errors-missing`), and their errors do
    /// not fail the run.
    pub expect_errors: Option<bool>,
    pub now: Option<toml::Value>,
    pub token_endpoint: Option<String>,
    pub issuer: Option<String>,
    pub profile: Option<String>,
    pub iat_window: Option<String>,
    pub dpop_nonce_required: Option<bool>,
    pub dpop_algs: Option<Vec<String>>,
    pub client_jwks: Option<PathBuf>,
    pub attester_jwks: Option<PathBuf>,
    pub assertion_jwks: Option<PathBuf>,
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", crate::text::printable_path(.path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", crate::text::printable_path(.path))]
    Invalid { path: PathBuf, message: String },
}

/// Reads a configuration file through the one bounded reader and parses
/// it. A file over [`MAX_CONFIG_BYTES`] is refused by its size, before it is
/// read (a file that grows while it is read, after).
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let too_large = || ConfigError::Invalid {
        path: path.to_owned(),
        message: format!(
            "the file is over {MAX_CONFIG_BYTES} bytes, the most a configuration may have"
        ),
    };
    // `stat` does not open the file; the reader refuses what is not a file.
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > MAX_CONFIG_BYTES as u64) {
        return Err(too_large());
    }
    let limit = lint::Limits::default().file;
    let text = crate::read::string(path, limit).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    if text.len() > MAX_CONFIG_BYTES {
        return Err(too_large());
    }
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Invalid {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// The settings keys shared by the top level and `[[overrides]]`.
struct Keys<'a> {
    /// Where `now` comes from: the top level or an override.
    clock: lint::Clock,
    now: &'a Option<toml::Value>,
    token_endpoint: &'a Option<String>,
    issuer: &'a Option<String>,
    profile: &'a Option<String>,
    iat_window: &'a Option<String>,
    dpop_nonce_required: &'a Option<bool>,
    dpop_algs: &'a Option<Vec<String>>,
    client_jwks: &'a Option<PathBuf>,
    attester_jwks: &'a Option<PathBuf>,
    assertion_jwks: &'a Option<PathBuf>,
    rules: &'a BTreeMap<String, String>,
}

impl Keys<'_> {
    fn apply(&self, settings: &mut Settings, path: &Path, at: &str) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_owned(),
            message: format!("{at}{message}"),
        };
        if let Some(now) = self.now {
            settings.clock = self.clock;
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
        if let Some(ep) = self.token_endpoint {
            settings.token_endpoint = Some(ep.clone());
        }
        if let Some(iss) = self.issuer {
            settings.issuer = Some(iss.clone());
        }
        if let Some(p) = self.profile {
            lint::profile::validate(p).map_err(|e| invalid(format!("profile: {e}")))?;
            settings.profile = Some(p.clone());
        }
        if let Some(w) = self.iat_window {
            settings.iat_window = Some(parse_window(w).ok_or_else(|| {
                invalid(format!(
                    "iat-window: `{w}` is not \"PAST\" or \"PAST:FUTURE\" in whole seconds"
                ))
            })?);
        }
        if let Some(r) = self.dpop_nonce_required {
            settings.dpop_nonce_required = Some(*r);
        }
        if let Some(algs) = self.dpop_algs {
            settings.dpop_algs =
                Some(parse_dpop_algs(algs).map_err(|e| invalid(format!("dpop-algs: {e}")))?);
        }
        let dir = path.parent().unwrap_or(Path::new(""));
        for (key, file, slot) in [
            ("client-jwks", self.client_jwks, &mut settings.client_jwks),
            (
                "attester-jwks",
                self.attester_jwks,
                &mut settings.attester_jwks,
            ),
            (
                "assertion-jwks",
                self.assertion_jwks,
                &mut settings.assertion_jwks,
            ),
        ] {
            if let Some(file) = file {
                let jwks =
                    cached_jwks(&dir.join(file)).map_err(|e| invalid(format!("{key}: {e}")))?;
                *slot = Some(jwks);
            }
        }
        for (id, level) in self.rules {
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

/// DPoP algorithm names a server may allow: registered asymmetric JWS
/// algorithms (RFC 9449 §4.2), at least one.
pub fn parse_dpop_algs<S: AsRef<str>>(names: &[S]) -> Result<Vec<String>, String> {
    use crate::jose::jwk::{self, AlgKind};
    let mut out = Vec::new();
    for n in names.iter().map(|n| n.as_ref().trim()) {
        match jwk::find_alg(n) {
            Some(a) if !matches!(a.kind, AlgKind::None | AlgKind::Mac) => out.push(n.to_owned()),
            Some(_) => return Err(format!("`{n}` is not an asymmetric signature algorithm")),
            None => {
                return Err(format!(
                    "`{}` is not a registered JWS algorithm",
                    crate::text::shown_value(n, 16)
                ))
            }
        }
    }
    if out.is_empty() {
        return Err("name at least one algorithm".into());
    }
    Ok(out)
}

/// Reads a JWKS file (`{"keys": [...]}`) or a single JWK, through the one
/// bounded reader with the default file limit. The key files flags and
/// configuration name are read here, so both say the same of a bad one.
pub fn read_jwks(path: &Path) -> Result<serde_json::Value, String> {
    let limit = lint::Limits::default().file;
    let text = crate::read::string(path, limit).map_err(|e| format!("{}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?;
    let ok = v.get("keys").is_some_and(serde_json::Value::is_array) || v.get("kty").is_some();
    if !ok {
        return Err(format!(
            "{}: expected a JWKS ({{\"keys\": [...]}}) or a single JWK",
            path.display()
        ));
    }
    Ok(v)
}

/// [`read_jwks`], once per file and run: configuration applies to every
/// input, and a folder of fixtures must not read the key file per fixture.
fn cached_jwks(path: &Path) -> Result<serde_json::Value, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<PathBuf, Result<serde_json::Value, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let abs = absolute(path);
    let cache = CACHE.get_or_init(Cache::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&abs).cloned()) {
        return hit;
    }
    let read = read_jwks(&abs);
    if let Ok(mut c) = cache.lock() {
        c.insert(abs, read.clone());
    }
    read
}

/// `PAST` or `PAST:FUTURE`, whole non-negative seconds.
pub fn parse_window(w: &str) -> Option<(i64, i64)> {
    let parse = |x: &str| x.trim().parse::<i64>().ok().filter(|n| *n >= 0);
    match w.split_once(':') {
        Some((p, f)) => Some((parse(p)?, parse(f)?)),
        None => parse(w).map(|n| (n, n)),
    }
}

impl Config {
    fn keys(&self) -> Keys<'_> {
        Keys {
            clock: lint::Clock::Config,
            now: &self.now,
            token_endpoint: &self.token_endpoint,
            issuer: &self.issuer,
            profile: &self.profile,
            iat_window: &self.iat_window,
            dpop_nonce_required: &self.dpop_nonce_required,
            dpop_algs: &self.dpop_algs,
            client_jwks: &self.client_jwks,
            attester_jwks: &self.attester_jwks,
            assertion_jwks: &self.assertion_jwks,
            rules: &self.rules,
        }
    }

    /// Applies the top-level settings to `settings`; flags applied afterwards win.
    pub fn apply(&self, settings: &mut Settings, path: &Path) -> Result<(), ConfigError> {
        self.keys().apply(settings, path, "")?;
        self.limits.apply(settings, path)
    }
}

impl Override {
    fn keys(&self) -> Keys<'_> {
        Keys {
            clock: lint::Clock::Override,
            now: &self.now,
            token_endpoint: &self.token_endpoint,
            issuer: &self.issuer,
            profile: &self.profile,
            iat_window: &self.iat_window,
            dpop_nonce_required: &self.dpop_nonce_required,
            dpop_algs: &self.dpop_algs,
            client_jwks: &self.client_jwks,
            attester_jwks: &self.attester_jwks,
            assertion_jwks: &self.assertion_jwks,
            rules: &self.rules,
        }
    }
}

/// Makes `p` absolute (against the current folder) and removes `.` and `..`
/// lexically, without touching the file system.
pub fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        absolute_in(Path::new(""), p)
    } else {
        absolute_in(&std::env::current_dir().unwrap_or_default(), p)
    }
}

/// [`absolute`] against `cwd`, the current folder the caller asked for
/// once (a folder walk resolves every file it meets: no `getcwd` each).
pub fn absolute_in(cwd: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_owned()
    } else {
        cwd.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads globs the way `include`, `exclude` and `files` read them: `*`
/// stays within one folder, `**` spans folders, and a glob without `/`
/// matches a name in any folder (`*.jwks.json` = `**/*.jwks.json`).
/// `budget`: the brace-free patterns the configuration may still expand to.
fn read_globs(
    globs: &[String],
    path: &Path,
    key: &str,
    budget: &mut usize,
) -> Result<Globs, ConfigError> {
    if let Some((i, g)) = globs
        .iter()
        .enumerate()
        .find(|(_, g)| g.len() > MAX_GLOB_BYTES)
    {
        return Err(ConfigError::Invalid {
            path: path.to_owned(),
            message: format!(
                "{key}[{i}]: a glob of {} bytes; a glob is at most {MAX_GLOB_BYTES}",
                g.len()
            ),
        });
    }
    Globs::new(globs, budget).map_err(|(i, e)| ConfigError::Invalid {
        path: path.to_owned(),
        message: format!("{key}[{i}]: `{}`: {e}", globs[i]),
    })
}

/// A loaded configuration file with its globs read.
#[derive(Debug)]
pub struct Resolved {
    pub path: PathBuf,
    /// The config file's folder (absolute): globs are relative to it.
    pub dir: PathBuf,
    pub config: Config,
    include: Option<Globs>,
    exclude: Globs,
    overrides: Vec<Globs>,
}

/// What the configuration says for one file.
#[derive(Clone, Debug, Default)]
pub struct FileSettings {
    pub settings: Settings,
    pub expect_errors: bool,
}

impl Resolved {
    pub fn load(path: &Path) -> Result<Resolved, ConfigError> {
        Resolved::new(load(path)?, path)
    }

    pub fn new(config: Config, path: &Path) -> Result<Resolved, ConfigError> {
        let globs = config.include.len()
            + config.exclude.len()
            + config
                .overrides
                .iter()
                .map(|o| o.files.len())
                .sum::<usize>();
        if globs > MAX_GLOBS {
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                message: format!(
                    "{globs} globs (include, exclude and the overrides' files together); \
                     a configuration has at most {MAX_GLOBS}"
                ),
            });
        }
        let abs = absolute(path);
        let dir = abs.parent().map(Path::to_owned).unwrap_or_default();
        let mut budget = MAX_GLOB_PATTERNS;
        let include = if config.include.is_empty() {
            None
        } else {
            Some(read_globs(&config.include, path, "include", &mut budget)?)
        };
        let exclude = read_globs(&config.exclude, path, "exclude", &mut budget)?;
        let overrides = config
            .overrides
            .iter()
            .enumerate()
            .map(|(i, o)| {
                if o.files.is_empty() {
                    return Err(ConfigError::Invalid {
                        path: path.to_owned(),
                        message: format!("overrides[{i}]: `files` is empty"),
                    });
                }
                let key = format!("overrides[{i}].files");
                read_globs(&o.files, path, &key, &mut budget)
            })
            .collect::<Result<_, _>>()?;
        // Validate every key now, not at the first file it applies to.
        let mut probe = Settings::default();
        config.apply(&mut probe, path)?;
        for (i, o) in config.overrides.iter().enumerate() {
            o.keys()
                .apply(&mut probe, path, &format!("overrides[{i}]."))?;
        }
        Ok(Resolved {
            path: path.to_owned(),
            dir,
            config,
            include,
            exclude,
            overrides,
        })
    }

    /// `file` relative to the config's folder; `None` outside it.
    fn relative(&self, file: &Path) -> Option<PathBuf> {
        absolute(file)
            .strip_prefix(&self.dir)
            .ok()
            .map(Path::to_owned)
    }

    /// Whether `exclude` names this file or folder.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|r| self.exclude.is_match(&r))
    }

    /// Whether a folder walk picks this file up (`None`: `include` is not set,
    /// the caller decides by extension).
    pub fn is_included(&self, file: &Path) -> Option<bool> {
        let include = self.include.as_ref()?;
        Some(self.relative(file).is_some_and(|r| include.is_match(&r)))
    }

    /// The settings for `file`: `base`, then the top-level keys, then each
    /// matching override in order. (Flags are applied by the caller, last.)
    pub fn settings_for(&self, base: &Settings, file: &Path) -> Result<FileSettings, ConfigError> {
        let mut out = FileSettings {
            settings: base.clone(),
            expect_errors: false,
        };
        self.config.apply(&mut out.settings, &self.path)?;
        let rel = self.relative(file);
        for (i, (o, set)) in self
            .config
            .overrides
            .iter()
            .zip(&self.overrides)
            .enumerate()
        {
            if rel.as_ref().is_some_and(|r| set.is_match(r)) {
                o.keys()
                    .apply(&mut out.settings, &self.path, &format!("overrides[{i}]."))?;
                if let Some(e) = o.expect_errors {
                    out.expect_errors = e;
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_severities_and_clock() {
        let text = "now = \"2026-01-01T00:00:00Z\"\n[rules]\n\
                    \"pkce/verifier-length\" = \"warning\"\n\"input/duplicate-field\" = \"off\"\n";
        let c = parse(text, Path::new("t.toml")).unwrap();
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
    fn overrides_apply_in_order_relative_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenlint.toml");
        let c = parse(
            "now = 1\nexclude = [\"*.jwks.json\", \"keys\"]\ninclude = [\"fixtures/**/*.json\"]\n\
             [[overrides]]\nfiles = [\"fixtures/bad/**\"]\nexpect-errors = true\nnow = 2\n\
             [overrides.rules]\n\"grant/unknown-parameter\" = \"off\"\n\
             [[overrides]]\nfiles = [\"fixtures/bad/ok.json\"]\nexpect-errors = false\n",
            &path,
        )
        .unwrap();
        let r = Resolved::new(c, &path).unwrap();
        let f = |p: &str| dir.path().join(p);
        assert!(r.is_excluded(&f("a/b/client.jwks.json")));
        assert!(r.is_excluded(&f("keys")));
        assert!(!r.is_excluded(&f("fixtures/a.json")));
        assert_eq!(r.is_included(&f("fixtures/x/a.json")), Some(true));
        assert_eq!(r.is_included(&f("other/a.json")), Some(false));
        let base = Settings::default();
        let bad = r.settings_for(&base, &f("fixtures/bad/x.json")).unwrap();
        assert!(bad.expect_errors);
        assert_eq!(bad.settings.now, 2);
        assert_eq!(bad.settings.severities["grant/unknown-parameter"], None);
        let ok = r.settings_for(&base, &f("fixtures/bad/ok.json")).unwrap();
        assert!(!ok.expect_errors);
        let good = r.settings_for(&base, &f("fixtures/good/x.json")).unwrap();
        assert!(!good.expect_errors);
        assert_eq!(good.settings.now, 1);
        assert!(good.settings.severities.is_empty());
    }

    #[test]
    fn rejects_bad_globs_and_override_keys() {
        let p = Path::new("t.toml");
        let bad_glob = parse("exclude = [\"a/[\"]", p).unwrap();
        assert!(Resolved::new(bad_glob, p).is_err());
        let bad_rule = parse(
            "[[overrides]]\nfiles = [\"x\"]\n[overrides.rules]\n\"no/such\" = \"off\"",
            p,
        )
        .unwrap();
        assert!(Resolved::new(bad_rule, p).is_err());
        assert!(parse("[[overrides]]\nfiles = [\"x\"]\ncolour = 1", p).is_err());
        assert_eq!(parse_window("60:10"), Some((60, 10)));
        assert_eq!(parse_window("-1"), None);
    }

    #[test]
    fn refuses_a_large_file_and_too_many_or_too_long_globs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenlint.toml");
        let message = |r: Result<Resolved, ConfigError>| r.unwrap_err().to_string();
        // Over the size limit: refused before parsing (a comment is valid TOML).
        let big = format!("# {}\n", "x".repeat(MAX_CONFIG_BYTES));
        std::fs::write(&path, big).unwrap();
        assert!(message(Resolved::load(&path)).contains("the most a configuration may have"));
        // One glob too many, counted over every list.
        let globs = |n: usize| {
            (0..n)
                .map(|i| format!("\"d{i}/*.json\""))
                .collect::<Vec<_>>()
        };
        let over = format!(
            "exclude = [{}]\n[[overrides]]\nfiles = [{}]\n",
            globs(MAX_GLOBS / 2).join(","),
            globs(MAX_GLOBS / 2 + 1).join(",")
        );
        std::fs::write(&path, over).unwrap();
        assert!(message(Resolved::load(&path)).contains("at most 1000"));
        let at = format!("exclude = [{}]\n", globs(MAX_GLOBS).join(","));
        std::fs::write(&path, at).unwrap();
        assert!(Resolved::load(&path).is_ok());
        // A glob over the length limit.
        let long = format!(
            "include = [\"ok/*.json\", \"{}\"]\n",
            "a*".repeat(MAX_GLOB_BYTES)
        );
        std::fs::write(&path, long).unwrap();
        assert!(message(Resolved::load(&path)).contains("include[1]: a glob of 2048 bytes"));
    }

    #[test]
    fn rejects_unknown_keys_and_rules() {
        assert!(parse("colour = 1", Path::new("t")).is_err());
        let c = parse("[rules]\n\"nope/x\" = \"off\"", Path::new("t")).unwrap();
        assert!(c.apply(&mut Settings::default(), Path::new("t")).is_err());
    }
}
