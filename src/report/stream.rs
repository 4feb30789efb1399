//! Writing a report one input at a time, so that `check` over ten thousand
//! files holds only the inputs in flight, not all of them.
//!
//! Rendering is split in two: [`Format::item`] turns one input into its part
//! of the report (pure, so it runs on the thread that linted the input), and
//! [`Writer::push`] writes the parts in order and counts the summary. The
//! JSON and SARIF documents are streamed too: their head is written first,
//! each result as it comes, the closing brackets and summary at the end.
//! YAML is streamed the same way. TOON declares the number of results
//! before them: its rendered results wait in a [`Spool`], in memory up to a
//! budget and then in a temporary file; so do the table's rows, whose
//! columns are as wide as the widest cell, known at the end. One format
//! keeps something per input: the whole document for `--jq` (each input's
//! JSON results, not the input).

use std::io::{self, Write};

use serde_json::Value;

use super::structured::{self, Spool};
use super::{github, json, pretty, sarif, table, Outcome, Summary};

/// What the report is written as.
#[derive(Clone, Copy, Debug)]
pub enum Format {
    Pretty(pretty::Options),
    Json,
    Sarif,
    Github,
    Table,
    Yaml,
    Toon,
    /// The JSON report as a [`Value`], returned by [`Writer::finish`] for the
    /// caller to use (`--jq`); nothing is written.
    Document,
}

/// One input's part of the report.
#[derive(Debug)]
pub enum Item {
    Text(String),
    /// `count` elements of the document's `results` array, printed at
    /// their depth, joined by `,\n`.
    Elements {
        text: Vec<u8>,
        count: usize,
    },
    Value(Value),
    /// Table rows, kept until the columns' widths are known.
    Rows(table::Rows),
    /// A YAML list item of the document's `results`.
    Listed(String),
    /// A TOON element of `results`, kept until their number is known.
    Spooled(String),
}

impl Format {
    /// Renders one input's part of the report.
    pub fn item(&self, o: &Outcome) -> Item {
        match self {
            Format::Pretty(opts) => Item::Text(pretty::render_outcome(o, *opts)),
            Format::Json => {
                let mut text = Vec::new();
                // Writing into memory cannot fail for I/O reasons.
                let _ = json::write_result(o, JSON_DEPTH, &mut text);
                Item::Elements { text, count: 1 }
            }
            Format::Sarif => {
                let results = sarif::results(o);
                let mut text = Vec::new();
                for (i, r) in results.iter().enumerate() {
                    if i > 0 {
                        text.extend_from_slice(b",\n");
                    }
                    let _ = write_pretty(r, SARIF_DEPTH, &mut text);
                }
                Item::Elements {
                    text,
                    count: results.len(),
                }
            }
            Format::Github => Item::Text(github::annotations(o)),
            Format::Table => Item::Rows(table::rows(o)),
            Format::Yaml => Item::Listed(structured::yaml_result(&json::result(o))),
            Format::Toon => Item::Spooled(structured::toon_result(&json::result(o))),
            Format::Document => Item::Value(json::result_value(o)),
        }
    }
}

fn pretty_json(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// How deep the elements of `results` are in the JSON report
/// (`{"results": [`) and in SARIF (`{"runs": [{"results": [`): they are
/// printed there, and [`Frame::of`] finds the same.
const JSON_DEPTH: usize = 2;
const SARIF_DEPTH: usize = 4;

/// serde_json's `PrettyFormatter` (two spaces a level), starting `depth`
/// levels in: a value printed where it sits in the document, with no
/// second pass to indent it.
struct AtDepth {
    depth: usize,
    has_value: bool,
}

fn write_indent<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl AtDepth {
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            w.write_all(b"\n")?;
            write_indent(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        write_indent(w, self.depth)
    }
}

impl serde_json::ser::Formatter for AtDepth {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` pretty-printed `depth` levels deep, its first line indented
/// too, appended to `out`.
pub(super) fn write_pretty(
    value: &impl serde::Serialize,
    depth: usize,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    write_indent(out, depth)?;
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        AtDepth {
            depth,
            has_value: false,
        },
    );
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// A document with an empty `results` array, pretty-printed, cut where the
/// results go: the text up to and including `"results": [`, the text from
/// its `]` on, and the indentation of the array's elements.
struct Frame {
    head: String,
    tail: String,
    indent: usize,
}

impl Frame {
    fn of(doc: &Value) -> Frame {
        const MARKER: &str = "\"results\": []";
        let text = pretty_json(doc);
        // `results` is the last member of its object: the last occurrence.
        let at = text.rfind(MARKER).unwrap_or(text.len());
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let indent = text[line_start..at].len() + 2;
        let open = (at + MARKER.len() - 1).min(text.len());
        Frame {
            head: text[..open].to_owned(),
            tail: text[open..].to_owned(),
            indent,
        }
    }
}

/// What a finished report leaves: its summary, and the document for
/// [`Format::Document`].
#[derive(Debug)]
pub struct Finished {
    pub summary: Summary,
    pub document: Option<Value>,
}

/// Writes the parts of a report in order.
pub struct Writer<W: Write> {
    format: Format,
    out: W,
    summary: Summary,
    frame: Option<Frame>,
    elements: usize,
    values: Vec<Value>,
    /// The widest cell of each padded table column so far.
    widths: table::Widths,
    /// TOON results, or table records, kept until the end.
    spool: Spool,
}

impl<W: Write> Writer<W> {
    /// Starts a report: writes the head of a JSON or SARIF document.
    pub fn new(format: Format, mut out: W) -> io::Result<Writer<W>> {
        let frame = match format {
            Format::Json => Some(Frame::of(&json::document(Vec::new(), None))),
            Format::Sarif => Some(Frame::of(&sarif::document(Vec::new()))),
            _ => None,
        };
        if let Some(f) = &frame {
            out.write_all(f.head.as_bytes())?;
        }
        match format {
            Format::Yaml => out.write_all(structured::yaml_head(&json::head()).as_bytes())?,
            Format::Toon => out.write_all(structured::toon_head(&json::head()).as_bytes())?,
            _ => {}
        }
        Ok(Writer {
            format,
            out,
            summary: Summary::default(),
            frame,
            elements: 0,
            values: Vec::new(),
            widths: [0; 4],
            spool: Spool::new(Spool::BUDGET),
        })
    }

    /// The most bytes of TOON results or table rows kept in memory at
    /// once (see [`Writer::spool_budget`]).
    pub fn spooled_peak(&self) -> usize {
        self.spool.peak()
    }

    /// Keeps at most `budget` bytes of TOON results or table rows in
    /// memory (the rest go to a temporary file).
    pub fn spool_budget(mut self, budget: usize) -> Self {
        self.spool = Spool::new(budget);
        self
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Adds one input, with its part rendered by [`Format::item`]. What
    /// the report keeps (a `--jq` value, table rows) is taken out of
    /// `item`; the rest is left to its owner to drop, so the thread that
    /// made it can free it (see `cli::in_order::Returns`).
    pub fn push(&mut self, o: &Outcome, item: &mut Item) -> io::Result<()> {
        self.summary.add(o);
        match item {
            Item::Text(t) => self.out.write_all(t.as_bytes())?,
            Item::Elements { text, count } => {
                if *count > 0 {
                    let sep = if self.elements == 0 { "\n" } else { ",\n" };
                    self.out.write_all(sep.as_bytes())?;
                    self.out.write_all(text)?;
                    self.elements += *count;
                }
            }
            Item::Value(v) => self.values.push(std::mem::take(v)),
            Item::Rows(r) => {
                self.spool.push(&r.records)?;
                self.widths = table::widest(self.widths, r.widths);
            }
            Item::Listed(t) => {
                if self.elements == 0 {
                    self.out.write_all(b"results:\n")?;
                }
                self.out.write_all(t.as_bytes())?;
                self.elements += 1;
            }
            Item::Spooled(t) => {
                self.spool.push(t)?;
                self.elements += 1;
            }
        }
        Ok(())
    }

    /// Hands what is written so far to the output (at the end of a batch:
    /// a reader sees the report grow while later inputs are linted).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Adds one input, rendering it here.
    pub fn write(&mut self, o: &Outcome) -> io::Result<()> {
        let mut item = self.format.item(o);
        self.push(o, &mut item)
    }

    /// Ends the report: closing brackets, the summary, the table.
    pub fn finish(mut self) -> io::Result<Finished> {
        let mut document = None;
        if let Some(frame) = &self.frame {
            if self.elements > 0 {
                // The `]` back at the depth of `"results"`.
                let close = format!("\n{}", " ".repeat(frame.indent - 2));
                self.out.write_all(close.as_bytes())?;
            }
        }
        match self.format {
            Format::Pretty(_) => {
                let line = self.summary.line();
                self.out.write_all(format!("{line}\n").as_bytes())?;
            }
            Format::Json => {
                // `"summary"` follows `"results"`: close the array, add it.
                let mut text = b"],\n  \"summary\": ".to_vec();
                // Written one level deep; its first line follows the key.
                let mut summary = Vec::new();
                write_pretty(&json::summary_value(&self.summary), 1, &mut summary)?;
                text.extend_from_slice(summary.trim_ascii_start());
                text.extend_from_slice(b"\n}\n");
                self.out.write_all(&text)?;
            }
            Format::Sarif => {
                let tail = self.frame.as_ref().map_or("", |f| &f.tail);
                self.out.write_all(format!("{tail}\n").as_bytes())?;
            }
            Format::Github => {}
            Format::Yaml => {
                if self.elements == 0 {
                    self.out.write_all(b"results: []\n")?;
                }
                let summary = json::summary_value(&self.summary);
                self.out
                    .write_all(structured::yaml_tail(&summary).as_bytes())?;
            }
            Format::Toon => {
                let line = structured::toon_results_line(self.elements);
                self.out.write_all(line.as_bytes())?;
                self.spool.copy_to(&mut self.out)?;
                let summary = json::summary_value(&self.summary);
                self.out
                    .write_all(structured::toon_tail(&summary).as_bytes())?;
            }
            Format::Table => {
                let records = self.spool.reader()?;
                table::write_table(records, self.widths, &self.summary, &mut self.out)?;
            }
            Format::Document => {
                let results = std::mem::take(&mut self.values);
                document = Some(json::document(results, Some(&self.summary)));
            }
        }
        self.out.flush()?;
        Ok(Finished {
            summary: self.summary,
            document,
        })
    }
}

/// The whole report of `outcomes` as one string.
pub fn render_all(format: Format, outcomes: &[Outcome]) -> String {
    let mut buf = Vec::new();
    let written = Writer::new(format, &mut buf).and_then(|mut w| {
        for o in outcomes {
            w.write(o)?;
        }
        w.finish()
    });
    match written {
        Ok(_) => String::from_utf8(buf).unwrap_or_default(),
        // Writing into memory cannot fail for I/O reasons.
        Err(e) => format!("cannot render the report: {e}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{self, Settings};
    use crate::request::fixture;

    fn outcomes() -> Vec<Outcome> {
        let s = Settings::with_now(1767225600);
        let bad = fixture::load_str(
            "bad.json",
            concat!(
                r#"{"parameters": "grant_type=authorization_code&code=abc"#,
                r#"&code_verifier=short&client_id=app"}"#,
            ),
        );
        let clean = fixture::load_str(
            "clean.json",
            concat!(
                r#"{"parameters": "grant_type=client_credentials&client_id=app&client_secret=x", "#,
                r#""clientId": "app"}"#,
            ),
        );
        vec![
            Outcome::Linted(lint::lint(&bad, &s)),
            Outcome::Failed {
                name: "gone.json".into(),
                error: "no such file or directory".into(),
            },
            Outcome::Linted(lint::lint(&clean, &s)),
            Outcome::Linted(lint::lint(&bad, &s)),
        ]
    }

    /// The streamed JSON and SARIF are exactly what serializing the whole
    /// document gives, whatever the number of results.
    #[test]
    fn streamed_documents_equal_the_whole_document() {
        let all = outcomes();
        for n in 0..=all.len() {
            let part = &all[..n];
            let whole = format!("{}\n", pretty_json(&json::to_value(part)));
            assert_eq!(render_all(Format::Json, part), whole, "json, {n} inputs");
            let sarif = sarif::document(part.iter().flat_map(sarif::results).collect());
            let whole = format!("{}\n", pretty_json(&sarif));
            assert_eq!(render_all(Format::Sarif, part), whole, "sarif, {n} inputs");
        }
    }

    /// YAML and TOON, streamed, are what rendering the whole document
    /// gives; TOON's results beyond the spool's budget wait in a file, so
    /// the memory they take stays under the budget however many there are.
    #[test]
    fn streamed_yaml_and_toon_equal_the_whole_document() {
        let all = outcomes();
        for n in 0..=all.len() {
            let part = &all[..n];
            let doc = json::to_value(part);
            let whole = structured::value_yaml(&doc);
            assert_eq!(render_all(Format::Yaml, part), whole, "yaml, {n} inputs");
            let whole = structured::value_toon(&doc);
            assert_eq!(render_all(Format::Toon, part), whole, "toon, {n} inputs");
        }
        let many: Vec<&Outcome> = all.iter().cycle().take(400).collect();
        let one = structured::toon_result(&json::result(&all[0])).len();
        let budget = 4 * one;
        let (toon, peak) = spooled(Format::Toon, &many, budget);
        assert!(peak <= budget, "{peak} > {budget}");
        let owned: Vec<Outcome> = many.iter().map(|o| (*o).clone()).collect();
        let whole = structured::value_toon(&json::to_value(&owned));
        assert_eq!(toon, whole);
    }

    /// The report of `outcomes` with a spool of `budget` bytes, and the
    /// most the spool held in memory.
    fn spooled(format: Format, outcomes: &[&Outcome], budget: usize) -> (String, usize) {
        let mut buf = Vec::new();
        let mut w = Writer::new(format, &mut buf).unwrap().spool_budget(budget);
        for o in outcomes {
            w.write(o).unwrap();
        }
        let peak = w.spooled_peak();
        w.finish().unwrap();
        (String::from_utf8(buf).unwrap(), peak)
    }

    /// The table's records wait in the spool, in a file past its budget,
    /// and come out laid out as when they were all in memory; a tab or a
    /// line break in a cell stays in its cell.
    #[test]
    fn a_spooled_table_equals_the_table_kept_in_memory() {
        let mut all = outcomes();
        all.push(Outcome::Failed {
            name: "tab\there.json".into(),
            error: "line\nbreak".into(),
        });
        let many: Vec<&Outcome> = all.iter().cycle().take(400).collect();
        let (in_memory, _) = spooled(Format::Table, &many, usize::MAX);
        let (in_file, peak) = spooled(Format::Table, &many, 4096);
        assert!(peak <= 4096, "{peak}");
        assert_eq!(in_file, in_memory);
        let escaped: Vec<&str> = in_memory
            .lines()
            .filter(|l| l.starts_with("tab\\there.json "))
            .collect();
        assert_eq!(escaped.len(), 400 / 5);
        let cells: Vec<&str> = escaped[0].split("  ").filter(|c| !c.is_empty()).collect();
        assert_eq!(
            cells.iter().map(|c| c.trim()).collect::<Vec<_>>(),
            [
                "tab\\there.json",
                "-",
                "error",
                "(unreadable)",
                "line\\nbreak"
            ]
        );
        assert!(in_memory.starts_with("SOURCE "));
    }

    #[test]
    fn results_are_printed_at_the_depth_of_their_frame() {
        let json = Frame::of(&json::document(Vec::new(), None));
        assert_eq!(json.indent, 2 * JSON_DEPTH);
        assert_eq!(
            Frame::of(&sarif::document(Vec::new())).indent,
            2 * SARIF_DEPTH
        );
    }

    #[test]
    fn the_document_format_returns_the_json_report() {
        let all = outcomes();
        let mut w = Writer::new(Format::Document, Vec::new()).unwrap();
        for o in &all {
            w.write(o).unwrap();
        }
        let done = w.finish().unwrap();
        assert_eq!(done.document, Some(json::to_value(&all)));
        assert_eq!(done.summary, Summary::of(&all));
        assert_eq!(done.summary.inputs, 4);
        assert_eq!(done.summary.failed, 1);
    }
}
