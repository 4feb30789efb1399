//! The human report: each finding as a miette diagnostic that shows the input
//! with the offending bytes underlined (secrets masked), the help and the spec.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode,
    SourceSpan, SpanContents,
};

use super::Outcome;
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
/// snippet as wide as that shows nothing. Only the lines near a label are
/// taken (a chunk per group of nearby labels): a duplicate on line 8,000 of
/// a field first seen on line 2 shows lines 1–3 and 7,999–8,001, not the
/// 8,000 lines between, so a report's size follows its findings, not the
/// distance between their labels.
struct Snippet {
    name: Arc<str>,
    chunks: Vec<Chunk>,
    /// The labels, as offsets into the chunks (see [`Chunk::base`]).
    labels: Vec<Bytes>,
}

/// Consecutive lines of the input as a snippet shows them.
struct Chunk {
    /// The cropped lines.
    text: String,
    /// Where `text` starts among the offsets miette is given: the input
    /// offset of its first line, or just past the chunk before when cropping
    /// made that one longer than the input's lines.
    base: usize,
    /// 0-based line number of the first line of `text`.
    first_line: usize,
    /// Per line of `text`: bytes cut from its start (to report the real
    /// column).
    cut_chars: Vec<usize>,
    /// Per line: which part of the input line is shown, and where.
    windows: Vec<Window>,
}

impl Chunk {
    /// Where input offset `o` (on one of the chunk's lines) is shown.
    fn place(&self, o: usize) -> usize {
        let w = self
            .windows
            .iter()
            .find(|w| o >= w.line.start && o <= w.line.end)
            .or(self.windows.last())
            .copied()
            .unwrap_or_default();
        w.place(self.base, o)
    }

    fn end(&self) -> usize {
        self.base + self.text.len()
    }
}

/// A byte range, `start..end`.
#[derive(Clone, Copy, Debug, Default)]
struct Bytes {
    start: usize,
    end: usize,
}

impl Bytes {
    fn len(self) -> usize {
        self.end - self.start
    }

    fn overlaps(self, line: &Range<usize>) -> bool {
        self.start <= line.end && self.end >= line.start
    }
}

/// The part of one input line that a snippet shows.
#[derive(Clone, Copy, Debug, Default)]
struct Window {
    /// The whole line, in the input.
    line: Bytes,
    /// The part shown, in the input.
    shown: Bytes,
    /// Where the part shown starts in the chunk's text.
    at: usize,
}

impl Window {
    /// Where input offset `o` is shown, as an offset into `base + text`
    /// (clamped into the part shown).
    fn place(&self, base: usize, o: usize) -> usize {
        base + self.at + (o.clamp(self.shown.start, self.shown.end) - self.shown.start)
    }
}

const ELLIPSIS: &str = "…";
/// Characters kept on each side of the labels on a cropped line.
const CROP_CONTEXT: usize = 24;
/// Lines shown around a label (the handler's context lines).
const CONTEXT_LINES: usize = 1;

impl Snippet {
    fn build(
        source: &crate::source::Source,
        masked: &crate::source::Masked<'_>,
        name: &Arc<str>,
        spans: &[crate::span::Span],
        max_line: usize,
    ) -> Snippet {
        let spans: Vec<Bytes> = spans
            .iter()
            .map(|s| {
                let start = masked.floor_char_boundary(s.offset);
                let mut end = masked.ceil_char_boundary(s.end()).max(start);
                // A value over several lines (a PEM given as a flag) is
                // underlined on its first: the report does not echo it all.
                let first = source.line_index(start);
                if source.line_index(end) > first + 1 {
                    end = source.line_bounds(first).end.max(start);
                }
                Bytes { start, end }
            })
            .collect();
        let last_line = source.line_count() - 1;
        // The lines each label needs, with its context; ranges that touch
        // (or leave one line between them) make one chunk.
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let first = source.line_index(s.start).saturating_sub(CONTEXT_LINES);
                let last = (source.line_index(s.end) + CONTEXT_LINES).min(last_line);
                (first, last)
            })
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 + 2 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut chunks: Vec<Chunk> = Vec::with_capacity(merged.len());
        for (first_line, last_line) in merged {
            let start = source.line_bounds(first_line).start;
            let base = chunks.last().map_or(start, |c| start.max(c.end() + 1));
            let mut chunk = Chunk {
                text: String::new(),
                base,
                first_line,
                cut_chars: Vec::new(),
                windows: Vec::new(),
            };
            for line in first_line..=last_line {
                if line > first_line {
                    chunk.text.push('\n');
                }
                let bounds = source.line_bounds(line);
                let shown = crop(masked, &bounds, &spans, max_line);
                let (cut, window) = push_window(&mut chunk.text, masked, bounds, shown);
                chunk.cut_chars.push(cut);
                chunk.windows.push(window);
            }
            chunks.push(chunk);
        }
        let chunk_of = |o: usize| -> Option<&Chunk> {
            let line = source.line_index(o);
            chunks
                .iter()
                .find(|c| line >= c.first_line && line < c.first_line + c.windows.len())
        };
        let labels = spans
            .iter()
            .map(|s| match chunk_of(s.start) {
                Some(c) => {
                    let start = c.place(s.start);
                    Bytes {
                        start,
                        end: c.place(s.end).max(start),
                    }
                }
                None => Bytes::default(),
            })
            .collect();
        Snippet {
            name: Arc::clone(name),
            chunks,
            labels,
        }
    }
}

/// The part of `line` to show: all of it when it fits in `max_line`
/// characters, else the labels on it with [`CROP_CONTEXT`] around them (or
/// its start, when no label is on it).
fn crop(
    masked: &crate::source::Masked<'_>,
    line: &Range<usize>,
    spans: &[Bytes],
    max_line: usize,
) -> Bytes {
    let whole = Bytes {
        start: line.start,
        end: line.end,
    };
    // Only the lines shown are copied (masked) from the input.
    if whole.len() <= max_line || masked.char_count(line.clone()) <= max_line {
        return whole;
    }
    let on_line: Vec<&Bytes> = spans.iter().filter(|s| s.overlaps(line)).collect();
    let (start, end) = if on_line.is_empty() {
        (line.start, line.start + max_line)
    } else {
        let lo = on_line.iter().map(|s| s.start.max(line.start)).min();
        let hi = on_line.iter().map(|s| s.end.min(line.end)).max();
        let start = lo
            .unwrap_or(line.start)
            .saturating_sub(CROP_CONTEXT)
            .max(line.start);
        let end = (hi.unwrap_or(line.end) + CROP_CONTEXT)
            .min(line.end)
            .min(start + max_line);
        (start, end)
    };
    Bytes {
        start: masked.floor_char_boundary(start.max(line.start)),
        end: masked.ceil_char_boundary(end.min(line.end)),
    }
}

/// Appends the `shown` part of `line` to `text`, with an ellipsis on each
/// side that is cut; returns the bytes cut from the line's start and the
/// window.
fn push_window(
    text: &mut String,
    masked: &crate::source::Masked<'_>,
    line: Range<usize>,
    shown: Bytes,
) -> (usize, Window) {
    let cut = if shown.start > line.start {
        text.push_str(ELLIPSIS);
        // miette counts columns in bytes; the ellipsis stands in for the cut.
        (shown.start - line.start).saturating_sub(ELLIPSIS.len())
    } else {
        0
    };
    let at = text.len();
    masked.push_range(shown.start..shown.end, text);
    if shown.end < line.end {
        text.push_str(ELLIPSIS);
    }
    let line = Bytes {
        start: line.start,
        end: line.end,
    };
    (cut, Window { line, shown, at })
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // A span within one chunk (miette asks for two labels together only
        // when their lines are near; across chunks it shows them apart).
        let end = span.offset() + span.len();
        let chunk = self
            .chunks
            .iter()
            .find(|c| span.offset() >= c.base && end <= c.end())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((span.offset() - chunk.base).into(), span.len());
        let inner =
            chunk
                .text
                .as_str()
                .read_span(&local, context_lines_before, context_lines_after)?;
        let cut = chunk.cut_chars.get(inner.line()).copied().unwrap_or(0);
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + chunk.base).into(),
                inner.span().len(),
            ),
            inner.line() + chunk.first_line,
            inner.column() + cut,
            inner.line_count(),
        )))
    }
}

struct Diag<'a> {
    finding: &'a Finding,
    source: Snippet,
    /// Each label's text, with the shape of the masked value it underlines.
    label_texts: Vec<String>,
    help: String,
}

/// A finding's decoded view (e.g. a DPoP proof's payload as JSON) rendered
/// after the finding as a report of its own, titled, with its own source.
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
                .map(|(i, (_, at))| {
                    let text = self.label_texts.get(i).cloned().filter(|t| !t.is_empty());
                    if i == 0 {
                        LabeledSpan::new_primary_with_span(text, (at.start, at.len()))
                    } else {
                        LabeledSpan::new_with_span(text, (at.start, at.len()))
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
            // Each server with how its profile is known (measured, read).
            let named: Vec<String> = r
                .iter()
                .map(|n| match crate::lint::profile::get(n) {
                    Some(p) => format!("{n} ({})", p.known_by.as_str()),
                    None => n.clone(),
                })
                .collect();
            s.push_str(&format!("rejected by: {}\n", named.join(", ")));
        }
    }
    s.push_str(&format!("spec: {}", f.rule.spec));
    if let Some(cmd) = f.rule.explain_command() {
        s.push_str(&format!(" · docs: {cmd}"));
    }
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
        .with_context_lines(CONTEXT_LINES);
    let name: Arc<str> = report.source.name.as_str().into();
    let masked = report.masked_source();
    let max_line = opts.width.saturating_sub(14).max(40);
    let mut out = String::new();
    for f in &report.findings {
        let spans: Vec<_> = f.labels.iter().map(|l| l.span).collect();
        let label_texts = f
            .labels
            .iter()
            .map(|l| match masked.masked_shape(l.span.offset, l.span.end()) {
                Some(shape) if l.text.is_empty() => shape,
                Some(shape) => format!("{} ({shape})", l.text),
                None => l.text.clone(),
            })
            .collect();
        let d = Diag {
            finding: f,
            label_texts,
            source: Snippet::build(&report.source, &masked, &name, &spans, max_line),
            help: help_text(f),
        };
        if handler.render_report(&mut out, &d).is_err() {
            // Rendering into a String cannot fail for I/O reasons; fall back to one line.
            out.push_str(&format!("{}: {}: {}\n", f.severity, f.rule.id, f.message));
        }
        // The decoded view follows as a report of its own: as miette's related
        // diagnostic it would sit under a heading of its severity alone ("Advice:"),
        // with nothing after it.
        if let Some(decoded) = DecodedDiag::of(f) {
            out.push('\n');
            // As above: on failure the finding's line already says what matters.
            let _ = handler.render_report(&mut out, &decoded);
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
            if let Some(t) = &r.clock {
                out.push_str(&format!(
                    "note: {}: judged at {}, the capture's time ({}); --now to override\n\n",
                    r.source.name,
                    crate::clock::format_rfc3339(t.at),
                    t.from.as_str()
                ));
            }
            if r.expected_errors {
                out.push_str(&format!(
                    "note: {}: errors expected here (expect-errors in the configuration); \
                     they do not fail the run\n\n",
                    r.source.name
                ));
            }
            out
        }
        Outcome::Failed { name, error } => format!("error: {name}: {error}\n\n"),
        Outcome::Skipped { name, reason } => format!("note: {name}: skipped: {reason}\n\n"),
    }
}
