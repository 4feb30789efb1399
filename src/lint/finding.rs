//! Rule metadata and the findings rules raise.

use std::fmt;

use super::Area;
use crate::span::Span;

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
    pub area: Area,
    /// The module that declares it (`module_path!()`), checked against `area`.
    pub module: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub spec: &'static str,
}

impl RuleMeta {
    pub fn area(&self) -> &'static str {
        self.area.id()
    }

    /// The rule's documentation (front matter stripped), if embedded.
    pub fn docs(&self) -> Option<&'static str> {
        super::docs::find(self.id).map(|d| d.body)
    }

    /// The command that shows the rule's documentation, when it has some:
    /// the findings that relate a server's answer (`authlete/`, `response/`)
    /// have none, and their help names `tokenlint explain <error|code>`.
    pub fn explain_command(&self) -> Option<String> {
        self.docs()
            .map(|_| format!("tokenlint explain {}", self.id))
    }
}

/// Declares rule metadata statics:
/// `declare_rules! { area: Dpop; NAME = "dpop/id", Error, "RFC …", "summary"; … }`.
macro_rules! declare_rules {
    (
        area: $area:ident;
        $( $(#[$m:meta])* $name:ident = $id:literal, $sev:ident, $spec:literal, $summary:literal; )*
    ) => {
        $(
            $(#[$m])*
            pub static $name: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                id: $id,
                area: $crate::lint::Area::$area,
                module: module_path!(),
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
    /// A readable view of decoded data (a DPoP proof's header or payload)
    /// with the offending member underlined; its spans are into its own text.
    pub decoded: Option<Decoded>,
    /// With `--profile all`: the servers whose profile rejects the request
    /// for this finding (`None` in single-profile runs).
    pub rejected_by: Option<Vec<String>>,
}

/// Decoded text shown beside the source: a title, the text, and labels
/// whose spans are into `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub title: String,
    pub text: String,
    pub labels: Vec<Label>,
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
            decoded: None,
            rejected_by: None,
        }
    }

    /// Shows decoded data beside the source (see [`Decoded`]).
    pub fn decoded(mut self, decoded: Option<Decoded>) -> Self {
        self.decoded = decoded;
        self
    }

    /// A severity other than the rule's default, for a rule whose weight
    /// depends on the profile; a configured severity still wins.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
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
