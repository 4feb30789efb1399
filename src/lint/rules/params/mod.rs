//! `params/`: the form body itself (RFC 6749 Appendix B encoding, §3.2
//! repetition and empty values) and the syntax of parameters any grant may
//! carry (`scope`, `resource`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::form::{self, Issue, Pair};
use crate::lint::rules::grant;
use crate::lint::rules::grant::table as grants;
use crate::lint::{Context, Finding, Sink, SECRET_PARAMS};
use crate::uri;

crate::lint::declare_rules! {
    area: Params;
    BAD_PERCENT_ENCODING = "params/bad-percent-encoding", Error, "RFC 6749 Appendix B",
        "A `%` in the form body is not followed by two hex digits";
    UNESCAPED_CHARACTER = "params/unescaped-character", Warning, "RFC 6749 Appendix B",
        "A character that form encoding requires to be percent-encoded appears raw";
    INVALID_UTF8 = "params/invalid-utf8", Error, "RFC 6749 Appendix B",
        "A parameter percent-decodes to bytes that are not UTF-8";
    DUPLICATE = "params/duplicate", Error, "RFC 6749 §3.2",
        "A parameter appears more than once";
    EMPTY_VALUE = "params/empty-value", Warning, "RFC 6749 §3.2",
        "A parameter is sent with an empty value, which counts as omitted";
    SCOPE_SYNTAX = "params/scope-syntax", Error, "RFC 6749 §3.3",
        "`scope` is not scope tokens separated by single spaces";
    RESOURCE_INVALID = "params/resource-invalid", Error, "RFC 8707 §2",
        "`resource` is not an absolute URI, or has a fragment";
    RESOURCE_QUERY = "params/resource-query", Warning, "RFC 8707 §2",
        "`resource` has a query component";
    PLUS_AS_SPACE = "params/plus-as-space", Warning, "RFC 6749 Appendix B",
        "A raw `+` in a credential decodes to a space";
}

/// At most this many labels on one finding.
const MAX_LABELS: usize = 8;

/// Parameters whose values are never quoted in a message, not even a few
/// bytes of them: the engine's secrets plus other credentials.
fn hides_value(name: &str) -> bool {
    SECRET_PARAMS.contains(&name)
        || matches!(
            name,
            "client_assertion"
                | "assertion"
                | "code_verifier"
                | "auth_req_id"
                | "pre-authorized_code"
                | "tx_code"
        )
}

/// Credential-like parameters where a raw `+` is almost always a base64 `+`
/// that the client forgot to encode (`code_verifier` has its own rule).
const PLUS_SENSITIVE: &[&str] = &[
    "client_secret",
    "client_id",
    "code",
    "refresh_token",
    "device_code",
    "assertion",
    "client_assertion",
    "subject_token",
    "actor_token",
    "auth_req_id",
    "username",
    "password",
];

/// The `Params` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    area: crate::lint::Area::Params,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    if cx.req.parameters.is_none() {
        return;
    }
    check_issues(cx, sink);
    check_duplicates(cx, sink);
    check_empty(cx, sink);
    // Pairs whose value is not UTF-8, or has a bad `%` escape: computed once,
    // so that a body of many pairs stays linear.
    let mut not_utf8 = HashSet::new();
    let mut bad_escape = HashSet::new();
    for issue in &cx.form.issues {
        match issue {
            Issue::InvalidUtf8 {
                pair,
                in_name: false,
            } => {
                not_utf8.insert(*pair);
            }
            Issue::BadEscape { raw } => {
                if let Some((i, false)) = locate(cx, raw.start) {
                    bad_escape.insert(i);
                }
            }
            _ => {}
        }
    }
    for (i, p) in cx.form.pairs.iter().enumerate() {
        if p.value.is_empty() {
            continue;
        }
        match p.name.as_str() {
            "scope" if !not_utf8.contains(&i) => check_scope(cx, p, sink),
            "resource" if !not_utf8.contains(&i) => {
                check_resource(cx, p, bad_escape.contains(&i), sink)
            }
            n if PLUS_SENSITIVE.contains(&n) => check_plus(cx, p, sink),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Appendix B encoding

/// Which pair (and whether its name or its value) a raw byte offset is in.
fn locate(cx: &Context, raw: usize) -> Option<Component> {
    // Pairs are in source order and do not overlap: binary search.
    let pairs = &cx.form.pairs;
    let i = pairs.partition_point(|p| p.raw.end <= raw);
    let p = pairs.get(i)?;
    (p.raw.start <= raw && raw < p.raw.end).then_some((i, raw < p.name_raw.end))
}

/// "the value of `code`" / "the parameter name `a%zz`".
fn whose(p: &Pair, in_name: bool) -> String {
    if in_name {
        format!("the parameter name `{}`", p.name)
    } else {
        format!("the value of `{}`", p.name)
    }
}

fn field_of(p: &Pair) -> String {
    format!("parameters.{}", p.name)
}

/// A component of the body: (pair index, whether it is the name).
type Component = (usize, bool);

/// Items found in one component, each with its raw range.
type Group<T> = (Component, Vec<(Range<usize>, T)>);

/// Groups raw ranges by the component (pair, name/value) they are in, in
/// order of first appearance.
fn group_by_component<T>(
    cx: &Context,
    items: impl Iterator<Item = (Range<usize>, T)>,
) -> Vec<Group<T>> {
    let mut groups: Vec<Group<T>> = Vec::new();
    for (raw, t) in items {
        let Some(key) = locate(cx, raw.start) else {
            continue;
        };
        // The decoder reports a component's issues together, in order.
        match groups.last_mut() {
            Some((k, v)) if *k == key => v.push((raw, t)),
            _ => groups.push((key, vec![(raw, t)])),
        }
    }
    groups
}

fn params_str<'c>(cx: &'c Context) -> &'c str {
    cx.req.parameters.as_ref().map_or("", |t| t.value.as_str())
}

fn check_issues(cx: &Context, sink: &mut Sink) {
    let raw = params_str(cx);
    let bad = cx.form.issues.iter().filter_map(|i| match i {
        Issue::BadEscape { raw } => Some((raw.clone(), ())),
        _ => None,
    });
    for ((pi, in_name), escapes) in group_by_component(cx, bad) {
        let p = &cx.form.pairs[pi];
        let n = escapes.len();
        let what = if n == 1 {
            "a `%` that is not followed by two hex digits".to_owned()
        } else {
            format!("{n} `%` signs that are not followed by two hex digits")
        };
        let mut msg = format!("{} has {what}", whose(p, in_name));
        if in_name || !hides_value(&p.name) {
            let shown: Vec<String> = escapes
                .iter()
                .take(MAX_LABELS)
                .map(|(r, _)| format!("`{}`", raw.get(r.clone()).unwrap_or("%")))
                .collect();
            msg.push_str(&format!(": {}", shown.join(", ")));
        }
        let mut f = Finding::new(&BAD_PERCENT_ENCODING, msg)
            .field(field_of(p))
            .help("write a literal `%` as %25; an escape is `%` and two hex digits (RFC 6749 Appendix B). oauthlib rejects the whole body (\"Invalid hex encoding in query string.\"); node-oidc-provider keeps the `%` as written, so the server sees a different value than the client meant");
        for (r, _) in escapes.iter().take(MAX_LABELS) {
            f = f.label(cx.raw_params_span(r.clone()), "not a valid escape");
        }
        sink.push(f);
    }

    let unescaped = cx.form.issues.iter().filter_map(|i| match i {
        Issue::Unescaped { raw, ch } => Some((raw.clone(), *ch)),
        _ => None,
    });
    for ((pi, in_name), chars) in group_by_component(cx, unescaped) {
        let p = &cx.form.pairs[pi];
        let n = chars.len();
        let hide = !in_name && hides_value(&p.name);
        let noun = if n == 1 { "character" } else { "characters" };
        let mut msg = format!(
            "{} has {n} raw {noun} that must be percent-encoded",
            whose(p, in_name)
        );
        if !hide {
            let mut distinct: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let shown: Vec<String> = distinct
                .iter()
                .take(MAX_LABELS)
                .map(|c| describe_char(*c))
                .collect();
            msg.push_str(&format!(": {}", shown.join(", ")));
        }
        let mut f = Finding::new(&UNESCAPED_CHARACTER, msg)
            .field(field_of(p))
            .help("form-encode every name and value (RFC 6749 Appendix B): UTF-8, then each byte outside A-Z a-z 0-9 - . _ * as %XX, and space as `+`. oauthlib rejects the whole body (\"Error trying to decode a non urlencoded string\"); node-oidc-provider and most other servers take the raw bytes as they are, so the request works on some servers only");
        for (r, c) in chars.iter().take(MAX_LABELS) {
            let label = if hide {
                "must be percent-encoded".to_owned()
            } else if *c == ' ' {
                "encode a space as `+` or %20".to_owned()
            } else {
                format!("encode as {}", form::encode(&c.to_string()))
            };
            f = f.label(cx.raw_params_span(r.clone()), label);
        }
        sink.push(f);
    }

    for issue in &cx.form.issues {
        let Issue::InvalidUtf8 { pair, in_name } = issue else {
            continue;
        };
        let Some(p) = cx.form.pairs.get(*pair) else {
            continue;
        };
        let (comp, map) = if *in_name {
            (p.name_raw.clone(), &p.name_map)
        } else {
            (p.value_raw.clone(), &p.value_map)
        };
        let (bytes, _) = crate::form::decode_octets(raw.get(comp.clone()).unwrap_or(""));
        let bad = invalid_utf8_ranges(&bytes);
        // `map` counts bytes of the decoded string, where each invalid
        // sequence became one U+FFFD (3 bytes): shift the octet ranges.
        let mut shift = 0usize;
        let raw_bad: Vec<Range<usize>> = bad
            .iter()
            .map(|r| {
                let start = r.start + shift;
                let fffd = char::REPLACEMENT_CHARACTER.len_utf8();
                shift += fffd - r.len().min(fffd);
                let m = map.raw_range(start..start + fffd);
                comp.start + m.start..comp.start + m.end
            })
            .collect();
        let mut msg = format!(
            "{} percent-decodes to bytes that are not UTF-8",
            whose(p, *in_name)
        );
        let hide = !*in_name && hides_value(&p.name);
        if !hide {
            let shown: Vec<String> = raw_bad
                .iter()
                .take(MAX_LABELS)
                .map(|r| format!("`{}`", raw.get(r.clone()).unwrap_or("?")))
                .collect();
            if !shown.is_empty() {
                msg.push_str(&format!(": {}", shown.join(", ")));
            }
        }
        // A lone byte 0xA0-0xFF is almost always Latin-1: show its UTF-8 form.
        let latin1 = bad.iter().find_map(|r| match &bytes[r.clone()] {
            [b] if *b >= 0xA0 => Some(char::from(*b)),
            _ => None,
        });
        let help = match latin1 {
            Some(c) if !hide => format!(
                "percent-encode the UTF-8 bytes of the text (RFC 6749 Appendix B): {c:?} is {} in UTF-8, while %{:02X} is its Latin-1 byte",
                form::encode(&c.to_string()),
                u32::from(c)
            ),
            _ => "percent-encode the UTF-8 bytes of the text (RFC 6749 Appendix B); the value was probably encoded from Latin-1 or another legacy charset".to_owned(),
        };
        let mut f = Finding::new(&INVALID_UTF8, msg)
            .field(field_of(p))
            .help(help);
        if raw_bad.is_empty() {
            let span = if *in_name {
                cx.name_span(p)
            } else {
                cx.value_span(p)
            };
            f = f.label(span, "not UTF-8");
        }
        for r in raw_bad.iter().take(MAX_LABELS) {
            f = f.label(cx.raw_params_span(r.clone()), "not UTF-8");
        }
        sink.push(f);
    }
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "space".to_owned(),
        c if c.is_control() => format!("U+{:04X}", u32::from(c)),
        c => format!("{c:?}"),
    }
}

/// The byte ranges of `bytes` that are not UTF-8.
fn invalid_utf8_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let start = pos + e.valid_up_to();
                let end = e.error_len().map_or(bytes.len(), |l| start + l);
                out.push(start..end);
                pos = end;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Repetition and empty values (RFC 6749 §3.2)

fn check_duplicates(cx: &Context, sink: &mut Sink) {
    let grant = cx.grant_type().and_then(|g| grants::table().get(g));
    let mut groups: Vec<(&str, Vec<&Pair>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for p in &cx.form.pairs {
        if p.name.is_empty() {
            continue;
        }
        match index.get(p.name.as_str()) {
            Some(&g) => groups[g].1.push(p),
            None => {
                index.insert(p.name.as_str(), groups.len());
                groups.push((p.name.as_str(), vec![p]));
            }
        }
    }
    for (name, pairs) in groups {
        if pairs.len() < 2 || grants::table().may_repeat(grant, name) {
            continue;
        }
        let help = match name {
            "scope" => "send one `scope` holding every scope, separated by spaces (`scope=openid+profile`)".to_owned(),
            "audience" => "only token exchange lets `audience` repeat (RFC 8693 §2.1); send one `audience` here".to_owned(),
            _ => format!("send `{name}` once. node-oidc-provider answers invalid_request \"'{name}' parameter must not be provided twice\"; other servers silently use the first or the last value"),
        };
        let mut f = Finding::new(
            &DUPLICATE,
            format!(
                "`{name}` appears {} times{}; a parameter MUST NOT be included more than once (RFC 6749 §3.2)",
                pairs.len(),
                if pairs.len() > MAX_LABELS { " (the first 8 are marked)" } else { "" }
            ),
        )
        .field(format!("parameters.{name}"))
        .help(help);
        for (i, p) in pairs.iter().enumerate().take(MAX_LABELS) {
            f = f.label(
                cx.pair_span(p),
                if i == 0 { "first here" } else { "again here" },
            );
        }
        sink.push(f);
    }
}

fn check_empty(cx: &Context, sink: &mut Sink) {
    let grant = cx.grant_type().and_then(|g| grants::table().get(g));
    let present: HashSet<&str> = cx
        .form
        .pairs
        .iter()
        .filter(|p| !p.value.is_empty())
        .map(|p| p.name.as_str())
        .collect();
    for p in cx
        .form
        .pairs
        .iter()
        .filter(|p| p.value.is_empty() && !p.name.is_empty())
    {
        let name = p.name.as_str();
        // A required parameter that is only ever empty is reported (as
        // missing) by the grant rules; don't say it twice.
        if !present.contains(name) {
            if name == "grant_type" && sink.enabled(&grant::MISSING_GRANT_TYPE) {
                continue;
            }
            if grant.is_some_and(|g| g.required.iter().any(|r| r == name))
                && sink.enabled(&grant::MISSING_PARAMETER)
            {
                continue;
            }
        }
        let help = if name == "client_secret" {
            "remove it. Servers read an empty client_secret differently: node-oidc-provider treats it as absent (a public client, auth method `none`), Authlete tolerates it for a public client but refuses any non-empty secret there (A157303), and a server that only checks for the parameter sees client_secret_post with a wrong secret".to_owned()
        } else {
            format!("remove `{name}`, or give it a value")
        };
        sink.push(
            Finding::new(
                &EMPTY_VALUE,
                format!(
                    "`{name}` has an empty value; RFC 6749 §3.2 treats it as if it were omitted"
                ),
            )
            .field(field_of(p))
            .label(cx.pair_span(p), "empty value")
            .help(help),
        );
    }
}

// ---------------------------------------------------------------------------
// scope (RFC 6749 §3.3)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScopeProblem {
    LeadingSpace,
    TrailingSpace,
    ExtraSpace,
    BadChar(char),
}

/// `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
fn is_scope_char(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

/// Where `scope = scope-token *( SP scope-token )` fails, as byte ranges of
/// the decoded value.
fn scope_problems(v: &str) -> Vec<(Range<usize>, ScopeProblem)> {
    let mut out = Vec::new();
    let mut run: Option<usize> = None; // start of the current run of spaces
    for (i, c) in v.char_indices() {
        if c == ' ' {
            run.get_or_insert(i);
            continue;
        }
        if let Some(s) = run.take() {
            if s == 0 {
                out.push((0..i, ScopeProblem::LeadingSpace));
            } else if i - s > 1 {
                out.push((s + 1..i, ScopeProblem::ExtraSpace));
            }
        }
        if !is_scope_char(c) {
            out.push((i..i + c.len_utf8(), ScopeProblem::BadChar(c)));
        }
    }
    if let Some(s) = run {
        let p = if s == 0 {
            ScopeProblem::LeadingSpace
        } else {
            ScopeProblem::TrailingSpace
        };
        out.push((s..v.len(), p));
    }
    out
}

fn check_scope(cx: &Context, p: &Pair, sink: &mut Sink) {
    let problems = scope_problems(&p.value);
    if problems.is_empty() {
        return;
    }
    let mut kinds: Vec<String> = Vec::new();
    for (_, pr) in &problems {
        let k = match pr {
            ScopeProblem::LeadingSpace if problems.len() == 1 && p.value.trim().is_empty() => {
                "only spaces".to_owned()
            }
            ScopeProblem::LeadingSpace => "a leading space".to_owned(),
            ScopeProblem::TrailingSpace => "a trailing space".to_owned(),
            ScopeProblem::ExtraSpace => "more than one space between scopes".to_owned(),
            ScopeProblem::BadChar(c) => describe_char(*c),
        };
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let non_ascii = problems
        .iter()
        .any(|(_, pr)| matches!(pr, ScopeProblem::BadChar(c) if !c.is_ascii()));
    let only_spaces = problems
        .iter()
        .all(|(_, pr)| !matches!(pr, ScopeProblem::BadChar(_)));
    let help = if only_spaces {
        "separate scope tokens with exactly one space and trim the ends (`scope=openid+profile`): node-oidc-provider answers invalid_scope \"scope contains invalid characters\"; servers that split on every space see an empty scope token"
    } else if non_ascii {
        "scope tokens are printable ASCII only (%x21, %x23-5B, %x5D-7E): use ASCII scope names; node-oidc-provider answers invalid_scope \"scope contains invalid characters\""
    } else {
        "scope tokens are printable ASCII without `\"` and `\\` (%x21, %x23-5B, %x5D-7E), separated by single spaces; node-oidc-provider answers invalid_scope \"scope contains invalid characters\""
    };
    let mut f = Finding::new(
        &SCOPE_SYNTAX,
        format!(
            "`scope` is not scope tokens separated by single spaces: {}",
            kinds.join(", ")
        ),
    )
    .field("parameters.scope")
    .help(help);
    for (r, pr) in problems.iter().take(MAX_LABELS) {
        let label = match pr {
            ScopeProblem::LeadingSpace => "leading space".to_owned(),
            ScopeProblem::TrailingSpace => "trailing space".to_owned(),
            ScopeProblem::ExtraSpace => "extra space".to_owned(),
            ScopeProblem::BadChar(c) if !c.is_ascii() => "not ASCII".to_owned(),
            ScopeProblem::BadChar(c) if c.is_control() => "control character".to_owned(),
            ScopeProblem::BadChar(c) => format!("{c:?} not allowed"),
        };
        f = f.label(cx.value_sub_span(p, r.clone()), label);
    }
    sink.push(f);
}

// ---------------------------------------------------------------------------
// resource (RFC 8707 §2)

/// A value shortened for a message.
fn show(v: &str) -> String {
    const MAX: usize = 80;
    if v.chars().count() <= MAX {
        return v.to_owned();
    }
    let cut: String = v.chars().take(MAX).collect();
    format!("{cut}…")
}

fn check_resource(cx: &Context, p: &Pair, bad_escape: bool, sink: &mut Sink) {
    let v = p.value.as_str();
    match uri::parse_absolute(v) {
        Err(uri::UriError::BadPercentEncoding { .. }) if bad_escape => {}
        Err(e) => {
            let help = if form::looks_double_encoded(v) {
                "the value is percent-encoded twice: the server sees `%3A%2F%2F` instead of `://`. Encode the URI once, as part of the form body".to_owned()
            } else if e == uri::UriError::NoScheme && !v.starts_with('/') && v.contains('.') {
                format!("give the full URI with its scheme, e.g. `https://{}`; RFC 8707 §2 requires an absolute URI. node-oidc-provider answers invalid_target \"resource indicator must be an absolute URI\"", show(v))
            } else {
                "give an absolute URI (RFC 3986 §4.3) such as `https://api.example.com/`, with every reserved or non-ASCII character percent-encoded; node-oidc-provider answers invalid_target \"resource indicator must be an absolute URI\"".to_owned()
            };
            let label = match e {
                uri::UriError::NoScheme | uri::UriError::Empty => "no scheme".to_owned(),
                uri::UriError::BadPercentEncoding { .. } => "not a valid escape".to_owned(),
                uri::UriError::UnexpectedChar { ch, .. } => {
                    format!("{} not allowed in a URI", describe_char(ch))
                }
                uri::UriError::InvalidIpv6 { .. } => "malformed IPv6 address".to_owned(),
            };
            sink.push(
                Finding::new(
                    &RESOURCE_INVALID,
                    format!("`resource` `{}` is not an absolute URI: {e}", show(v)),
                )
                .field("parameters.resource")
                .label(cx.value_sub_span(p, e.range(v)), label)
                .help(help),
            );
        }
        Ok(u) => {
            if let Some(frag) = u.fragment_marker() {
                sink.push(
                    Finding::new(
                        &RESOURCE_INVALID,
                        format!("`resource` `{}` has a fragment; RFC 8707 §2 says it MUST NOT", show(v)),
                    )
                    .field("parameters.resource")
                    .label(cx.value_sub_span(p, frag), "fragment")
                    .help("remove the `#…` part (even an empty `#`): node-oidc-provider answers invalid_target \"resource indicator must not contain a fragment component\""),
                );
            }
            if let Some(q) = u.query_marker() {
                sink.push(
                    Finding::new(
                        &RESOURCE_QUERY,
                        format!("`resource` `{}` has a query; RFC 8707 §2 says it SHOULD NOT", show(v)),
                    )
                    .field("parameters.resource")
                    .label(cx.value_sub_span(p, q), "query")
                    .help("identify the resource server by scheme, host and path alone; if the query was meant as more token-request parameters, its `&` needed encoding as %26"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// `+` in credentials

fn check_plus(cx: &Context, p: &Pair, sink: &mut Sink) {
    let n = p.plus_spaces.len();
    if n == 0 {
        return;
    }
    let (what, verb) = if n == 1 {
        ("a raw `+`".to_owned(), "decodes")
    } else {
        (format!("{n} raw `+` signs"), "decode")
    };
    let mut f = Finding::new(
        &PLUS_AS_SPACE,
        format!("`{}` contains {what}, which {verb} to a space in a form body (RFC 6749 Appendix B)", p.name),
    )
    .field(field_of(p))
    .help("if the value really contains `+` (standard base64 does), send it as %2B: the server otherwise compares a value with spaces and fails (invalid_client / invalid_grant; the Postman and `curl -d` trap, e.g. openiddict-core#1093, node-oidc-provider#361, AADSTS7000215). If you do mean a space, write it as %20");
    for &i in p.plus_spaces.iter().take(MAX_LABELS) {
        f = f.label(cx.value_sub_span(p, i..i + 1), "decodes to a space");
    }
    sink.push(f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, Settings};
    use crate::request::fixture;

    fn rules_for(params: &str) -> Vec<&'static str> {
        let body = serde_json::json!({ "parameters": params }).to_string();
        crate::lint::rule_ids(&body, &Settings::with_now(1_767_225_600), "params/")
    }

    #[test]
    fn scope_abnf() {
        use ScopeProblem::*;
        assert!(scope_problems("openid profile email").is_empty());
        assert!(scope_problems("a!#[]~,").is_empty());
        assert_eq!(scope_problems(" openid"), vec![(0..1, LeadingSpace)]);
        assert_eq!(scope_problems("openid "), vec![(6..7, TrailingSpace)]);
        assert_eq!(scope_problems("a   b"), vec![(2..4, ExtraSpace)]);
        assert_eq!(scope_problems("   "), vec![(0..3, LeadingSpace)]);
        assert_eq!(
            scope_problems("a\"b\\c"),
            vec![(1..2, BadChar('"')), (3..4, BadChar('\\'))]
        );
        assert_eq!(scope_problems("café"), vec![(3..5, BadChar('é'))]);
        assert_eq!(scope_problems("a\tb"), vec![(1..2, BadChar('\t'))]);
    }

    #[test]
    fn appendix_b_vector_raises_nothing() {
        // RFC 6749 App. B: " %&+£€" encodes as "+%25%26%2B%C2%A3%E2%82%AC".
        assert!(
            rules_for("grant_type=client_credentials&parameter=+%25%26%2B%C2%A3%E2%82%AC")
                .is_empty()
        );
        assert!(
            rules_for("grant_type=password&username=j%C3%BCrgen&password=%E2%82%AC%2B1").is_empty()
        );
    }

    #[test]
    fn utf8_ranges_and_decoding() {
        assert_eq!(
            crate::form::decode_octets("a+%41%zz%4"),
            (b"a A%zz%4".to_vec(), false)
        );
        assert_eq!(invalid_utf8_ranges(b"ok"), Vec::<Range<usize>>::new());
        assert_eq!(invalid_utf8_ranges(b"caf\xe9!\xff"), vec![3..4, 5..6]);
        assert_eq!(invalid_utf8_ranges(b"a\xe2\x82"), vec![1..3]);
    }

    #[test]
    fn encoding_rules() {
        assert_eq!(
            rules_for("grant_type=client_credentials&x=%zz"),
            ["params/bad-percent-encoding"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&x=a b"),
            ["params/unescaped-character"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&x=caf%E9"),
            ["params/invalid-utf8"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&client_secret=a+b"),
            ["params/plus-as-space"]
        );
        assert!(rules_for("grant_type=client_credentials&client_secret=a%2Bb%20c").is_empty());
    }

    #[test]
    fn repeats_and_resources() {
        assert_eq!(
            rules_for("grant_type=client_credentials&scope=a&scope=b"),
            ["params/duplicate"]
        );
        assert!(rules_for("grant_type=client_credentials&resource=https%3A%2F%2Fa.example%2F&resource=https%3A%2F%2Fb.example%2F").is_empty());
        assert_eq!(
            rules_for("grant_type=client_credentials&audience=a&audience=b"),
            ["params/duplicate"]
        );
        assert!(rules_for("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&audience=a&audience=b").is_empty());
        assert_eq!(
            rules_for("grant_type=client_credentials&resource=api.example.com"),
            ["params/resource-invalid"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&resource=https%3A%2F%2Fa%2F%23"),
            ["params/resource-invalid"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&resource=https%3A%2F%2Fa%2F%3Fx%3D1"),
            ["params/resource-query"]
        );
    }

    proptest::proptest! {
        /// Any body, built from the pieces that trip decoders, lints without
        /// a panic and with every label inside the input.
        #[test]
        fn no_panic_and_labels_in_bounds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "grant_type=", "authorization_code", "client_credentials", "refresh_token",
                    "&", "=", "scope=", "resource=", "redirect_uri=", "client_secret=", "code=",
                    "actor_token=", "%", "%2", "%zz", "%C3", "%A9", "%E2%82%AC", "%FC", "+", " ",
                    "é", "€", "\"", "#", "%23", "%3A%2F%2F", "https", "://", "[", "]", "?", "x",
                    "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3A", "\\", "\t",
                ]),
                0..24,
            )
        ) {
            let params: String = parts.concat();
            let body = serde_json::json!({ "parameters": params }).to_string();
            let loaded = fixture::load_str("t.json", &body);
            let report = lint(&loaded, &Settings::with_now(1_767_225_600));
            for f in &report.findings {
                for l in &f.labels {
                    proptest::prop_assert!(l.span.end() <= loaded.source.text.len(), "{}: {:?}", f.rule.id, l);
                }
            }
        }
    }
}
