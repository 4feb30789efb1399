//! YAML and TOON: the same document as the JSON report, in other notations;
//! and the [`Spool`] where TOON's results and the table's rows wait.
//!
//! Both are written as a stream, like the JSON report: the document's head
//! (`version`, `tool`), each input's `results` element as it comes, then the
//! `summary`. A YAML list needs no length, so each element is written as
//! soon as it is rendered; a TOON array declares its length first
//! (`results[N]:`), so its elements are kept until the end, rendered, in a
//! [`Spool`] that holds at most a budget in memory and the rest in a
//! temporary file: memory does not grow with the number of inputs.

use std::io::{self, Seek, Write};

use serde_json::{json, Value};

pub fn value_yaml(v: &Value) -> String {
    serde_norway::to_string(v).unwrap_or_else(|e| format!("# cannot render YAML: {e}\n"))
}

pub fn value_toon(v: &Value) -> String {
    let mut s = toon(v);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn toon(v: &Value) -> String {
    let mut s = String::new();
    if let Err(e) = super::toon::encode(v, &mut s) {
        s = format!("# cannot render TOON: {e}");
    }
    s
}

/// YAML: the head of the document, before `results`.
pub fn yaml_head(head: &Value) -> String {
    value_yaml(head)
}

/// YAML: one element of `results`, as a list item at the document's top
/// level (where `results:` puts its items).
pub fn yaml_result(result: &impl serde::Serialize) -> String {
    serde_norway::to_string(&[result]).unwrap_or_else(|e| format!("# cannot render YAML: {e}\n"))
}

/// YAML: what follows the last element, the summary.
pub fn yaml_tail(summary: &Value) -> String {
    value_yaml(&json!({ "summary": summary }))
}

/// TOON: the head of the document, before `results`, with a line break.
pub fn toon_head(head: &Value) -> String {
    let mut s = toon(head);
    s.push('\n');
    s
}

/// TOON: one element of `results`, as the lines under `results[N]:`
/// (indented), with a line break.
pub fn toon_result(result: &impl serde::Serialize) -> String {
    let mut s = String::new();
    // As before: an element that cannot be rendered leaves its line.
    let _ = super::toon::encode_item(result, 1, &mut s);
    s.push('\n');
    s
}

/// TOON: the `results[N]:` line.
pub fn toon_results_line(n: usize) -> String {
    let mut s = toon(&json!({ "results": vec![Value::Null; 0] }));
    if n > 0 {
        // `results[0]:` with the real length, and its elements follow.
        s = format!("results[{n}]:");
    }
    s.push('\n');
    s
}

/// TOON: what follows the last element, the summary.
pub fn toon_tail(summary: &Value) -> String {
    value_toon(&json!({ "summary": summary }))
}

/// Rendered parts kept for the end of a report: in memory up to `budget`
/// bytes, then in an anonymous temporary file (removed by the system when
/// it is closed). Without a temporary folder, it stays in memory.
pub struct Spool {
    memory: Vec<u8>,
    /// Written a block at a time: a result is a few kilobytes, and a write
    /// call per result was most of the spool's cost.
    file: Option<io::BufWriter<std::fs::File>>,
    budget: usize,
    /// Bytes in memory at most, since the start (for tests).
    peak: usize,
}

/// How much of the spool's file is written or read at a time.
const SPOOL_BLOCK: usize = 256 << 10;

impl Spool {
    /// The default budget: a usual run's report (a hook's few files, a
    /// folder of a hundred fixtures) stays in memory; past it, memory that
    /// grows is paid for twice (first touch of each page, then the copy to
    /// the file), so a larger budget made 20,000 results slower, not faster.
    pub const BUDGET: usize = 1 << 20;

    pub fn new(budget: usize) -> Spool {
        Spool {
            memory: Vec::new(),
            file: None,
            budget,
            peak: 0,
        }
    }

    pub fn push(&mut self, part: &str) -> io::Result<()> {
        if self.file.is_none() && self.memory.len() + part.len() > self.budget {
            if let Ok(f) = tempfile::tempfile() {
                let mut f = io::BufWriter::with_capacity(SPOOL_BLOCK, f);
                f.write_all(&self.memory)?;
                self.memory = Vec::new();
                self.file = Some(f);
            }
        }
        match &mut self.file {
            Some(f) => f.write_all(part.as_bytes())?,
            None => {
                self.memory.extend_from_slice(part.as_bytes());
                self.peak = self.peak.max(self.memory.len());
            }
        }
        Ok(())
    }

    /// The most bytes the spool held in memory.
    pub fn peak(&self) -> usize {
        self.peak
    }

    /// Everything pushed, in order, to read back.
    pub fn reader(&mut self) -> io::Result<Box<dyn io::BufRead + '_>> {
        match &mut self.file {
            Some(f) => {
                f.flush()?;
                let f = f.get_mut();
                f.rewind()?;
                Ok(Box::new(io::BufReader::with_capacity(SPOOL_BLOCK, f)))
            }
            None => Ok(Box::new(&self.memory[..])),
        }
    }

    /// Writes everything pushed, in order, to `out`.
    pub fn copy_to(&mut self, out: &mut impl Write) -> io::Result<()> {
        let mut parts = self.reader()?;
        loop {
            let block = parts.fill_buf()?;
            if block.is_empty() {
                return Ok(());
            }
            out.write_all(block)?;
            let n = block.len();
            parts.consume(n);
        }
    }
}
