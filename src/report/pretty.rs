//! The human report: each finding as a miette diagnostic that shows the input
//! with the offending bytes underlined (secrets masked), the help and the spec.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode,
    SourceSpan, SpanContents,
};

use super::{plural, Outcome, Summary};
use crate::lint::{FileReport, Finding, Severity};

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            color: false,
            width: 100,
        }
    }
}

/// The masked text of one input, shared by its diagnostics.
#[derive(Clone)]
struct MaskedSource {
    name: Arc<str>,
    text: Arc<str>,
}

impl SourceCode for MaskedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_ref()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

struct Diag<'a> {
    finding: &'a Finding,
    source: MaskedSource,
    help: String,
    /// The finding's decoded view, shown as a related snippet.
    decoded: Option<DecodedDiag>,
}

/// A finding's decoded view (e.g. a DPoP proof's payload as JSON) rendered
/// as a second snippet with its own source.
struct DecodedDiag {
    title: String,
    source: miette::NamedSource<String>,
    labels: Vec<LabeledSpan>,
}

impl DecodedDiag {
    fn of(f: &Finding) -> Option<DecodedDiag> {
        let d = f.decoded.as_ref()?;
        let len = d.text.len();
        let labels = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let offset = l.span.offset.min(len);
                let span_len = l.span.len.min(len - offset);
                let text = Some(l.text.clone()).filter(|t| !t.is_empty());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(text, (offset, span_len))
                } else {
                    LabeledSpan::new_with_span(text, (offset, span_len))
                }
            })
            .collect();
        Some(DecodedDiag {
            title: d.title.clone(),
            source: miette::NamedSource::new(d.title.clone(), d.text.clone()),
            labels,
        })
    }
}

impl fmt::Debug for DecodedDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for DecodedDiag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for DecodedDiag {}

impl Diagnostic for DecodedDiag {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

impl fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.id))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        let d = self.decoded.as_ref()?;
        Some(Box::new(std::iter::once(d as &dyn Diagnostic)))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.finding.labels.is_empty() {
            None
        } else {
            Some(&self.source)
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.finding.labels.is_empty() {
            return None;
        }
        let len = self.source.text.len();
        Some(Box::new(self.finding.labels.iter().enumerate().map(
            move |(i, l)| {
                // Clamp: a span past the end would make miette drop the snippet.
                let offset = l.span.offset.min(len);
                let span_len = l.span.len.min(len - offset);
                let text = Some(l.text.clone()).filter(|t| !t.is_empty());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(text, (offset, span_len))
                } else {
                    LabeledSpan::new_with_span(text, (offset, span_len))
                }
            },
        )))
    }
}

fn help_text(f: &Finding) -> String {
    let mut s = String::new();
    if let Some(h) = &f.help {
        s.push_str(h);
        s.push('\n');
    }
    if let Some(r) = &f.rejected_by {
        if r.is_empty() {
            s.push_str("rejected by: no server profile (a warning everywhere)\n");
        } else {
            s.push_str(&format!("rejected by: {}\n", r.join(", ")));
        }
    }
    s.push_str(&format!(
        "spec: {} · docs: tokenlint explain {}",
        f.rule.spec, f.rule.id
    ));
    s
}

/// Renders one input's findings.
pub fn render_report(report: &FileReport, opts: Options) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_context_lines(1);
    let source = MaskedSource {
        name: report.source.name.as_str().into(),
        text: report.source.masked_text(&report.secrets).into(),
    };
    let mut out = String::new();
    for f in &report.findings {
        let d = Diag {
            finding: f,
            source: source.clone(),
            help: help_text(f),
            decoded: DecodedDiag::of(f),
        };
        if handler.render_report(&mut out, &d).is_err() {
            // Rendering into a String cannot fail for I/O reasons; fall back to one line.
            out.push_str(&format!("{}: {}: {}\n", f.severity, f.rule.id, f.message));
        }
        out.push('\n');
    }
    out
}

/// Renders every outcome and the closing summary.
pub fn render(outcomes: &[Outcome], opts: Options) -> String {
    let mut out = String::new();
    for o in outcomes {
        match o {
            Outcome::Linted(r) if r.findings.is_empty() => {}
            Outcome::Linted(r) => out.push_str(&render_report(r, opts)),
            Outcome::Failed { name, error } => {
                out.push_str(&format!("error: {name}: {error}\n\n"));
            }
        }
    }
    out.push_str(&summary_line(outcomes));
    out.push('\n');
    out
}

pub fn summary_line(outcomes: &[Outcome]) -> String {
    let s = Summary::of(outcomes);
    let clean = s.inputs
        - s.failed
        - outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Linted(r) if !r.findings.is_empty()))
            .count();
    let mut parts = vec![format!(
        "{}: {} clean",
        plural(s.inputs, "input checked", "inputs checked"),
        clean
    )];
    if s.with_errors > 0 {
        parts.push(format!("{} with errors", s.with_errors));
    }
    if s.failed > 0 {
        parts.push(format!("{} unreadable", s.failed));
    }
    format!(
        "{} — {}, {}, {}",
        parts.join(", "),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "info")
    )
}
