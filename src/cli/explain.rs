//! From the server's answer to the cause: `tokenlint explain <RULE | ERROR |
//! CODE | DESCRIPTION>` and `check --response FILE`.

use std::path::Path;

use serde_json::{json, Value};

use super::args::GlobalArgs;
use super::{emit_value, write_stdout, UsageError, EXIT_OK};
use tokenlint::answer::{errors, Answer, Explanation};
use tokenlint::authlete::result_codes;
use tokenlint::lint::{self, FileReport};
use tokenlint::text::distance_within;

/// `tokenlint explain X`: a rule id, an Authlete result code (any case), an
/// OAuth error code (any case), a known `error_description` text, or a whole
/// answer (`{"error": …}`).
pub(super) fn run(g: &GlobalArgs, what: &str) -> Result<u8, UsageError> {
    let what = what.trim();
    let upper = what.to_ascii_uppercase();
    if result_codes::is_code(&upper) {
        return super::send::explain_code(g, &upper);
    }
    if let Some(rule) = lint::find_rule(what) {
        return rule_doc(rule);
    }
    if let Some(e) = errors::find_error(what) {
        let x = Explanation::of(Some(&e.error), std::iter::empty());
        return answer_doc(g, &x, None);
    }
    if let Some(d) = errors::match_description(what) {
        let x = Explanation::of(Some(&d.error), std::iter::once(what));
        return answer_doc(g, &x, None);
    }
    if let Some(a) = Answer::parse(what).filter(|a| a.error.is_some()) {
        if let Some(code) = a
            .code
            .as_deref()
            .filter(|c| result_codes::find(c).is_some())
        {
            return super::send::explain_code(g, code);
        }
        return answer_doc(g, &a.explain(), Some(&a));
    }
    Err(UsageError(not_found(what)))
}

/// A rule's documentation.
fn rule_doc(rule: &lint::RuleMeta) -> Result<u8, UsageError> {
    let mut s = format!(
        "{}  ({}; {})\n{}\n",
        rule.id, rule.severity, rule.spec, rule.summary
    );
    if let Some(doc) = rule.docs() {
        s.push('\n');
        s.push_str(doc.trim_start());
        if !s.ends_with('\n') {
            s.push('\n');
        }
    }
    if rule.area == lint::Area::Dpop {
        s.push_str(&profile_provenance());
    }
    write_stdout(&s)?;
    Ok(EXIT_OK)
}

/// How each DPoP profile is known, for `explain` on a `dpop/` rule.
fn profile_provenance() -> String {
    let mut s = String::from(
        "\n## How the profiles are known\n\n\
        measured: by tests/differential against the running server; read: from its source \
        or documentation; spec: not a server.\n\n",
    );
    for p in lint::profile::all() {
        s.push_str(&format!("- {}: {}\n", p.name, p.provenance()));
    }
    s
}

/// What an answer means: the rules whose findings cause it, most likely
/// first, and what offline checks cannot see.
fn answer_doc(g: &GlobalArgs, x: &Explanation, answer: Option<&Answer>) -> Result<u8, UsageError> {
    let rules: Vec<Value> = x
        .rules
        .iter()
        .map(|id| {
            let summary = lint::find_rule(id).map_or("", |r| r.summary);
            json!({"rule": id, "summary": summary})
        })
        .collect();
    let v = json!({
        "error": x.error.map(|e| &e.error),
        "spec": x.error.map(|e| &e.spec),
        "meaning": x.error.map(|e| &e.meaning),
        "description": x.description.map(|d| json!({
            "text": d.text, "server": d.server, "error": d.error,
        })),
        "rules": rules,
        "unseen": x.unseen,
    });
    emit_value(g, &v, || answer_text(x, answer))?;
    Ok(EXIT_OK)
}

fn answer_text(x: &Explanation, answer: Option<&Answer>) -> String {
    let mut s = String::new();
    if let Some(a) = answer {
        s.push_str(&format!("The server answered {}.\n\n", a.shown()));
    }
    if let Some(e) = x.error {
        s.push_str(&format!("{}  ({})\n{}\n", e.error, e.spec, e.meaning));
    }
    if let Some(d) = x.description {
        s.push_str(&format!(
            "\n\"{}\" is what {} answers with {}.\n",
            d.text, d.server, d.error
        ));
    }
    if x.rules.is_empty() {
        s.push_str("\nNo tokenlint rule catches its cause offline.\n");
    } else {
        s.push_str("\nThe findings that cause it, most likely first:\n");
        let width = x.rules.iter().map(|r| r.len()).max().unwrap_or(0);
        for id in &x.rules {
            let summary = lint::find_rule(id).map_or("", |r| r.summary);
            s.push_str(&format!("  {id:<width$}  {summary}\n"));
        }
    }
    for u in &x.unseen {
        s.push_str(&format!("\nOffline checks cannot see {u}.\n"));
    }
    if let (Some(e), None) = (x.error, x.description) {
        let known: Vec<&errors::Description> = errors::descriptions_of(&e.error).collect();
        if !known.is_empty() {
            s.push_str(&format!(
                "\nServers' error_description texts tokenlint knows for {} \
                 (`tokenlint explain \"TEXT\"` narrows the list):\n",
                e.error
            ));
            for d in known {
                s.push_str(&format!("  \"{}\" ({})\n", d.text, d.server));
            }
        }
    }
    s.push_str(
        "\nRun `tokenlint check --response ANSWER.json REQUEST` to see which findings of a \
         request explain an answer.\n",
    );
    s
}

/// No rule, error or code by that name: the closest ones.
fn not_found(what: &str) -> String {
    let close = closest(what);
    let area = what.split_once('/').map(|(a, _)| a);
    let in_area = lint::registry()
        .iter()
        .filter(|r| Some(r.area()) == area)
        .count();
    let hint = if !close.is_empty() {
        format!("did you mean {}?", close.join(", "))
    } else if let (Some(area), true) = (area, in_area > 0) {
        format!(
            "no {area}/ rule is close to it; `tokenlint rules` lists the {in_area} {area}/ rules"
        )
    } else {
        "`tokenlint rules` lists the rules; `tokenlint explain invalid_grant` explains an \
         OAuth error, `tokenlint explain A050312` an Authlete result code"
            .to_owned()
    };
    format!(
        "no rule, OAuth error or result code {}; {hint}",
        tokenlint::text::shown_value(&tokenlint::text::printable(what), 60)
    )
}

/// The rule ids and error codes closest to `what`, best first: at most
/// three, each within a third of its length in edits (ids are compared
/// whole and by their name after the area, so `verifier-lenght` finds
/// `pkce/verifier-length`).
fn closest(what: &str) -> Vec<String> {
    let what = what.to_ascii_lowercase();
    let names = lint::registry()
        .into_iter()
        .map(|r| r.id.to_owned())
        .chain(errors::errors().iter().map(|e| e.error.clone()));
    let allowed = (what.chars().count().max(4) / 3).max(1);
    let mut scored: Vec<(usize, String)> = names
        .filter_map(|id| {
            let name = id.split_once('/').map_or(id.as_str(), |(_, n)| n);
            let whole = distance_within(&what, &id, allowed);
            let d = match (whole, distance_within(&what, name, allowed)) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => a.or(b)?,
            };
            Some((d, id))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, id)| id).collect()
}

/// `check --response FILE`: the answer to relate to every linted request —
/// an error body, Authlete's response, an HTTP response, or a HAR (the
/// first error answer to a token request in it).
pub(super) fn response_relater(path: &Path) -> Result<impl Fn(&mut FileReport) + Sync, UsageError> {
    let text = super::read_text("--response", path, super::default_file_limit())?;
    let answer = if tokenlint::request::har::looks_like_har(&text) {
        tokenlint::request::har::load_str("response.har", &text)
            .into_iter()
            .find_map(|l| l.capture.and_then(|c| c.answer))
    } else {
        Answer::parse(&text)
    };
    let Some(answer) = answer else {
        return Err(UsageError(format!(
            "--response {}: {NO_ANSWER}",
            tokenlint::text::printable_path(path)
        )));
    };
    Ok(move |r: &mut FileReport| answer.relate(r))
}

/// A `--response` file that shows no error.
const NO_ANSWER: &str = "no error answer in it: give the token endpoint's error body \
    ({\"error\": …, \"error_description\": …}), Authlete's response, the HTTP response, or a HAR \
    holding the failed token request";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_names_come_first() {
        assert_eq!(closest("pkce/verifier-lenght")[0], "pkce/verifier-length");
        assert_eq!(closest("verifier-length")[0], "pkce/verifier-length");
        assert_eq!(closest("invalid_grnt")[0], "invalid_grant");
        assert!(closest("zzzzzzzzzzzz").is_empty());
    }
}
