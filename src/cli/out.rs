//! The one way out: every byte the CLI writes to its standard output and
//! error passes through a [`TerminalFilter`], so no text from an input (a
//! parameter name, a file name, a certificate subject, Authlete's answer)
//! can drive the terminal (ESC, CSI, OSC 52, C1 controls) or start a GitHub
//! Actions workflow command, even where a renderer forgot to escape it.
//!
//! Renderers still escape the values they quote ([`tokenlint::text::printable`]),
//! which keeps each value on its line and the pretty report's underlines
//! under the right characters; this filter is the guard behind them. Only
//! this module touches the standard streams (clippy.toml disallows
//! `std::io::stdout` and `std::io::stderr` elsewhere; `print!` and
//! `eprint!` are denied everywhere).

#![allow(clippy::disallowed_methods)]

use std::io::{self, IsTerminal, Write};

use tokenlint::text::TerminalFilter;

/// Writes `text` to stdout: colour sequences pass only with `colour`. A
/// closed pipe (`| head`) is not an error.
pub(crate) fn stdout(text: &str, colour: bool) -> io::Result<()> {
    let mut filter = TerminalFilter::new(colour, true);
    let text = filter.apply(text);
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes `text` to stderr, colour escaped. Nothing useful can be done
/// when stderr is gone.
pub(crate) fn stderr(text: &str) {
    stderr_styled(text, false);
}

/// Writes `text` to stderr; colour sequences pass only with `colour`.
pub(crate) fn stderr_styled(text: &str, colour: bool) {
    let mut filter = TerminalFilter::new(colour, true);
    let text = filter.apply(text);
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

pub(crate) fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

pub(crate) fn stderr_is_terminal() -> bool {
    io::stderr().is_terminal()
}

/// Standard output for a streamed report, through a filter that keeps its
/// state between writes (the report arrives in pieces). A reader that goes
/// away (`| head`) is not an error: the rest of the report is dropped.
pub(crate) struct Stdout {
    out: io::Stdout,
    closed: bool,
}

impl Stdout {
    pub(crate) fn new() -> Stdout {
        Stdout {
            out: io::stdout(),
            closed: false,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.out.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.out.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

/// A writer whose every write passes through a [`TerminalFilter`] first.
/// It sits above any buffer, so it sees the pieces as the report writes
/// them (whole strings), not as a buffer cuts them.
pub(crate) struct Filtered<W: Write> {
    inner: W,
    filter: TerminalFilter,
    buf: String,
}

impl<W: Write> Filtered<W> {
    /// `colour`: colour sequences pass; `commands`: workflow commands are
    /// defused (off only for `-o github`, whose annotations are escaped as
    /// GitHub documents).
    pub(crate) fn new(inner: W, colour: bool, commands: bool) -> Filtered<W> {
        Filtered {
            inner,
            filter: TerminalFilter::new(colour, commands),
            buf: String::new(),
        }
    }
}

impl<W: Write> Write for Filtered<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(bytes) {
            // The common case: borrowed through when nothing needs escaping.
            Ok(text) => {
                let text = self.filter.apply(text);
                self.inner.write_all(text.as_bytes())?;
            }
            Err(_) => {
                self.buf.clear();
                self.filter.push_bytes(bytes, &mut self.buf);
                self.inner.write_all(self.buf.as_bytes())?;
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
