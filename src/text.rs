//! The string helpers of messages, one of each: the "did you mean" of a
//! near-miss name ([`suggest`], and [`Suggester`] for the many names of one
//! input), a user's value shown without leaking a secret ([`shown_value`]),
//! and text made safe to show on a terminal ([`printable`],
//! [`printable_lines`], [`TerminalFilter`]).
//!
//! A suggestion compares a name with a short list of known names, so its
//! cost must not grow with what an input holds: a name longer than
//! [`MAX_NAME`] characters is no typo of a known one, a known name whose
//! length differs by more than the edits allowed is skipped before any
//! comparison, the edit distance is computed only in a band [`MAX_EDITS`]
//! wide around the diagonal, and a [`Suggester`] looks for at most
//! [`MAX_SUGGESTIONS`] suggestions.

use std::borrow::Cow;

use std::cell::Cell;

/// Characters in the longest name a suggestion is looked for.
pub const MAX_NAME: usize = 64;
/// Edits (insertions, deletions, substitutions) between a near miss and
/// the name it meant.
pub const MAX_EDITS: usize = 2;
/// Suggestions one [`Suggester`] looks for; after that, none.
pub const MAX_SUGGESTIONS: usize = 100;
/// Names of fewer characters than this get a suggestion only when they
/// differ from a known name in case, `_` or `-` alone: two edits turn a
/// two-letter name into almost anything.
const MIN_FUZZY: usize = 3;

/// The Levenshtein distance over characters of `a` and `b` when it is at
/// most `max`, else `None`. Costs O(`max` × length): only the diagonal band
/// `max` wide is computed, after a check of the lengths.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    chars_within(&a, &b, max)
}

fn chars_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Row i holds the distances of a[..i] to b[..j] for the columns j of the
    // band, i - max ..= i + max, at slot j + max - i; a cell outside the band
    // counts as over the bound.
    let over = max + 1;
    let width = 2 * max + 1;
    let mut prev = vec![over; width];
    let mut cur = vec![over; width];
    for (j, slot) in prev.iter_mut().skip(max).enumerate() {
        if j <= b.len() {
            *slot = j;
        }
    }
    for i in 1..=a.len() {
        let mut best = over;
        for k in 0..width {
            cur[k] = over;
            // Column j = i + k - max, when it exists.
            let Some(j) = (i + k).checked_sub(max).filter(|&j| j <= b.len()) else {
                continue;
            };
            let d = if j == 0 {
                i
            } else {
                // Diagonal: the same slot of the row above; up: the next
                // slot of the row above; left: the slot before, this row.
                let sub = prev[k] + usize::from(a[i - 1] != b[j - 1]);
                let del = prev.get(k + 1).map_or(over, |d| d + 1);
                let ins = k.checked_sub(1).map_or(over, |l| cur[l] + 1);
                sub.min(del).min(ins)
            };
            cur[k] = d.min(over);
            best = best.min(cur[k]);
        }
        if best > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len() + max - a.len()];
    (d <= max).then_some(d)
}

/// A name as a near miss is compared: lower case, without `_` and `-`
/// (`always_retrieved` and `alwaysRetrieved` are the same name).
fn folded(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The known name a near miss most likely meant: the same letters ignoring
/// case, `_` and `-` (`always_retrieved` → `alwaysRetrieved`, `client_id` →
/// `clientId`), or else the nearest within [`MAX_EDITS`] edits (the first
/// of the nearest). A name over [`MAX_NAME`] characters has no suggestion.
pub fn suggest<'k>(name: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    if name.len() > 4 * MAX_NAME || name.chars().count() > MAX_NAME {
        return None;
    }
    let n = folded(name);
    let max = if n.len() < MIN_FUZZY { 0 } else { MAX_EDITS };
    let mut best: Option<(&str, usize)> = None;
    for k in known {
        match chars_within(&folded(k), &n, max) {
            Some(0) => return Some(k),
            Some(d) if best.is_none_or(|(_, bd)| d < bd) => best = Some((k, d)),
            _ => {}
        }
    }
    best.map(|(k, _)| k)
}

/// [`suggest`] for the names of one input, at most `max` times: an input
/// with 50,000 unknown keys gets suggestions for its first ones only (a
/// report shows no more anyway), so looking costs the same on any input.
#[derive(Debug)]
pub struct Suggester {
    left: Cell<usize>,
}

impl Default for Suggester {
    fn default() -> Self {
        Suggester::new(MAX_SUGGESTIONS)
    }
}

impl Suggester {
    pub const fn new(max: usize) -> Self {
        Suggester {
            left: Cell::new(max),
        }
    }

    /// [`suggest`], or `None` once `max` suggestions have been looked for.
    pub fn suggest<'k>(
        &self,
        name: &str,
        known: impl IntoIterator<Item = &'k str>,
    ) -> Option<&'k str> {
        let left = self.left.get().checked_sub(1)?;
        self.left.set(left);
        suggest(name, known)
    }
}

/// A value the user gave, for an error message: quoted when it is short
/// enough to be a mistyped name or number, described when it is longer, as
/// a secret typed after the wrong flag would be. Never echoes more than
/// `max` characters.
pub fn shown_value(value: &str, max: usize) -> String {
    let n = value.chars().count();
    if n <= max {
        format!("`{value}`")
    } else {
        format!("a {n}-character value (not shown)")
    }
}

/// Whether a character must not reach a terminal or a log viewer as it is:
/// the C0 controls (ESC starts CSI and OSC sequences: OSC 52 writes the
/// clipboard), DEL, the C1 controls (U+009B is a one-character CSI), and the
/// bidirectional overrides and isolates, which reorder what is shown
/// ("Trojan Source").
pub fn is_unsafe_for_display(c: char) -> bool {
    matches!(c,
        '\0'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Appends the visible escape of an unsafe character: `\n`, `\r`, `\t`,
/// `\x1b` for the other C0 controls, and `\u009b` (4 hex digits) for DEL,
/// C1 and the bidirectional controls. The `\u` form is also a valid escape
/// inside a JSON or YAML string, where serializers leave these characters
/// raw, so [`TerminalFilter`] can guard those outputs without breaking them.
pub fn push_escaped(c: char, out: &mut String) {
    use std::fmt::Write as _;
    let _ = match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        '\0'..='\x1f' => write!(out, "\\x{:02x}", u32::from(c)),
        _ => write!(out, "\\u{:04x}", u32::from(c)),
    };
}

/// A value for one line of human output (a file name, a quoted parameter
/// name, a certificate subject, a server's message): every unsafe character
/// escaped ([`push_escaped`]), line breaks included, so the value can neither
/// drive the terminal nor start a line of its own.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape_where(s, is_unsafe_for_display)
}

/// Human text of several lines (a help text, a pretty-printed JSON): as
/// [`printable`], but line breaks are kept.
pub fn printable_lines(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c != '\n' && is_unsafe_for_display(c))
}

/// A path for a message: [`printable`].
pub fn printable_path(path: &std::path::Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

fn escape_where(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = s.find(&unsafe_char) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if unsafe_char(c) {
            push_escaped(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The last guard between the CLI and its standard output and error: every
/// text the CLI writes passes through one, so a renderer that forgets to
/// escape a value still cannot drive the terminal or a CI runner.
///
/// It escapes every unsafe character ([`is_unsafe_for_display`]) except the
/// line break; with `sgr`, it lets colour sequences (`ESC [ digits ; … m`)
/// through, which is all the colour themes write. With `commands`, it also
/// defuses GitHub Actions workflow commands, which the runner reads from
/// both streams: a `::` that starts a line (after blanks, which the runner
/// skips) has its first `:` escaped, and `##[` (the older form, read
/// anywhere in a line) has its second `#` escaped, as `\u003a` and
/// `\u0023`: visible, and still valid inside a JSON or YAML string. The
/// `-o github` report itself is written without `commands`: its annotations
/// escape their values as GitHub documents.
///
/// It keeps what it needs between writes (whether the line so far is blank,
/// an unfinished UTF-8 character), so text may arrive in pieces; an escape
/// sequence cut between two writes is escaped, never passed.
#[derive(Clone, Debug)]
pub struct TerminalFilter {
    sgr: bool,
    commands: bool,
    /// Only blanks since the last line break.
    line_blank: bool,
    /// The last character written was a `#`.
    after_hash: bool,
    /// The start of a UTF-8 character cut by the end of a write.
    pending: Vec<u8>,
}

impl TerminalFilter {
    pub fn new(sgr: bool, commands: bool) -> TerminalFilter {
        TerminalFilter {
            sgr,
            commands,
            line_blank: true,
            after_hash: false,
            pending: Vec::new(),
        }
    }

    /// Filters `bytes` (UTF-8; invalid bytes become U+FFFD) into `out`.
    pub fn push_bytes(&mut self, bytes: &[u8], out: &mut String) {
        if self.pending.is_empty() {
            self.push_complete(bytes, out);
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(bytes);
            self.push_complete(&joined, out);
        }
    }

    fn push_complete(&mut self, mut rest: &[u8], out: &mut String) {
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => return self.push(s, out),
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    self.push(std::str::from_utf8(good).unwrap_or_default(), out);
                    match e.error_len() {
                        // Cut at the end: the rest comes with the next write.
                        None => {
                            self.pending = bad.to_vec();
                            return;
                        }
                        Some(n) => {
                            self.push("\u{fffd}", out);
                            rest = &bad[n..];
                        }
                    }
                }
            }
        }
    }

    /// Filters `s` into `out`. A `:` or `#` at the end of `s` is taken to
    /// be followed by the worst: the text may go on in the next write.
    pub fn push(&mut self, s: &str, out: &mut String) {
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next = s[i + c.len_utf8()..].chars().next();
            let hash = c == '#';
            if c == '\n' {
                out.push('\n');
                self.line_blank = true;
            } else if c == '\x1b' && self.sgr && sgr_len(&s[i..]) > 0 {
                let end = i + sgr_len(&s[i..]);
                out.push_str(&s[i..end]);
                while chars.peek().is_some_and(|&(j, _)| j < end) {
                    chars.next();
                }
            } else if is_unsafe_for_display(c) {
                push_escaped(c, out);
                self.line_blank = false;
            } else if self.commands && c == ':' && self.line_blank && next.is_none_or(|n| n == ':')
            {
                out.push_str("\\u003a");
                self.line_blank = false;
            } else if self.commands && hash && self.after_hash && next.is_none_or(|n| n == '[') {
                out.push_str("\\u0023");
                self.line_blank = false;
            } else {
                out.push(c);
                self.line_blank &= c.is_whitespace();
            }
            self.after_hash = hash;
        }
    }

    /// Filters one text: borrowed when nothing in it needs escaping.
    pub fn apply<'a>(&mut self, s: &'a str) -> Cow<'a, str> {
        if !self.pending.is_empty() {
            let mut out = String::with_capacity(s.len() + 16);
            self.push_bytes(s.as_bytes(), &mut out);
            return Cow::Owned(out);
        }
        let quiet = !has_unsafe_for_display(s)
            && !(self.commands
                && (s.contains("::")
                    || s.contains("##")
                    || s.ends_with([':', '#'])
                    || (self.after_hash && s.starts_with('#'))));
        if quiet {
            match s.rfind('\n') {
                Some(last) => self.line_blank = s[last + 1..].chars().all(char::is_whitespace),
                None => self.line_blank &= s.chars().all(char::is_whitespace),
            }
            if !s.is_empty() {
                self.after_hash = false;
            }
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len() + 16);
        self.push(s, &mut out);
        Cow::Owned(out)
    }
}

/// Whether `s` has a character [`is_unsafe_for_display`] other than a line
/// break. All of a report passes here: printable ASCII, the common case, is
/// passed over 32 bytes at a time with no branch per byte; a block with any
/// other byte is looked at character by character, and the scan goes on
/// by blocks after it.
fn has_unsafe_for_display(s: &str) -> bool {
    const BLOCK: usize = 32;
    let plain = |b: &u8| (0x20..0x7f).contains(b) || *b == b'\n';
    let b = s.as_bytes();
    // A character boundary: the start, the end of a block of ASCII, or
    // the end of a character.
    let mut at = 0;
    while at < b.len() {
        let end = (at + BLOCK).min(b.len());
        // `fold`, not `all`: no early exit within a block, so it is vectorized.
        if b[at..end].iter().fold(true, |ok, b| ok & plain(b)) {
            at = end;
            continue;
        }
        // The characters that start in the block (the last may run past it).
        for c in s[at..].chars() {
            if c != '\n' && is_unsafe_for_display(c) {
                return true;
            }
            at += c.len_utf8();
            if at >= end {
                break;
            }
        }
    }
    false
}

/// The length of the colour sequence `s` starts with (`ESC [`, parameters
/// of digits, `;` and `:`, then `m`), or 0.
fn sgr_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.len() < 3 || b[0] != 0x1b || b[1] != b'[' {
        return 0;
    }
    let params = b[2..]
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b';' || **c == b':')
        .count();
    if b.get(2 + params) == Some(&b'm') {
        3 + params
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::{
        distance_within, has_unsafe_for_display, is_unsafe_for_display, printable, printable_lines,
        shown_value, suggest, Suggester, TerminalFilter, MAX_NAME,
    };

    /// The block-wise scan finds what a scan of every character finds,
    /// wherever the character falls against the blocks (across an edge too).
    #[test]
    fn the_block_scan_finds_every_unsafe_character() {
        for c in [
            '\u{202e}', '\u{9b}', '\x1b', '\x7f', '\t', '\n', 'é', '€', 'a',
        ] {
            for before in 0..70 {
                for (first, after) in [("", ""), ("", "b"), ("", "é"), ("é", "b"), ("€a", "é")]
                {
                    let s = format!("{first}{}{c}{after}", "a".repeat(before));
                    let each = s.contains(|c: char| c != '\n' && is_unsafe_for_display(c));
                    assert_eq!(has_unsafe_for_display(&s), each, "{s:?}");
                }
            }
        }
    }

    /// The whole Levenshtein table, to check the band against.
    fn full(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn suggestions() {
        let known = ["alwaysRetrieved", "httpPermitted", "queryPermitted"];
        assert_eq!(suggest("always_retrieved", known), Some("alwaysRetrieved"));
        assert_eq!(suggest("httpPermited", known), Some("httpPermitted"));
        assert_eq!(suggest("somethingElse", known), None);
        // The nearest wins over the first.
        let known = ["clientSecretXY", "clientSecret"];
        assert_eq!(suggest("clientSecre", known), Some("clientSecret"));
        // Short names: only case, `_` and `-` differences.
        assert_eq!(suggest("H-T", ["htm", "ht"]), Some("ht"));
        assert_eq!(suggest("hx", ["htm", "ht"]), None);
        // A long name is no typo, however close.
        let long = "a".repeat(MAX_NAME + 1);
        assert_eq!(suggest(&long, [&long[1..]]), None);
    }

    #[test]
    fn banded_distance_is_the_distance_within_the_bound() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "jit",
            "jti",
            "clientId",
            "client_id",
            "clientSecret",
            "héllo",
            "hello",
            "kitten",
            "sitting",
            "flaw",
            "lawn",
            "abcdef",
            "badcfe",
        ];
        for a in words {
            for b in words {
                let d = full(a, b);
                for max in 0..5 {
                    let want = (d <= max).then_some(d);
                    assert_eq!(distance_within(a, b, max), want, "{a:?} {b:?} {max}");
                }
            }
        }
    }

    #[test]
    fn a_suggester_stops_after_its_budget() {
        let s = Suggester::new(2);
        let known = ["clientId"];
        assert_eq!(s.suggest("client_id", known), Some("clientId"));
        assert_eq!(s.suggest("clientID", known), Some("clientId"));
        assert_eq!(s.suggest("client-id", known), None);
    }

    #[test]
    fn quotes_short_values_and_describes_long_ones() {
        assert_eq!(shown_value("jsn", 8), "`jsn`");
        assert_eq!(
            shown_value("CS-SECRET-7f3a9c1e", 8),
            "a 18-character value (not shown)"
        );
    }

    /// Every C0 and C1 control, DEL and the bidirectional controls.
    fn controls() -> impl Iterator<Item = char> {
        (0u32..0x20)
            .chain(0x7f..0xa0)
            .chain([0x61c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069])
            .filter_map(char::from_u32)
    }

    #[test]
    fn printable_escapes_every_control() {
        for c in controls() {
            assert!(is_unsafe_for_display(c), "{c:?}");
            let shown = printable(&format!("a{c}b")).into_owned();
            assert!(shown.starts_with("a\\") && shown.ends_with('b'), "{shown}");
            assert!(!shown.chars().any(is_unsafe_for_display), "{shown:?}");
        }
        assert_eq!(printable("a\x1b]52;c;SGk=\x07"), "a\\x1b]52;c;SGk=\\x07");
        assert_eq!(printable("\u{9b}31m\u{202e}"), "\\u009b31m\\u202e");
        assert_eq!(printable("x\ny\r\t"), "x\\ny\\r\\t");
        assert_eq!(printable_lines("x\ny\x1b"), "x\ny\\x1b");
        assert!(matches!(
            printable("héllo ✓"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(!is_unsafe_for_display('\u{a0}') && !is_unsafe_for_display(' '));
    }

    fn filtered(sgr: bool, commands: bool, parts: &[&[u8]]) -> String {
        let mut f = TerminalFilter::new(sgr, commands);
        let mut out = String::new();
        for p in parts {
            f.push_bytes(p, &mut out);
        }
        out
    }

    #[test]
    fn the_filter_keeps_colour_only_when_asked() {
        let red = "\x1b[1;31mx\x1b[0m";
        assert_eq!(filtered(true, false, &[red.as_bytes()]), red);
        assert_eq!(
            filtered(false, false, &[red.as_bytes()]),
            "\\x1b[1;31mx\\x1b[0m"
        );
        // Anything but a colour sequence is escaped, colour or not.
        let osc = "\x1b]52;c;SGk=\x07 \x1b[2J \u{9b}31m";
        assert_eq!(
            filtered(true, false, &[osc.as_bytes()]),
            "\\x1b]52;c;SGk=\\x07 \\x1b[2J \\u009b31m"
        );
        assert_eq!(filtered(true, false, &[b"a\nb\n"]), "a\nb\n");
        // Every control, one at a time and all at once.
        let all: String = controls().collect();
        let out = filtered(true, true, &[all.as_bytes()]);
        assert!(
            !out.chars().any(|c| c != '\n' && is_unsafe_for_display(c)),
            "{out:?}"
        );
    }

    #[test]
    fn the_filter_reads_pieces_as_one_text() {
        // A C1 character (two bytes) cut in the middle is still found.
        let c1 = "\u{9b}".as_bytes();
        assert_eq!(
            filtered(false, false, &[b"a", &c1[..1], &c1[1..]]),
            "a\\u009b"
        );
        assert_eq!(filtered(false, false, &[b"a\xffb"]), "a\u{fffd}b");
        // A workflow command cut between writes is found too.
        let cmd = filtered(
            false,
            true,
            &[b"x\n  :", b":error::pwned\n#", b"#[add-mask]y"],
        );
        assert_eq!(cmd, "x\n  \\u003a:error::pwned\n#\\u0023[add-mask]y");
    }

    #[test]
    fn workflow_commands_are_defused_at_line_starts_only() {
        let mut f = TerminalFilter::new(false, true);
        assert_eq!(
            f.apply("a::b\n \u{3000}::warning::x\n# h\n## Why\ns ##[error]e"),
            "a::b\n \u{3000}\\u003a:warning::x\n# h\n## Why\ns #\\u0023[error]e"
        );
        let mut f = TerminalFilter::new(false, true);
        assert!(matches!(
            f.apply("spec: RFC 6749 § 4.1\n"),
            std::borrow::Cow::Borrowed(_)
        ));
        let mut f = TerminalFilter::new(false, false);
        assert_eq!(f.apply("::error file=a::m\n"), "::error file=a::m\n");
    }

    /// Whole or in two pieces, borrowed or not: the same output.
    #[test]
    fn pieces_filter_like_the_whole() {
        let texts = [
            "plain text: nothing to do\n  spec: x\n",
            "a\n  ::error::x\n# h\n##[add-mask]y ##\n:",
            "\x1b[1mbold\x1b[0m \x1b]52;c;eA==\x07 \u{9b}1m \u{202e}",
            "end #",
            "#\n#[",
        ];
        for text in texts {
            for (sgr, commands) in [(false, false), (true, true), (false, true)] {
                let mut whole = String::new();
                TerminalFilter::new(sgr, commands).push(text, &mut whole);
                for cut in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                    let mut f = TerminalFilter::new(sgr, commands);
                    let (a, b) = text.split_at(cut);
                    let got = format!("{}{}", f.apply(a), f.apply(b));
                    // A piece that ends in `:`, `#` or a colour sequence
                    // may be escaped more: the next piece is not known yet.
                    let head = &text[..cut];
                    let open_sgr = head.rfind('\x1b').is_some_and(|e| !head[e..].contains('m'));
                    if !(head.ends_with([':', '#']) || open_sgr) {
                        assert_eq!(got, whole, "{text:?} cut at {cut} ({sgr}, {commands})");
                    }
                }
            }
        }
    }
}
