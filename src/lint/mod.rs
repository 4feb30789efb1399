//! The lint engine: rule metadata, findings, the per-request [`Context`] of
//! decoded views, and [`lint`], which runs every area's checks over a loaded
//! request. Nothing here prints or knows about output formats or the CLI.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::form::{self, Form, Pair};
use crate::request::{Loaded, TokenRequest};
use crate::source::Source;
use crate::span::{Span, Text};

pub mod client;
pub mod docs;
pub mod grants;
pub mod rules;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What every rule declares once: its stable id, default severity, a one-line
/// summary and the spec section it enforces. The long documentation, with
/// examples, is `rules/<id>.md`.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub spec: &'static str,
}

impl RuleMeta {
    pub fn area(&self) -> &'static str {
        self.id.split('/').next().unwrap_or("")
    }

    /// The rule's documentation (front matter stripped), if embedded.
    pub fn docs(&self) -> Option<&'static str> {
        docs::find(self.id).map(|d| d.body)
    }
}

/// Declares rule metadata statics: `declare_rules! { NAME = "area/id", Error, "RFC …", "summary"; … }`.
macro_rules! declare_rules {
    ($( $(#[$m:meta])* $name:ident = $id:literal, $sev:ident, $spec:literal, $summary:literal; )*) => {
        $(
            $(#[$m])*
            pub static $name: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                id: $id,
                severity: $crate::lint::Severity::$sev,
                summary: $summary,
                spec: $spec,
            };
        )*
        /// Every rule of this area, in declaration order.
        pub static RULES: &[&$crate::lint::RuleMeta] = &[$(&$name),*];
    };
}
pub(crate) use declare_rules;

/// Every rule, grouped by area in a fixed order.
pub fn registry() -> Vec<&'static RuleMeta> {
    rules::AREAS
        .iter()
        .flat_map(|a| a.rules.iter().copied())
        .collect()
}

pub fn find_rule(id: &str) -> Option<&'static RuleMeta> {
    registry().into_iter().find(|r| r.id == id)
}

/// A span with the text shown under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in one input.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The effective severity (after configuration).
    pub severity: Severity,
    pub message: String,
    /// Which part of the request: `parameters.code_verifier`, `clientId`, ….
    pub field: Option<String>,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            field: None,
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }
}

/// Settings that change what the rules check. Built by the CLI from flags and
/// `tokenlint.toml`.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The clock, in Unix seconds, for time-based checks.
    pub now: i64,
    /// Severity overrides; `None` turns a rule off.
    pub severities: HashMap<String, Option<Severity>>,
    /// The token endpoint URL (the `htu` a proof must carry when the request
    /// has none), from configuration.
    pub token_endpoint: Option<String>,
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

/// Collects findings, applying configured severities.
pub struct Sink<'s> {
    settings: &'s Settings,
    findings: Vec<Finding>,
}

impl<'s> Sink<'s> {
    pub fn new(settings: &'s Settings) -> Self {
        Sink {
            settings,
            findings: Vec::new(),
        }
    }

    /// Whether the rule is on: skip expensive work for rules that are off.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.settings.severity_of(rule).is_some()
    }

    pub fn push(&mut self, mut f: Finding) {
        if let Some(sev) = self.settings.severity_of(f.rule) {
            f.severity = sev;
            self.findings.push(f);
        }
    }
}

/// Decoded views of one request, built once and shared by every rule.
pub struct Context<'a> {
    pub req: &'a TokenRequest,
    pub source: &'a Source,
    pub settings: &'a Settings,
    /// The decoded `parameters` (empty when there are none).
    pub form: Form,
}

impl<'a> Context<'a> {
    pub fn new(req: &'a TokenRequest, source: &'a Source, settings: &'a Settings) -> Self {
        let form = req
            .parameters
            .as_ref()
            .map(|p| form::decode(&p.value))
            .unwrap_or_default();
        Context {
            req,
            source,
            settings,
            form,
        }
    }

    fn params_text(&self) -> &Text {
        self.req
            .parameters
            .as_ref()
            .expect("a form pair exists only when parameters do")
    }

    /// The first parameter of this name with a non-empty value: RFC 6749
    /// §3.2 says a parameter sent without a value is treated as omitted.
    pub fn param(&self, name: &str) -> Option<&Pair> {
        self.form
            .pairs
            .iter()
            .find(|p| p.name == name && !p.value.is_empty())
    }

    pub fn has_param(&self, name: &str) -> bool {
        self.param(name).is_some()
    }

    pub fn param_value(&self, name: &str) -> Option<&str> {
        self.param(name).map(|p| p.value.as_str())
    }

    /// The grant type as sent, if any.
    pub fn grant_type(&self) -> Option<&str> {
        self.param_value("grant_type")
    }

    /// Span of a range of raw bytes of the encoded `parameters` string.
    pub fn raw_params_span(&self, raw: std::ops::Range<usize>) -> Span {
        self.params_text().sub_span(raw)
    }

    pub fn name_span(&self, p: &Pair) -> Span {
        self.raw_params_span(p.name_raw.clone())
    }

    pub fn value_span(&self, p: &Pair) -> Span {
        if p.value_raw.is_empty() {
            // Nothing to underline: point at the whole pair instead.
            return self.pair_span(p);
        }
        self.raw_params_span(p.value_raw.clone())
    }

    pub fn pair_span(&self, p: &Pair) -> Span {
        self.raw_params_span(p.raw.clone())
    }

    /// Span of a byte range of a parameter's decoded value.
    pub fn value_sub_span(&self, p: &Pair, dec: std::ops::Range<usize>) -> Span {
        self.raw_params_span(p.value_raw_range(dec))
    }

    /// Span of the `parameters` field itself, for findings about a missing parameter.
    pub fn parameters_span(&self) -> Span {
        self.req
            .parameters
            .as_ref()
            .map_or(Span::default(), |p| p.span)
    }

    /// Spans of secret parameter values to mask in any display.
    pub fn secret_param_spans(&self) -> Vec<Span> {
        self.form
            .pairs
            .iter()
            .filter(|p| SECRET_PARAMS.contains(&p.name.as_str()) && !p.value_raw.is_empty())
            .map(|p| self.value_span(p))
            .collect()
    }
}

/// Form parameters whose values are credentials.
pub const SECRET_PARAMS: &[&str] = &[
    "client_secret",
    "refresh_token",
    "password",
    "code",
    "device_code",
    "subject_token",
    "actor_token",
    "access_token",
];

/// Everything found in one input.
#[derive(Clone, Debug)]
pub struct FileReport {
    pub source: Arc<Source>,
    pub findings: Vec<Finding>,
    /// Spans of secrets in the source, masked in every display.
    pub secrets: Vec<Span>,
}

impl FileReport {
    pub fn count(&self, sev: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == sev).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Runs every rule over one loaded input.
pub fn lint(loaded: &Loaded, settings: &Settings) -> FileReport {
    let mut sink = Sink::new(settings);
    rules::input::check_load(loaded, &mut sink);
    let mut secrets = loaded.secrets.clone();
    if loaded.is_readable() {
        let cx = Context::new(&loaded.request, &loaded.source, settings);
        for area in rules::AREAS {
            (area.check)(&cx, &mut sink);
        }
        secrets.extend(cx.secret_param_spans());
    }
    let mut findings = sink.findings;
    // Stable order: by position, then severity (errors first), then rule id.
    findings.sort_by(|a, b| {
        let pa = a.primary_span().map(|s| s.offset).unwrap_or(0);
        let pb = b.primary_span().map(|s| s.offset).unwrap_or(0);
        pa.cmp(&pb)
            .then(b.severity.cmp(&a.severity))
            .then(a.rule.id.cmp(b.rule.id))
    });
    FileReport {
        source: Arc::clone(&loaded.source),
        findings,
        secrets,
    }
}
