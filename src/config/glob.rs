//! The globs of `include`, `exclude` and `overrides.files`, matched without
//! a compile step. A one-file run used to spend about a fifth of its time
//! building regular expressions for globs (globset, ~30 µs a glob); here a
//! glob is read once, its `{a,b}` braces are expanded into brace-free
//! patterns, and each path is matched against those with `fast_glob`,
//! which interprets a pattern as it goes.
//!
//! The braces are expanded here, not by `fast_glob`: it tries each
//! alternative of each group in turn, so sequential groups cost the product
//! of their alternatives on every match. Expanded once, that product is
//! counted and capped ([`MAX_GLOB_PATTERNS`] over a configuration), and a
//! match costs at most the patterns it is over.
//!
//! The syntax and its meaning are globset's, as they were
//! (`literal_separator`, backslash escapes): each expanded pattern is read
//! the way globset's parser reads a glob (`**` is a folder wildcard only as
//! a whole path component; elsewhere it is `*`; classes as globset parses
//! them, POSIX names included) and written out in `fast_glob`'s syntax with
//! every literal escaped. The tests compare both matchers over a corpus;
//! the differences they allow are listed there, all of them `**` next to a
//! brace (after expansion each alternative reads as a glob of its own).

use std::path::Path;

/// The most brace-free patterns a configuration's globs expand to, all
/// lists together: each file a run meets is matched against each of them.
pub const MAX_GLOB_PATTERNS: usize = 2000;
/// The deepest nesting of `{…}` in a glob (globset allowed 100; no real glob
/// nests more than two).
pub const MAX_BRACE_DEPTH: usize = 16;

/// A list of globs (`include`, `exclude` or one override's `files`).
#[derive(Debug, Default)]
pub struct Globs {
    /// Brace-free patterns in `fast_glob`'s syntax; a path matches the list
    /// when it matches one of them.
    patterns: Vec<Box<str>>,
}

impl Globs {
    /// Reads `globs` (their `./` and trailing `/` already as given: this
    /// trims them). `budget` is how many patterns the configuration may
    /// still expand to; it is charged for these. The error is a message
    /// without the key or file, for the caller to place.
    pub fn new(globs: &[String], budget: &mut usize) -> Result<Globs, (usize, String)> {
        let mut patterns = Vec::new();
        for (i, g) in globs.iter().enumerate() {
            let pattern = g.trim_start_matches("./").trim_end_matches('/');
            let pattern = if pattern.contains('/') {
                pattern.to_owned()
            } else {
                format!("**/{pattern}")
            };
            let tree = parse(&pattern).map_err(|e| (i, e))?;
            let n = count(&tree);
            if n > *budget {
                return Err((
                    i,
                    format!(
                        "its braces expand to {} patterns, over what is left of the \
                         {MAX_GLOB_PATTERNS} a configuration's globs may expand to together",
                        if n == usize::MAX {
                            "too many".to_owned()
                        } else {
                            n.to_string()
                        }
                    ),
                ));
            }
            *budget -= n;
            for expanded in expand(&tree) {
                let p = translate(&expanded).map_err(|e| (i, e))?;
                if let Err(e) = fast_glob::validate(&p) {
                    // Not reached: `translate` writes brace-free, closed patterns.
                    return Err((i, format!("cannot be matched ({e})")));
                }
                patterns.push(p.into_boxed_str());
            }
        }
        Ok(Globs { patterns })
    }

    /// Whether `rel` (relative to the config's folder) matches one of the globs.
    pub fn is_match(&self, rel: &Path) -> bool {
        let path = rel.as_os_str().as_encoded_bytes();
        self.patterns
            .iter()
            .any(|p| fast_glob::glob_match(p.as_bytes(), path))
    }
}

/// A glob with its braces parsed: brace-free text (escapes and classes kept
/// as written) and groups of alternatives.
enum Node {
    Text(String),
    Group(Vec<Vec<Node>>),
}

fn push_text(seq: &mut Vec<Node>, s: &str) {
    if let Some(Node::Text(t)) = seq.last_mut() {
        t.push_str(s);
    } else {
        seq.push(Node::Text(s.to_owned()));
    }
}

/// The branch being written: the last of the innermost open group.
fn current(groups: &mut [Vec<Vec<Node>>]) -> Result<&mut Vec<Node>, String> {
    groups
        .last_mut()
        .and_then(|g| g.last_mut())
        .ok_or_else(|| "unbalanced braces".to_owned())
}

/// Splits a glob into text and brace groups, refusing what globset refused:
/// an escape at the end, an unclosed class, an unclosed `{`, a `}` that
/// closes none.
fn parse(glob: &str) -> Result<Vec<Node>, String> {
    let chars: Vec<char> = glob.chars().collect();
    // The open groups, each a list of branches, the last being written;
    // `groups[0]` is the glob itself, a "group" of one branch.
    let mut groups: Vec<Vec<Vec<Node>>> = vec![vec![Vec::new()]];
    let mut i = 0;
    while i < chars.len() {
        let depth = groups.len();
        let seq = current(&mut groups)?;
        match chars[i] {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err("a `\\` at the end escapes nothing".into());
                };
                push_text(seq, &format!("\\{next}"));
                i += 2;
            }
            '[' => {
                let (end, _) = class(&chars, i)?;
                push_text(seq, &chars[i..end].iter().collect::<String>());
                i = end;
            }
            '{' => {
                if depth > MAX_BRACE_DEPTH {
                    return Err(format!(
                        "braces nested over {MAX_BRACE_DEPTH} deep, the most a glob may nest"
                    ));
                }
                groups.push(vec![Vec::new()]);
                i += 1;
            }
            ',' if depth > 1 => {
                if let Some(g) = groups.last_mut() {
                    g.push(Vec::new());
                }
                i += 1;
            }
            '}' => {
                if depth == 1 {
                    return Err("a `}` closes no `{`".into());
                }
                let branches = groups.pop().unwrap_or_default();
                current(&mut groups)?.push(Node::Group(branches));
                i += 1;
            }
            c => {
                push_text(seq, c.encode_utf8(&mut [0; 4]));
                i += 1;
            }
        }
    }
    if groups.len() > 1 {
        return Err("a `{` is not closed".into());
    }
    Ok(groups.pop().and_then(|mut g| g.pop()).unwrap_or_default())
}

/// Whether every expansion of `seq` is empty. globset drops such a branch
/// from a group (`{a,}` is `a`) and reads a group of only those as nothing
/// (`x{}y` is `xy`); so does [`expand`].
fn is_empty(seq: &[Node]) -> bool {
    seq.iter().all(|n| match n {
        Node::Text(t) => t.is_empty(),
        Node::Group(branches) => branches.iter().all(|b| is_empty(b)),
    })
}

/// How many patterns `seq` expands to (saturating).
fn count(seq: &[Node]) -> usize {
    seq.iter().fold(1usize, |n, node| match node {
        Node::Text(_) => n,
        Node::Group(branches) => {
            let alternatives = branches
                .iter()
                .filter(|b| !is_empty(b))
                .fold(0usize, |sum, b| sum.saturating_add(count(b)));
            n.saturating_mul(alternatives.max(1))
        }
    })
}

/// The brace-free patterns `seq` stands for ([`count`] of them).
fn expand(seq: &[Node]) -> Vec<String> {
    let mut out = vec![String::new()];
    for node in seq {
        match node {
            Node::Text(t) => out.iter_mut().for_each(|p| p.push_str(t)),
            Node::Group(branches) => {
                let kept: Vec<Vec<String>> = branches
                    .iter()
                    .filter(|b| !is_empty(b))
                    .map(|b| expand(b))
                    .collect();
                if kept.is_empty() {
                    continue;
                }
                out = out
                    .iter()
                    .flat_map(|p| kept.iter().flatten().map(move |s| format!("{p}{s}")))
                    .collect();
            }
        }
    }
    out
}

/// A character class: negated or not, and its ranges (a single character
/// is a range of one).
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

/// Reads the class whose `[` is at `start` the way globset does: `!` or `^`
/// negates, a `]` first is a member, `-` between two members is a range
/// (first or last, a member), `[:name:]` is a POSIX class, and `\` is an
/// ordinary member. Returns the index past its `]`.
fn class(chars: &[char], start: usize) -> Result<(usize, Class), String> {
    let mut i = start + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges: Vec<(char, char)> = Vec::new();
    let mut first = true;
    let mut in_range = false;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err("a `[` is not closed".into());
        };
        i += 1;
        match c {
            ']' if !first => break,
            '-' if !first => {
                if in_range {
                    add_to_range(&mut ranges, '-')?;
                    in_range = false;
                } else {
                    in_range = true;
                }
            }
            '[' if !in_range && chars.get(i) == Some(&':') => {
                if let Some((end, posix)) = posix_class(chars, i) {
                    ranges.extend_from_slice(posix);
                    i = end;
                } else {
                    ranges.push(('[', '['));
                }
            }
            c => {
                if in_range {
                    add_to_range(&mut ranges, c)?;
                } else {
                    ranges.push((c, c));
                }
                in_range = false;
            }
        }
        first = false;
    }
    if in_range {
        ranges.push(('-', '-'));
    }
    Ok((i, Class { negated, ranges }))
}

fn add_to_range(ranges: &mut [(char, char)], end: char) -> Result<(), String> {
    let Some(r) = ranges.last_mut() else {
        return Err("a class range without a start".into());
    };
    r.1 = end;
    if r.1 < r.0 {
        return Err(format!("the class range `{}-{}` is backwards", r.0, r.1));
    }
    Ok(())
}

/// `[:name:]` at `i` (the `:` after a `[` in a class): the index past it
/// and its ASCII ranges; `None` when it is not one (the `[` is a member).
fn posix_class(chars: &[char], i: usize) -> Option<(usize, &'static [(char, char)])> {
    let mut j = i + 1;
    let mut name = String::new();
    loop {
        match chars.get(j) {
            Some(':') if chars.get(j + 1) == Some(&']') => {
                return posix_ranges(&name).map(|r| (j + 2, r));
            }
            Some(&c) if c.is_ascii_lowercase() && name.len() < 8 => name.push(c),
            _ => return None,
        }
        j += 1;
    }
}

fn posix_ranges(name: &str) -> Option<&'static [(char, char)]> {
    Some(match name {
        "alnum" => &[('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => &[('A', 'Z'), ('a', 'z')],
        "blank" => &[('\t', '\t'), (' ', ' ')],
        "cntrl" => &[('\x00', '\x1f'), ('\x7f', '\x7f')],
        "digit" => &[('0', '9')],
        "graph" => &[('!', '~')],
        "lower" => &[('a', 'z')],
        "print" => &[(' ', '~')],
        "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => &[('\t', '\r'), (' ', ' ')],
        "upper" => &[('A', 'Z')],
        "xdigit" => &[('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    })
}

/// A brace-free glob read as globset reads one.
enum Token {
    Literal(char),
    /// `?`: one character, not `/`.
    Any,
    /// `*`: any characters, not `/`.
    Star,
    /// `**/` at the start: any folders, or none.
    RecursivePrefix,
    /// `/**` at the end: `/` and anything.
    RecursiveSuffix,
    /// `/**/`: `/`, or `/` and folders and `/`.
    RecursiveZeroOrMore,
    Class(Class),
}

/// Reads a brace-free glob as globset's parser does and writes it in
/// `fast_glob`'s syntax with the same meaning.
fn translate(glob: &str) -> Result<String, String> {
    use Token::*;
    let chars: Vec<char> = glob.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '?' => {
                tokens.push(Any);
                i += 1;
            }
            '[' => {
                let (end, class) = class(&chars, i)?;
                tokens.push(Class(class));
                i = end;
            }
            '\\' => {
                let c = *chars
                    .get(i + 1)
                    .ok_or("a `\\` at the end escapes nothing")?;
                tokens.push(Literal(c));
                i += 2;
            }
            '*' if chars.get(i + 1) != Some(&'*') => {
                tokens.push(Star);
                i += 1;
            }
            '*' => {
                // globset's `parse_star`: `**` is recursive only as a whole
                // component; elsewhere it is two `*`.
                let prev = i.checked_sub(1).map(|j| chars[j]);
                i += 2;
                let next = chars.get(i).copied();
                if tokens.is_empty() {
                    if next.is_some_and(|c| c != '/') {
                        tokens.extend([Star, Star]);
                    } else {
                        tokens.push(RecursivePrefix);
                        i += usize::from(next.is_some());
                    }
                    continue;
                }
                let is_suffix = match next {
                    _ if prev != Some('/') => None,
                    None => Some(true),
                    Some('/') => {
                        i += 1;
                        Some(false)
                    }
                    Some(_) => None,
                };
                let Some(is_suffix) = is_suffix else {
                    tokens.extend([Star, Star]);
                    continue;
                };
                let token = match tokens.pop() {
                    Some(RecursivePrefix) => RecursivePrefix,
                    Some(RecursiveSuffix) => RecursiveSuffix,
                    _ if is_suffix => RecursiveSuffix,
                    _ => RecursiveZeroOrMore,
                };
                tokens.push(token);
            }
            c => {
                tokens.push(Literal(c));
                i += 1;
            }
        }
    }
    // globset: a glob of `**` alone matches everything.
    if matches!(tokens.as_slice(), [RecursivePrefix]) {
        return Ok("**".into());
    }
    let mut out = String::with_capacity(glob.len() + 8);
    let mut after_star = false;
    for t in &tokens {
        match t {
            Literal(c) => literal(&mut out, *c),
            Any => out.push('?'),
            // `**` not as a component is two `*`: one `*` says the same, and
            // `**` would read as a folder wildcard.
            Star if after_star => {}
            Star => out.push('*'),
            RecursivePrefix => out.push_str("**/"),
            RecursiveSuffix => out.push_str("/**"),
            RecursiveZeroOrMore => out.push_str("/**/"),
            Class(class) => {
                out.push('[');
                if class.negated {
                    out.push('!');
                }
                for &(lo, hi) in &class.ranges {
                    literal(&mut out, lo);
                    if hi != lo {
                        out.push('-');
                        literal(&mut out, hi);
                    }
                }
                out.push(']');
            }
        }
        after_star = matches!(t, Star);
    }
    Ok(out)
}

/// `c` as a literal in `fast_glob`'s syntax: ASCII punctuation escaped (its
/// `\` takes any character literally but `\a`, `\b`, `\n`, `\r`, `\t`, so
/// letters and digits are not), `/` as the separator it is, the rest as is.
fn literal(out: &mut String, c: char) {
    if c.is_ascii() && !c.is_ascii_alphanumeric() && c != '/' {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// The matcher before this one: one glob compiled with globset as
    /// `config.rs` compiled it.
    fn globset_match(glob: &str) -> Result<globset::GlobMatcher, globset::Error> {
        let pattern = glob.trim_start_matches("./").trim_end_matches('/');
        let pattern = if pattern.contains('/') {
            pattern.to_owned()
        } else {
            format!("**/{pattern}")
        };
        globset::GlobBuilder::new(&pattern)
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
    }

    fn one(glob: &str) -> Result<Globs, String> {
        Globs::new(&[glob.to_owned()], &mut MAX_GLOB_PATTERNS.clone()).map_err(|(_, e)| e)
    }

    /// Globs on every corner of the syntax.
    #[rustfmt::skip]
    const EDGES: &[&str] = &[
        "x", "**/x", "x/**", "dir/**", "dir", "dir/", "./dir", "./dir/**", "dir/**/x",
        "dir/**/**/x", "**/**/x", "dir/**/**", "**", "**/", "*", "*/*", "*/x", "x/*", "a/*/b",
        "a/**/b", "a**b", "a/**b", "a**/b", "**a", "a/b**", "***", "a/***/b", "/**", "x/**/",
        "*.json", "?.json", "a?c", "?", "??", "*?", ".*", "*.", ".hidden", "*.tar.gz", "a.b/*",
        "[ab].json", "[!ab].json", "[^ab]*", "[a-c]*", "[]]x", "[!]]x", "[-a]x", "[a-]x",
        "[a-c-e]x", "[/]x", "a[/]b", "[!/]x", "[[:digit:]]*", "[[:alpha:][:digit:]]x",
        "[[:punct:]]x", "[[:nope:]]", "[[:x]", "[[]x", "[\\]x", "[a\\-z]x", "[{,}]x", "[*?]x",
        "\\*x", "a\\?b", "\\[x\\]", "\\{a,b\\}", "\\n", "\\a", "\\b", "\\t", "x\\,y", "\\!x", "!x",
        "!*.json", "!!x", "a,b", "x,y", "{a,b}", "{a,b{c,d}}", "{a,{b,{c,d}}}/x", "x{}y", "x{,}y",
        "{a,}x", "{,a}x", "{a,b}/{c,d}", "*.{json,http}", "{a,b/c}", "{[ab],c}x", "{[,]}x",
        "{a\\,b,c}", "{a/**,b}", "{**/x,y}", "dir/{a,b}/**", "{dir,x}/**/x", "{*,?}.json", "é*",
        "[é]x", "[!é]x", "[a-é]*", "é/**", "x{a,b}", "{{a}}", "{a}{b}{c}",
        // What globset refuses.
        "a/[", "[", "{a", "a}", "a\\", "[z-a]", "{a,b}}", "{a,{b}", "[!", "x/[a-",
    ];

    /// Paths those globs meet (relative to the config's folder).
    #[rustfmt::skip]
    const PATHS: &[&str] = &[
        "x", "dir/x", "a/b/x", "dir", "dir/a", "dir/a/b", "dir/a/x", "dir/x/x", "x/y", "x/a",
        "x/b", "x/y/a", ".hidden", "a/.hidden", "a.json", "b.json", "ab.json", "c.json", "d.json",
        ".json", "a.b/c", "a.tar.gz", "x.tar.gz", "]x", "-x", "!x", "!!x", "ax", "bx", "cx", "dx",
        "ex", "1x", "*x", "?x", "{x", ",x", "}x", "\\x", "[x", "/x", "a?b", "axb", "[x]", "{a,b}",
        "a,b", "x,y", "xy", "n", "a", "b", "c", "t", "\t", "\u{8}", "ac", "abc", "a/b", "a/c",
        "b/c", "b/d", "a/x/b", "a/x/y/b", "ab/b", "a/xb", "axb/b", "a/b/c/b", "a/bcd", "bd", "bcd",
        "bc", "abc.json", "x.http", "x.har", "é", "éa", "éx", "x/é", "é/x", "ax/y", "a/b/c/d.json",
        "x.json/y", "hidden", "a\nb/x.json", "dir/a\nb", "a\nb", "x\n.json",
    ];

    /// Every glob of the repository's tokenlint.toml and of README's example.
    fn repo_globs() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let start = readme.find("```toml\n# tokenlint.toml").unwrap() + 8;
        let end = start + readme[start..].find("```").unwrap();
        let config = std::fs::read_to_string(root.join("tokenlint.toml")).unwrap();
        for text in [&readme[start..end], &config] {
            let c = crate::config::parse(text, Path::new("t.toml")).unwrap();
            out.extend(c.include);
            out.extend(c.exclude);
            out.extend(c.overrides.into_iter().flat_map(|o| o.files));
        }
        assert!(out.len() > 30, "{out:?}");
        out
    }

    /// The files under testdata/, relative to the repository (bounded).
    fn repo_paths() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        let mut dirs = vec![root.join("testdata")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                out.push(p.strip_prefix(root).unwrap().to_owned());
                if p.is_dir() {
                    dirs.push(p);
                }
            }
        }
        assert!(out.len() > 100 && out.len() < 20_000, "{}", out.len());
        out
    }

    /// The old and the new matcher agree on every glob of the corpus,
    /// refused or not, and on every path.
    #[test]
    fn matches_as_globset_did() {
        let mut paths: Vec<PathBuf> = PATHS.iter().map(PathBuf::from).collect();
        paths.extend(repo_paths());
        let mut globs: Vec<String> = EDGES.iter().map(|g| g.to_string()).collect();
        globs.extend(repo_globs());
        let mut disagreements = Vec::new();
        let (mut refused, mut pairs, mut matched) = (0, 0, 0);
        for g in &globs {
            let (old, new) = match (globset_match(g), one(g)) {
                (Ok(old), Ok(new)) => (old, new),
                (Err(_), Err(_)) => {
                    refused += 1;
                    continue;
                }
                (old, new) => {
                    disagreements.push(format!("{g:?}: globset {old:?}, now {new:?}"));
                    continue;
                }
            };
            for p in &paths {
                pairs += 1;
                matched += usize::from(new.is_match(p));
                if old.is_match(p) != new.is_match(p) {
                    disagreements.push(format!(
                        "{g:?} on {p:?}: globset {}, now {}",
                        old.is_match(p),
                        new.is_match(p)
                    ));
                }
            }
        }
        assert!(disagreements.is_empty(), "{disagreements:#?}");
        assert_eq!(refused, 10);
        // Not a corpus of misses: many globs match many paths.
        assert!(
            pairs > 50_000 && matched > 2_000,
            "{pairs} pairs, {matched} matched"
        );
    }

    /// What braces expand to is counted before it is expanded, and capped
    /// over the configuration: a glob of 64 groups is refused, not built.
    #[test]
    fn caps_what_braces_expand_to() {
        let p = Path::new("t.toml");
        let load = |globs: &[String]| {
            let list: Vec<String> = globs.iter().map(|g| format!("{g:?}")).collect();
            let text = format!("exclude = [{}]\n", list.join(","));
            crate::config::Resolved::new(crate::config::parse(&text, p).unwrap(), p)
        };
        let groups = |n: usize| "{a,b}".repeat(n);
        // 1024 patterns: fine; twice that is over the 2000 of a configuration.
        assert!(load(&[groups(10)]).is_ok());
        let e = load(&[groups(10), format!("x/{}", groups(10))]).unwrap_err();
        assert!(
            e.to_string().contains("exclude[1]: `x/{a,b}{a,b}")
                && e.to_string()
                    .contains("expand to 1024 patterns, over what is left"),
            "{e}"
        );
        let e = load(&[groups(64)]).unwrap_err();
        assert!(e.to_string().contains("expand to too many patterns"), "{e}");
        // Nested groups add up and multiply the same way.
        let nested = format!("{{{},{}}}/{}", groups(5), groups(5), groups(4));
        assert!(load(&[nested]).is_ok());
        let deep = format!("{}x{}", "{a,".repeat(17), "}".repeat(17));
        let e = load(&[deep]).unwrap_err();
        assert!(e.to_string().contains("nested over 16 deep"), "{e}");
        assert!(load(&[format!("{}x{}", "{a,".repeat(16), "}".repeat(16))]).is_ok());
    }

    /// Where the matchers differ, on purpose (no glob of the corpus above
    /// meets any of these):
    /// - `**` right after a `{` or `,`: braces are expanded first, and each
    ///   alternative reads as a glob of its own (as in a shell), so
    ///   `x{**/a,b}` is `x**/a` (`**` not a whole component: `*`) or `xb`;
    ///   globset read that `**` as "any folders", matching `x/y/a` and `xa`.
    /// - Braces nested over [`MAX_BRACE_DEPTH`] are refused (globset: 100).
    #[test]
    fn differs_from_globset_only_as_listed() {
        let both = |g: &str, p: &str| {
            let old = globset_match(g).unwrap().is_match(p);
            (old, one(g).unwrap().is_match(Path::new(p)))
        };
        assert_eq!(both("x{**/a,b}", "x/y/a"), (true, false));
        assert_eq!(both("x{**/a,b}", "xa"), (true, false));
        assert_eq!(both("x{**/a,b}", "xy/a"), (true, true));
        assert_eq!(both("x{**/a,b}", "xb"), (true, true));
        let n = MAX_BRACE_DEPTH + 1;
        let deep = format!("{}x{}", "{a,".repeat(n), "}".repeat(n));
        assert!(globset_match(&deep).is_ok() && one(&deep).is_err());
    }
}
