//! The human report: each finding as a miette diagnostic that shows the input
//! with the offending bytes underlined (secrets masked), the help and the spec.
//!
//! Nothing from the input reaches the terminal raw: the message, labels, help
//! and file name are [`printable`]; the snippet's text has each control
//! character replaced by its escape (`\x1b`, `\u009b`, …), and the spans move
//! with it, so an underline covers the escape of the character it points at
//! and the lines after it stay aligned. (The other way, one visible glyph per
//! control character such as `␛`, would keep the columns but not say which
//! C1 character it was; an escape reads the same as in the other reports.)
//! Tabs stay: miette expands them. The line break of a CRLF line is not shown.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode,
    SourceSpan, SpanContents,
};

use super::Outcome;
use crate::lint::{FileReport, Finding, Severity};
use crate::text::{is_unsafe_for_display, printable, push_escaped};

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
    /// Per line of `text`: what of the input it shows (to report the real
    /// column).
    windows: Vec<Window>,
}

impl Chunk {
    /// Where input offset `o` (on one of the chunk's lines) is shown.
    fn place(&self, o: usize) -> usize {
        self.windows
            .iter()
            .find(|w| o >= w.line.start && o <= w.line.end)
            .or(self.windows.last())
            .map_or(self.base, |w| w.place(self.base, o))
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

/// One character of the input shown as something else: a control
/// character as its escape, or a CRLF's CR as nothing.
#[derive(Clone, Copy, Debug)]
struct Escape {
    /// Where the character is, in the input.
    at: usize,
    /// Its length in the input and in the text shown.
    input_len: usize,
    shown_len: usize,
}

/// How offsets into an input move when some of its characters are shown
/// escaped.
#[derive(Clone, Debug, Default)]
struct Escapes(Vec<Escape>);

impl Escapes {
    /// Appends `piece` (input bytes from offset `from`) to `out`, each
    /// control character escaped but tabs; with `drop_cr`, a CR that ends
    /// the piece (the CR of a CRLF) is left out.
    fn push(&mut self, piece: &str, from: usize, drop_cr: bool, out: &mut String) {
        let mut plain = 0;
        for (i, c) in piece.char_indices() {
            if c == '\t' || !is_unsafe_for_display(c) {
                continue;
            }
            out.push_str(&piece[plain..i]);
            let before = out.len();
            let last = i + c.len_utf8() == piece.len();
            if !(drop_cr && last && c == '\r') {
                push_escaped(c, out);
            }
            self.0.push(Escape {
                at: from + i,
                input_len: c.len_utf8(),
                shown_len: out.len() - before,
            });
            plain = i + c.len_utf8();
        }
        out.push_str(&piece[plain..]);
    }

    /// How far input offset `o` (on a character boundary) moves when shown.
    fn shift(&self, o: usize) -> isize {
        self.0
            .iter()
            .take_while(|e| e.at < o)
            .map(|e| e.shown_len as isize - e.input_len as isize)
            .sum()
    }

    /// The input offset shown `rel` bytes after input offset `from` (inside
    /// an escape: the escaped character's start).
    fn unshift(&self, from: usize, rel: usize) -> usize {
        let (mut input, mut rel) = (from, rel);
        for e in self.0.iter().filter(|e| e.at >= from) {
            let plain = e.at - input;
            if rel <= plain {
                return input + rel;
            }
            rel -= plain;
            if rel < e.shown_len {
                return e.at;
            }
            rel -= e.shown_len;
            input = e.at + e.input_len;
        }
        input + rel
    }
}

/// The part of one input line that a snippet shows.
#[derive(Clone, Debug, Default)]
struct Window {
    /// The whole line, in the input.
    line: Bytes,
    /// The part shown, in the input.
    shown: Bytes,
    /// Where the part shown starts in the chunk's text.
    at: usize,
    /// Where the snippet's line starts in its text (before any ellipsis).
    line_at: usize,
    /// The characters of the part shown that are escaped.
    escapes: Escapes,
}

impl Window {
    /// Where input offset `o` is shown, as an offset into `base + text`
    /// (clamped into the part shown).
    fn place(&self, base: usize, o: usize) -> usize {
        let o = o.clamp(self.shown.start, self.shown.end);
        let rel = (o - self.shown.start) as isize + self.escapes.shift(o);
        base + self.at + rel.max(0) as usize
    }

    /// The byte column in the input of `col` bytes into the snippet's line.
    fn input_column(&self, col: usize) -> usize {
        let t = self.line_at + col;
        let input = if t <= self.at {
            self.shown.start
        } else {
            self.escapes
                .unshift(self.shown.start, t - self.at)
                .min(self.shown.end)
        };
        input - self.line.start
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
                windows: Vec::new(),
            };
            for line in first_line..=last_line {
                if line > first_line {
                    chunk.text.push('\n');
                }
                let bounds = source.line_bounds(line);
                let shown = crop(masked, &bounds, &spans, max_line);
                let window = push_window(&mut chunk.text, masked, bounds, shown);
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

/// Appends the `shown` part of `line` to `text`, control characters
/// escaped, with an ellipsis on each side that is cut; returns the window.
fn push_window(
    text: &mut String,
    masked: &crate::source::Masked<'_>,
    line: Range<usize>,
    shown: Bytes,
) -> Window {
    let line_at = text.len();
    if shown.start > line.start {
        text.push_str(ELLIPSIS);
    }
    let at = text.len();
    let mut piece = String::new();
    masked.push_range(shown.start..shown.end, &mut piece);
    // The line ends before its LF: a CR there is the CRLF's.
    let crlf = shown.end == line.end && masked.len() > line.end;
    let mut escapes = Escapes::default();
    escapes.push(&piece, shown.start, crlf, text);
    if shown.end < line.end {
        text.push_str(ELLIPSIS);
    }
    let line = Bytes {
        start: line.start,
        end: line.end,
    };
    Window {
        line,
        shown,
        at,
        line_at,
        escapes,
    }
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
        // miette counts columns in bytes of the text it reads; report the
        // input's, before cropping and escaping.
        let column = match chunk.windows.get(inner.line()) {
            Some(w) if context_lines_before == 0 => w.input_column(inner.column()),
            _ => inner.column(),
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            printable(&self.name).into_owned(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + chunk.base).into(),
                inner.span().len(),
            ),
            inner.line() + chunk.first_line,
            column,
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
        // The text keeps its lines; its control characters are escaped.
        let mut text = String::with_capacity(len);
        let mut escapes = Escapes::default();
        for (i, line) in d.text.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            let from = line.as_ptr() as usize - d.text.as_ptr() as usize;
            escapes.push(line, from, false, &mut text);
        }
        let place = |o: usize| -> usize {
            let o = crate::source::floor_char_boundary(&d.text, o.min(len));
            (o as isize + escapes.shift(o)).max(0) as usize
        };
        let labels = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let start = place(l.span.offset);
                let end = place(l.span.offset.saturating_add(l.span.len)).max(start);
                let label = Some(printable(&l.text).into_owned()).filter(|t| !t.is_empty());
                if i == 0 {
                    LabeledSpan::new_primary_with_span(label, (start, end - start))
                } else {
                    LabeledSpan::new_with_span(label, (start, end - start))
                }
            })
            .collect();
        let title = printable(&d.title).into_owned();
        Some(DecodedDiag {
            title: title.clone(),
            source: miette::NamedSource::new(title, text),
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
        f.write_str(&printable(&self.finding.message))
    }
}

impl fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(&self.finding.message))
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
        s.push_str(&printable(h));
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
        // Lines wrap at spaces only: a rule id, a URL or a command such as
        // `tokenlint explain dpop/htu-mismatch` stays whole, to copy, where
        // textwrap's defaults cut it at hyphens and slashes (Unicode line
        // breaking, UAX #14, and hyphen splitting); and that segmenter
        // was two fifths of rendering a pretty report.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
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
                Some(shape) => format!("{} ({shape})", printable(&l.text)),
                None => printable(&l.text).into_owned(),
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
            let message = printable(&f.message);
            out.push_str(&format!("{}: {}: {message}\n", f.severity, f.rule.id));
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
                    printable(&r.source.name)
                ));
            }
            out
        }
        Outcome::Failed { name, error } => {
            format!("error: {}: {}\n\n", printable(name), printable(error))
        }
        // Counted in the summary line instead (Outcome::Skipped::foreign).
        Outcome::Skipped { foreign: true, .. } => String::new(),
        Outcome::Skipped { name, reason, .. } => {
            format!(
                "note: {}: skipped: {}\n\n",
                printable(name),
                printable(reason)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Decoded, Label};
    use crate::source::Source;
    use crate::span::Span;

    fn report(name: &str, text: &str, findings: Vec<Finding>) -> FileReport {
        FileReport {
            source: Source::new(name, text),
            findings,
            secrets: Vec::new(),
            redactor: Default::default(),
            dpop_jti: None,
            expected_errors: false,
            clock: None,
        }
    }

    fn finding(message: &str) -> Finding {
        let rule = crate::lint::find_rule("grant/unknown-parameter").unwrap();
        Finding::new(rule, message)
    }

    /// The column (in characters) where `needle` starts on the first
    /// rendered line holding it, and that line's index.
    fn find(lines: &[&str], needle: &str) -> (usize, usize) {
        let (i, line) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in {lines:#?}"));
        let byte = line.find(needle).unwrap();
        (i, line[..byte].chars().count())
    }

    /// Whether the line below line `i` underlines exactly columns
    /// `col..col + width` (or more, to the left, for an adjacent label).
    fn underlined_at(lines: &[&str], i: usize, col: usize, width: usize) -> bool {
        let under: Vec<char> = lines[i + 1].chars().collect();
        let is_line = |c: Option<&char>| matches!(c, Some('─' | '┬'));
        (col..col + width).all(|c| is_line(under.get(c))) && !is_line(under.get(col + width))
    }

    fn assert_no_controls(out: &str) {
        let raw = out
            .chars()
            .find(|&c| c != '\n' && crate::text::is_unsafe_for_display(c));
        assert_eq!(raw, None, "{out}");
    }

    /// Each underline sits under the escape of the characters it points at,
    /// however many characters before it are shown escaped, on a cropped
    /// line too; the header reports the input's column; a CRLF's CR is not
    /// shown.
    #[test]
    fn labels_stay_under_their_text_when_controls_are_escaped() {
        let line1 = "a\x1b]52;c;eA==\x07b \u{9b}TARGET\x1b[2J tail";
        let line2 = format!("{}\x1b[31m X", "y".repeat(300));
        let text = format!("{line1}\r\n{line2}\r\nlast");
        let target = text.find("TARGET").unwrap();
        let esc = text.find("\x1b[2J").unwrap();
        let x = text.find(" X").unwrap() + 1;
        let f = finding("a message with \x1b]0;title\x07 in it")
            .label(Span::new(target, 6), "the target\x1b[1m")
            .label(Span::new(esc, 1), "an escape");
        let g = finding("second").label(Span::new(x, 1), "x");
        let r = report("name\x1b[0m\n.json", &text, vec![f, g]);
        let out = render_report(&r, Options::default());
        assert_no_controls(&out);
        let lines: Vec<&str> = out.lines().collect();
        let (i, col) = find(&lines, "TARGET");
        assert!(underlined_at(&lines, i, col, 6 + 4), "{out}");
        assert_eq!(lines[i + 1].chars().nth(col - 1), Some(' '), "{out}");
        let (j, col) = find(&lines, "\\x1b[2J");
        assert_eq!(i, j);
        assert!(underlined_at(&lines, i, col, 4), "{out}");
        let (k, col) = find(&lines, " X");
        assert!(underlined_at(&lines, k, col + 1, 1), "{out}");
        // The header names the input's line and byte column.
        assert!(
            out.contains(&format!("[name\\x1b[0m\\n.json:1:{}]", target + 1)),
            "{out}"
        );
        let line2_start = line1.len() + 2;
        assert!(
            out.contains(&format!(":2:{}]", x - line2_start + 1)),
            "{out}"
        );
        assert!(!out.contains("\\r"), "{out}");
        assert!(
            out.contains("a message with \\x1b]0;title\\x07 in it"),
            "{out}"
        );
        assert!(out.contains("the target\\x1b[1m"), "{out}");
    }

    /// The decoded view (a proof's header as JSON) keeps its lines; its
    /// controls are escaped and its labels follow.
    #[test]
    fn decoded_views_are_escaped_with_their_labels() {
        let text = "{\n  \"typ\": \"dpop+jwt\u{9b}\u{202e}\",\n  \"alg\": \"ES256\"\n}";
        let alg = text.find("\"ES256\"").unwrap();
        let mut f = finding("decoded");
        f.decoded = Some(Decoded {
            title: "header\x1b[2J".into(),
            text: text.into(),
            labels: vec![Label {
                span: Span::new(alg, 7),
                text: "here".into(),
            }],
        });
        let r = report("x.json", "{}", vec![f]);
        let out = render_report(&r, Options::default());
        assert_no_controls(&out);
        assert!(out.contains("\"dpop+jwt\\u009b\\u202e\""), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        let (i, col) = find(&lines, "\"ES256\"");
        assert!(underlined_at(&lines, i, col, 7), "{out}");
    }

    #[test]
    fn unreadable_inputs_are_named_on_one_line() {
        let o = Outcome::Failed {
            name: "a\nb\x1b.json".into(),
            error: "gone\r".into(),
        };
        let out = render_outcome(&o, Options::default());
        assert_eq!(out, "error: a\\nb\\x1b.json: gone\\r\n\n");
    }
}
