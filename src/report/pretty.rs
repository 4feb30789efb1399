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

/// The lines around one finding's labels, taken from the masked text, with
/// every line longer than the terminal cropped around the labels on it: a
/// fixture often holds a 2 KB `parameters` or DPoP proof on one line, and a
/// snippet as wide as that shows nothing.
struct Snippet {
    name: Arc<str>,
    /// The cropped lines; offsets in it are `base` less than in the input.
    text: String,
    base: usize,
    /// 0-based line number of the first line of `text`.
    first_line: usize,
    /// Per line of `text`: bytes cut from its start (to report the real
    /// column).
    cut_chars: Vec<usize>,
    /// The labels, as offsets into `base + text`.
    labels: Vec<(usize, usize)>,
}

const ELLIPSIS: &str = "…";
/// Characters kept on each side of the labels on a cropped line.
const CROP_CONTEXT: usize = 24;

impl Snippet {
    fn build(
        source: &crate::source::Source,
        masked: &crate::source::Masked<'_>,
        name: &Arc<str>,
        spans: &[crate::span::Span],
        max_line: usize,
    ) -> Snippet {
        let spans: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let a = masked.floor_char_boundary(s.offset);
                (a, masked.ceil_char_boundary(s.end()).max(a))
            })
            .collect();
        let first = spans
            .iter()
            .map(|s| source.line_index(s.0))
            .min()
            .unwrap_or(0);
        let last = spans
            .iter()
            .map(|s| source.line_index(s.1))
            .max()
            .unwrap_or(0);
        let first_line = first.saturating_sub(1);
        let last_line = (last + 1).min(source.line_count() - 1);
        let base = source.line_bounds(first_line).start;
        let mut text = String::new();
        let mut cut_chars = Vec::new();
        // Per line: (line start, window start, window end, local start of the window).
        let mut windows = Vec::new();
        for line in first_line..=last_line {
            let b = source.line_bounds(line);
            let on_line: Vec<&(usize, usize)> = spans
                .iter()
                .filter(|(a, e)| *a <= b.end && *e >= b.start)
                .collect();
            let (mut ws, mut we) = (b.start, b.end);
            // Only the lines shown are copied (masked) from the input.
            if b.end - b.start > max_line && masked.char_count(b.clone()) > max_line {
                if on_line.is_empty() {
                    we = b.start + max_line;
                } else {
                    let lo = on_line
                        .iter()
                        .map(|s| s.0.max(b.start))
                        .min()
                        .unwrap_or(b.start);
                    let hi = on_line
                        .iter()
                        .map(|s| s.1.min(b.end))
                        .max()
                        .unwrap_or(b.end);
                    ws = lo.saturating_sub(CROP_CONTEXT).max(b.start);
                    we = (hi + CROP_CONTEXT).min(b.end).min(ws + max_line);
                }
                ws = masked.floor_char_boundary(ws.max(b.start));
                we = masked.ceil_char_boundary(we.min(b.end));
            }
            if line > first_line {
                text.push('\n');
            }
            let cut = if ws > b.start {
                text.push_str(ELLIPSIS);
                // miette counts columns in bytes; the ellipsis stands in for the cut.
                (ws - b.start).saturating_sub(ELLIPSIS.len())
            } else {
                0
            };
            cut_chars.push(cut);
            let local = text.len();
            masked.push_range(ws..we, &mut text);
            if we < b.end {
                text.push_str(ELLIPSIS);
            }
            windows.push((b.start, b.end, ws, we, local));
        }
        let map = |o: usize| -> usize {
            let w = windows
                .iter()
                .find(|(s, e, ..)| o >= *s && o <= *e)
                .or(windows.last())
                .copied()
                .unwrap_or((0, 0, 0, 0, 0));
            base + w.4 + (o.clamp(w.2, w.3) - w.2)
        };
        let labels = spans
            .iter()
            .map(|&(a, e)| (map(a), map(e).max(map(a))))
            .collect();
        Snippet {
            name: Arc::clone(name),
            text,
            base,
            first_line,
            cut_chars,
            labels,
        }
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.base).into(), span.len());
        let inner =
            self.text
                .as_str()
                .read_span(&local, context_lines_before, context_lines_after)?;
        let cut = self.cut_chars.get(inner.line()).copied().unwrap_or(0);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.base).into(),
                inner.span().len(),
            ),
            inner.line() + self.first_line,
            inner.column() + cut,
            inner.line_count(),
        )))
    }
}

struct Diag<'a> {
    finding: &'a Finding,
    source: Snippet,
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
        Some(Box::new(
            self.finding
                .labels
                .iter()
                .zip(&self.source.labels)
                .enumerate()
                .map(|(i, (l, &(start, end)))| {
                    let text = Some(l.text.clone()).filter(|t| !t.is_empty());
                    if i == 0 {
                        LabeledSpan::new_primary_with_span(text, (start, end - start))
                    } else {
                        LabeledSpan::new_with_span(text, (start, end - start))
                    }
                }),
        ))
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
    let name: Arc<str> = report.source.name.as_str().into();
    let masked = report.source.masked_text(&report.secrets);
    let max_line = opts.width.saturating_sub(14).max(40);
    let mut out = String::new();
    for f in &report.findings {
        let spans: Vec<_> = f.labels.iter().map(|l| l.span).collect();
        let d = Diag {
            finding: f,
            source: Snippet::build(&report.source, &masked, &name, &spans, max_line),
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

/// Renders one input: its findings, or why it could not be read.
pub fn render_outcome(o: &Outcome, opts: Options) -> String {
    match o {
        Outcome::Linted(r) if r.findings.is_empty() => String::new(),
        Outcome::Linted(r) => {
            let mut out = render_report(r, opts);
            if r.expected_errors {
                out.push_str(&format!(
                    "note: {}: errors expected here (expect-errors in the configuration); they do not fail the run\n\n",
                    r.source.name
                ));
            }
            out
        }
        Outcome::Failed { name, error } => format!("error: {name}: {error}\n\n"),
    }
}

/// Renders every outcome and the closing summary.
pub fn render(outcomes: &[Outcome], opts: Options) -> String {
    super::stream::render_all(super::stream::Format::Pretty(opts), outcomes)
}

pub fn summary_line(s: &Summary) -> String {
    let mut parts = vec![format!(
        "{}: {} clean",
        plural(s.inputs, "input checked", "inputs checked"),
        s.clean
    )];
    if s.with_errors > 0 {
        parts.push(format!("{} with errors", s.with_errors));
    }
    if s.with_expected_errors > 0 {
        parts.push(format!("{} with expected errors", s.with_expected_errors));
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
