//! What the rules are told: the clock, severities, the profile, keys and
//! size limits. Built by the CLI from flags and `tokenlint.toml`.

use std::collections::HashMap;

use super::{RuleMeta, Severity};

/// Settings that change what the rules check. Built by the CLI from flags and
/// `tokenlint.toml`.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The clock, in Unix seconds, for time-based checks.
    pub now: i64,
    /// Where `now` comes from: a capture's own time replaces it unless it
    /// was chosen for the input (see [`Clock::is_pinned`]).
    pub clock: Clock,
    /// Severity overrides; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
    /// The token endpoint URL (the `htu` a proof must carry when the request
    /// has none), from configuration.
    pub token_endpoint: Option<String>,
    /// The DPoP profile (`rules/dpop/profiles.toml`): `None` is the default
    /// (`authlete`); `all` lints once per profile and merges.
    pub profile: Option<String>,
    /// Overrides the profile's `iat` window: (seconds in the past, seconds in the future).
    pub iat_window: Option<(i64, i64)>,
    /// Whether the server requires a DPoP nonce (`--dpop-nonce-required`,
    /// `dpop-nonce-required`): what a capture cannot say. `None`: unknown.
    /// A request's own `dpopNonceRequired` wins.
    pub dpop_nonce_required: Option<bool>,
    /// The DPoP algorithms the server allows (`--dpop-algs`, `dpop-algs`),
    /// overriding the profile's.
    pub dpop_algs: Option<Vec<String>>,
    /// The authorization server's issuer identifier (RFC 8414), the audience
    /// client assertions and attestation PoPs must name.
    pub issuer: Option<String>,
    /// The client's JWKS (`--client-jwks`), to verify `client_assertion`.
    pub client_jwks: Option<serde_json::Value>,
    /// Trusted client attesters' JWKS (`--attester-jwks`).
    pub attester_jwks: Option<serde_json::Value>,
    /// The JWT bearer grant's assertion issuers' JWKS (`--assertion-jwks`),
    /// to verify the `assertion` parameter.
    pub assertion_jwks: Option<serde_json::Value>,
    /// The challenge the server handed out (`--attestation-challenge`).
    pub attestation_challenge: Option<String>,
    /// Size limits: a value over one is reported and not parsed further.
    pub limits: Limits,
    /// The input must raise an error (`expect-errors` in a config override):
    /// see [`apply_expectation`](super::apply_expectation).
    pub expect_errors: bool,
}

/// Where the clock of an input comes from, weakest first. A capture's own
/// time (HAR `startedDateTime`, a `Date` header) sits between `Config` and
/// `Override`: it replaces the system clock and the configuration's
/// top-level `now` (a default for inputs that carry no time), not a time
/// chosen for this input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// The configuration's top-level `now`.
    Config,
    /// The `now` of a configuration `[[overrides]]` entry for this file.
    Override,
    /// `--now`.
    Flag,
}

impl Clock {
    /// A clock chosen for this input, which a capture's time does not replace.
    pub fn is_pinned(self) -> bool {
        matches!(self, Clock::Override | Clock::Flag)
    }
}

/// Size limits, in bytes of the source text (`path`: in certificates). Each
/// exceeded limit is an `input/…-too-large` (`input/cert-path-too-long`)
/// finding naming it, and the oversized value is not parsed further, so no
/// input makes tokenlint run out of memory or time.
///
/// The defaults sit far above anything legitimate and far below what hurts:
/// - `file`, 64 MiB: a HAR export of a long browser session reaches tens of
///   MiB; a token request body is a few KiB. The whole file is held in
///   memory once (plus spans), so 64 MiB keeps a run well under 1 GiB.
/// - `field`, 1 MiB: Authlete's own request limit is about that size, and
///   servers cap form bodies lower still (Tomcat/Spring `maxPostSize` 2 MiB,
///   nginx `client_max_body_size` 1 MiB by default).
/// - `jws`, 16 KiB: a DPoP proof is ~0.5–1 KiB; a client assertion or
///   attestation carrying an `x5c` chain of three RSA-4096 certificates
///   stays under 8 KiB. Common HTTP servers reject header fields over 8 KiB
///   (nginx `large_client_header_buffers`, Node's 16 KiB total), so a DPoP
///   header of 16 KiB never reaches a token endpoint.
/// - `pem`, 256 KiB (all of `clientCertificate` and `clientCertificatePath`):
///   a certificate is 1–2 KiB in PEM; 256 KiB holds a chain of 100.
/// - `path`, 16 certificates in `clientCertificatePath`: a real chain has
///   one to three intermediates, and TLS stacks stop far sooner than the
///   PEM limit would (Java's `jdk.tls.maxCertificateChainLength` is 10).
///
/// And caps on findings, so that no input yields them without bound (a
/// `parameters` of `a&a&…` raises one per repetition): past
/// `findings_per_rule` findings of one rule (100) or `findings_per_input`
/// findings in all (1,000), the rest are counted in one closing
/// `input/findings-suppressed` finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub file: usize,
    pub field: usize,
    pub jws: usize,
    pub pem: usize,
    pub findings_per_rule: usize,
    pub findings_per_input: usize,
    pub path: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file: 64 << 20,
            field: 1 << 20,
            jws: 16 << 10,
            pem: 256 << 10,
            findings_per_rule: 100,
            findings_per_input: 1000,
            path: 16,
        }
    }
}

impl Settings {
    pub fn with_now(now: i64) -> Self {
        Settings {
            now,
            ..Settings::default()
        }
    }

    pub fn severity_of(&self, rule: &RuleMeta) -> Option<Severity> {
        match self.severities.get(rule.id) {
            Some(s) => *s,
            None => Some(rule.severity),
        }
    }
}
