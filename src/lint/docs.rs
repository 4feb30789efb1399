//! Rule documentation embedded from `rules/<area>/<name>.md`: front matter
//! (id, severity, spec), the prose, and the fixture examples that tests run.

use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

#[derive(Debug)]
pub struct RuleDoc {
    /// From the path: `pkce/verifier-length` for `rules/pkce/verifier-length.md`.
    pub id: &'static str,
    /// `key: value` lines of the front matter.
    pub front: Vec<(&'static str, &'static str)>,
    /// Everything after the front matter.
    pub body: &'static str,
}

impl RuleDoc {
    pub fn get(&self, key: &str) -> Option<&'static str> {
        self.front.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// A fenced example in a rule doc: ```` ```json fail now=1767225600 ````.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The fence's language: `json` (a fixture) or `http` (a raw HTTP request).
    pub lang: String,
    /// `fail` examples must raise the rule; `pass` examples must not.
    pub fail: bool,
    /// `key=value` attributes after `fail`/`pass` (e.g. `now=…`).
    pub attrs: Vec<(String, String)>,
    pub text: String,
    /// 1-based line of the opening fence in the doc.
    pub line: usize,
}

/// Documents whose path is not `<area>/<name>.md` of a rule (data files and
/// area indexes) do not go through here: only rule docs have front matter.
pub fn all() -> &'static [RuleDoc] {
    static DOCS: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        RAW_DOCS
            .iter()
            .filter_map(|(id, text)| {
                let (front, body) = split_front_matter(text)?;
                Some(RuleDoc { id, front, body })
            })
            .collect()
    })
}

pub fn find(id: &str) -> Option<&'static RuleDoc> {
    all().iter().find(|d| d.id == id)
}

fn split_front_matter(
    text: &'static str,
) -> Option<(Vec<(&'static str, &'static str)>, &'static str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    let front = rest[..end]
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim(), v.trim()))
        })
        .collect();
    Some((front, &rest[end + 5..]))
}

/// The fenced `json pass` / `json fail` blocks of a doc body.
pub fn examples(body: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut lines = body.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let lang = words.next().unwrap_or("");
        let kind = words.next().unwrap_or("");
        let fail = match kind {
            "fail" => true,
            "pass" => false,
            _ => {
                // Not an example: skip to its closing fence.
                for (_, l) in lines.by_ref() {
                    if l.trim_start().starts_with("```") {
                        break;
                    }
                }
                continue;
            }
        };
        let attrs = words
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let mut text = String::new();
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            text.push_str(l);
            text.push('\n');
        }
        if lang == "json" || lang == "http" {
            out.push(Example {
                lang: lang.to_owned(),
                fail,
                attrs,
                text,
                line: n + 1,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_examples() {
        let body =
            "x\n```json fail now=5\n{\"a\":1}\n```\n```toml\nx\n```\n```json pass\n{}\n```\n";
        let ex = examples(body);
        assert_eq!(ex.len(), 2);
        assert!(ex[0].fail);
        assert_eq!(ex[0].attrs, vec![("now".into(), "5".into())]);
        assert_eq!(ex[0].text, "{\"a\":1}\n");
        assert!(!ex[1].fail);
    }
}
