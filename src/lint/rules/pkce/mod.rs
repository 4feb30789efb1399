//! `pkce/`: the `code_verifier` of RFC 7636.

use crate::form::Pair;
use crate::lint::rules::grant::table as grants;
use crate::lint::{Context, Finding, Sink};

crate::lint::declare_rules! {
    area: Pkce;
    VERIFIER_LENGTH = "pkce/verifier-length", Error, "RFC 7636 §4.1",
        "`code_verifier` must be 43 to 128 characters long";
    VERIFIER_CHARSET = "pkce/verifier-charset", Error, "RFC 7636 §4.1",
        "`code_verifier` may only contain A-Z a-z 0-9 - . _ ~";
    VERIFIER_LOW_ENTROPY = "pkce/verifier-low-entropy", Warning, "RFC 7636 §7.1",
        "`code_verifier` looks far less random than 256 bits";
    VERIFIER_UNEXPECTED = "pkce/verifier-unexpected", Warning, "RFC 7636 §4.5; RFC 6749 §3.2",
        "`code_verifier` sent with a grant that does not use PKCE";
}

pub const MIN_LEN: usize = 43;
pub const MAX_LEN: usize = 128;

/// RFC 7636 §4.1: `unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"`.
pub fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// The `Pkce` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Pkce,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    let Some(v) = cx.param("code_verifier") else {
        return;
    };
    let grant = cx.grant_type().and_then(|g| grants::table().get(g));
    if let Some(g) = grant {
        if !g.allows("code_verifier") {
            sink.push(
                Finding::new(
                    &VERIFIER_UNEXPECTED,
                    format!("`code_verifier` is sent with grant_type={}, which does not use PKCE; the server ignores it", g.name),
                )
                .field("parameters.code_verifier")
                .label(cx.pair_span(v), "not used by this grant")
                .help("PKCE belongs to the authorization_code grant (RFC 7636 §4.5); remove code_verifier here, or check that the grant_type is the one you meant"),
            );
        }
    }
    check_length(cx, v, sink);
    check_charset(cx, v, sink);
    check_entropy(cx, v, sink);
}

fn check_length(cx: &Context, v: &Pair, sink: &mut Sink) {
    let n = v.value.chars().count();
    if (MIN_LEN..=MAX_LEN).contains(&n) {
        return;
    }
    let (what, help) = if n < MIN_LEN {
        (
            "too short",
            "generate 32 random octets and base64url-encode them without padding: that gives 43 characters (`tokenlint pkce generate`)",
        )
    } else {
        (
            "too long",
            "use at most 128 characters; 32 to 96 random octets, base64url-encoded without padding, fit",
        )
    };
    sink.push(
        Finding::new(
            &VERIFIER_LENGTH,
            format!("`code_verifier` is {n} characters long, {what}: RFC 7636 requires 43 to 128"),
        )
        .field("parameters.code_verifier")
        .label(cx.value_span(v), format!("{n} characters"))
        .help(help),
    );
}

fn check_charset(cx: &Context, v: &Pair, sink: &mut Sink) {
    let bad: Vec<(usize, char)> = v
        .value
        .char_indices()
        .filter(|(_, c)| !is_unreserved(*c))
        .collect();
    if bad.is_empty() {
        return;
    }
    let from_plus = bad
        .iter()
        .any(|(i, c)| *c == ' ' && v.plus_spaces.contains(i));
    let padding = v.value.ends_with('=');
    let std_b64 = bad.iter().any(|(_, c)| *c == '+' || *c == '/');
    let help = if from_plus {
        "a raw `+` in the form body decodes to a space (RFC 6749 Appendix B). The verifier was probably standard base64: use base64url (`-` and `_`) without padding, or percent-encode `+` as %2B if the value really has one"
    } else if padding {
        "`=` is base64 padding: RFC 7636 Appendix A encodes the verifier as base64url WITHOUT padding; strip the trailing `=`"
    } else if std_b64 {
        "`+` and `/` come from standard base64: use the base64url alphabet (`-` and `_`) without padding (RFC 7636 Appendix A)"
    } else {
        "use only the unreserved characters A-Z a-z 0-9 - . _ ~ (for example base64url of random octets)"
    };
    let shown: String = bad
        .iter()
        .map(|(_, c)| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut f = Finding::new(
        &VERIFIER_CHARSET,
        format!("`code_verifier` contains characters outside [A-Za-z0-9-._~]: {shown}"),
    )
    .field("parameters.code_verifier")
    .help(help);
    for (i, c) in bad.iter().take(8) {
        let label = if *c == ' ' && v.plus_spaces.contains(i) {
            "`+` here decodes to a space".to_owned()
        } else {
            format!("{c:?} not allowed")
        };
        f = f.label(cx.value_sub_span(v, *i..*i + c.len_utf8()), label);
    }
    sink.push(f);
}

fn check_entropy(cx: &Context, v: &Pair, sink: &mut Sink) {
    let n = v.value.chars().count();
    if n < MIN_LEN {
        return; // the length finding says enough
    }
    let mut distinct: Vec<char> = v.value.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    // 43 random base64url characters show about 30 distinct symbols; fewer
    // than 10 means a constant, a repeated pattern or a hex/decimal string.
    if distinct.len() >= 10 {
        return;
    }
    sink.push(
        Finding::new(
            &VERIFIER_LOW_ENTROPY,
            format!("`code_verifier` uses only {} distinct characters in {n}; a verifier should carry 256 bits of randomness", distinct.len()),
        )
        .field("parameters.code_verifier")
        .label(cx.value_span(v), "not random enough")
        .help("generate it from a cryptographic random source: 32 random octets, base64url-encoded (`tokenlint pkce generate`)"),
    );
}
