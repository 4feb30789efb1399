//! What is secret, in one place: which form parameters, request fields and
//! headers carry credentials, which JWK members make a key private, what a
//! private key looks like in a value, and how a secret is masked for
//! display. Loaders, rules and reports ask here, so a name added to a list
//! is masked everywhere at once. Nothing here knows about rules or formats.

use std::borrow::Cow;
use std::ops::Range;

use base64::Engine as _;
use serde_json::Value;

use crate::form::{Form, Pair};
use crate::span::Span;

/// Form parameters whose values are credentials: masked in every display.
pub const SECRET_PARAMS: &[&str] = &[
    "client_secret",
    "refresh_token",
    "password",
    "code",
    "device_code",
    "subject_token",
    "actor_token",
    "access_token",
];

/// Fields of Authlete's request body whose values are credentials.
pub const SECRET_FIELDS: &[&str] = &["clientSecret", "accessToken"];

/// Request headers whose values are credentials (matched case-insensitively).
pub const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// Members that only a private (or symmetric) key has: EC/OKP `d`; RSA
/// `d p q dp dq qi oth`; oct `k`; AKP (ML-DSA) `priv`.
pub const JWK_PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];

/// What marks a PEM private-key block (`-----BEGIN EC PRIVATE KEY-----`, …).
const PRIVATE_KEY_LABEL: &str = "PRIVATE KEY";

/// What replaces a private key in a displayed value.
const PRIVATE_KEY_MASK: &str = "(a private key, masked)";

/// What replaces a secret parameter's value in a displayed form body.
const PARAM_MASK: &str = "****";

pub fn is_secret_param(name: &str) -> bool {
    SECRET_PARAMS.contains(&name)
}

/// A secret parameter, or a client assertion: a signed credential a server
/// accepts until it expires. Masked where a capture carries it in a URL's
/// query string (which proxies and servers log) or in a HAR's body text.
pub fn is_secret_in_capture(name: &str) -> bool {
    is_secret_param(name) || name == "client_assertion"
}

pub fn is_secret_field(json_name: &str) -> bool {
    SECRET_FIELDS.contains(&json_name)
}

pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// A header of a recorded exchange: a HAR keeps the responses too, whose
/// `Set-Cookie` hands out session credentials.
pub fn is_secret_recorded_header(name: &str) -> bool {
    is_secret_header(name) || name.eq_ignore_ascii_case("set-cookie")
}

/// Whether a value holds a PEM private key, armoured or not quite.
pub fn holds_private_key(value: &str) -> bool {
    value.contains(PRIVATE_KEY_LABEL)
}

/// The pairs of a decoded form that `is_secret` names, with a value to hide.
pub fn secret_pairs(form: &Form, is_secret: fn(&str) -> bool) -> impl Iterator<Item = &Pair> {
    form.pairs
        .iter()
        .filter(move |p| is_secret(&p.name) && !p.value_raw.is_empty())
}

/// Byte ranges of secret parameters' values in a form string split as
/// written, before any decoding: for text no decoder has read (a JSON text
/// that did not parse, a value too large to decode). Only the names are
/// decoded, so `client%5Fsecret` is found.
pub fn secret_value_ranges(form: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for pair in form.split('&') {
        if let Some((name, value)) = pair.split_once('=') {
            // Secret names are short, even percent-encoded: a longer one is
            // not worth decoding.
            if name.len() <= 128 && !value.is_empty() && is_secret_param(&decoded_name(name)) {
                let start = at + name.len() + 1;
                out.push(start..start + value.len());
            }
        }
        at += pair.len() + 1;
    }
    out
}

fn decoded_name(name: &str) -> Cow<'_, str> {
    match crate::form::decode(name).pairs.into_iter().next() {
        Some(p) => Cow::Owned(p.name),
        None => Cow::Borrowed(name),
    }
}

/// Masks a secret value for display: keeps a 4-character prefix only when
/// the value is long enough (32 characters) that the prefix reveals little.
pub fn redact(value: &str) -> String {
    let n = value.chars().count();
    if n >= 32 {
        let head: String = value.chars().take(4).collect();
        format!("{head}…({n} chars, masked)")
    } else {
        format!("****({n} chars, masked)")
    }
}

/// A request field's value for display: a secret field redacted, the secret
/// parameters inside `parameters` masked, and private keys masked anywhere.
pub fn mask_field(json_name: &str, value: &str) -> String {
    if is_secret_field(json_name) {
        return redact(value);
    }
    let value = if json_name == "parameters" {
        Cow::Owned(mask_params(value))
    } else {
        Cow::Borrowed(value)
    };
    mask_private_parts(&value)
}

/// The form body with the values of secret parameters masked.
pub fn mask_params(encoded: &str) -> String {
    let form = crate::form::decode(encoded);
    let mut out = encoded.to_owned();
    // Replace from the end so earlier ranges stay valid.
    let secret: Vec<&Pair> = secret_pairs(&form, is_secret_param).collect();
    for p in secret.iter().rev() {
        out.replace_range(p.value_raw.clone(), PARAM_MASK);
    }
    out
}

/// Byte ranges of the private keys in a value: each PEM private-key block,
/// or all of it when it names a private key the scanner cannot delimit.
pub fn private_key_ranges(value: &str) -> Vec<Range<usize>> {
    if !holds_private_key(value) {
        return Vec::new();
    }
    let scan = crate::x509::scan(value);
    if scan.items.is_empty() {
        return std::iter::once(0..value.len()).collect();
    }
    let private = |item: &&crate::x509::Item| match item.label.as_deref() {
        Some(l) => holds_private_key(l),
        None => value.get(item.range.clone()).is_some_and(holds_private_key),
    };
    scan.items
        .iter()
        .filter(private)
        .map(|item| item.range.clone())
        .collect()
}

/// A value with its private keys masked: the body of each PEM private-key
/// block, and the header of a JWS whose `jwk` carries private members.
pub fn mask_private_parts(value: &str) -> String {
    if holds_private_key(value) {
        let mut out = value.to_owned();
        for range in private_key_ranges(value).into_iter().rev() {
            if out.is_char_boundary(range.start) && range.end <= out.len() {
                out.replace_range(range, PRIVATE_KEY_MASK);
            }
        }
        return out;
    }
    // A compact JWS: `header.payload.signature`.
    match value.split_once('.') {
        Some((header, rest)) if header_has_private_jwk(header) => {
            format!("(a JWS header holding a private key, masked).{rest}")
        }
        _ => value.to_owned(),
    }
}

/// Whether a JWS header (base64url) carries a `jwk` with private members.
/// ML-DSA's `priv` is not looked for here yet: the displayed body has
/// always been masked without it, and this refactoring changes no output.
fn header_has_private_jwk(header: &str) -> bool {
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    decoded
        .as_ref()
        .and_then(|h| h.get("jwk"))
        .and_then(Value::as_object)
        .is_some_and(|jwk| {
            JWK_PRIVATE_MEMBERS
                .iter()
                .filter(|m| **m != "priv")
                .any(|m| jwk.contains_key(*m))
        })
}

/// Secrets in a JSON text that did not parse, found by a lenient scan of its
/// string literals, so an error report's snippet never shows them: the
/// value of a secret field (`clientSecret`, `accessToken`, …), the values of
/// secret parameters inside `parameters`, and any string holding a private
/// key. With `all_values`, every string that is not a member name is
/// masked (for formats like HAR whose secrets hide in generic `value`s).
/// `base` is the text's offset in its source.
pub fn lenient_secret_spans(text: &str, base: usize, all_values: bool) -> Vec<Span> {
    let mut out = Vec::new();
    let mut key: Option<Range<usize>> = None;
    for lit in string_literals(text) {
        let content = text.get(lit.content.clone()).unwrap_or("");
        if lit.is_key {
            key = Some(lit.content);
            continue;
        }
        let name = key.take().and_then(|k| text.get(k)).unwrap_or("");
        let start = lit.content.start;
        if all_values || is_secret_field(name) || holds_private_key(content) {
            out.push(Span::new(base + start, lit.content.len()));
        } else if name == "parameters" {
            let values = secret_value_ranges(content).into_iter();
            out.extend(values.map(|r| Span::new(base + start + r.start, r.len())));
        }
    }
    out
}

/// A string literal of a JSON text, found without parsing it.
struct Literal {
    /// Between the quotes, escapes and all.
    content: Range<usize>,
    /// Followed by `:`: a member name.
    is_key: bool,
}

/// The string literals of a text that may not be valid JSON: each runs from
/// a `"` to the next unescaped `"` (or the end).
fn string_literals(text: &str) -> impl Iterator<Item = Literal> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let open = i + bytes.get(i..)?.iter().position(|&b| b == b'"')?;
        let start = open + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        let end = j.min(bytes.len());
        let after = bytes[end.saturating_add(1).min(bytes.len())..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        i = end + 1;
        Some(Literal {
            content: start..end,
            is_key: after == Some(&b':'),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_scan_masks_secrets_in_broken_json() {
        let text =
            r#"{"parameters":"grant_type=password&password=pw1&scope=a","clientSecret":"cs1",,}"#;
        let spans = lenient_secret_spans(text, 0, false);
        let masked: Vec<&str> = spans.iter().map(|s| &text[s.offset..s.end()]).collect();
        assert_eq!(masked, ["pw1", "cs1"]);
    }

    #[test]
    fn raw_form_ranges_decode_names_only() {
        let form = "a=1&client%5Fsecret=s1&code=&password=p%20w";
        let got: Vec<&str> = secret_value_ranges(form)
            .into_iter()
            .map(|r| &form[r])
            .collect();
        assert_eq!(got, ["s1", "p%20w"]);
    }

    #[test]
    fn params_and_private_keys_are_masked() {
        assert_eq!(
            mask_params("a=1&client_secret=s&code="),
            "a=1&client_secret=****&code="
        );
        let pem = "x -----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(!mask_private_parts(pem).contains("AAAA"));
        assert_eq!(mask_private_parts("PRIVATE KEY"), PRIVATE_KEY_MASK);
        assert_eq!(mask_field("clientSecret", "s3"), "****(2 chars, masked)");
        assert_eq!(mask_field("parameters", "password=pw"), "password=****");
    }

    #[test]
    fn headers_are_matched_without_case() {
        assert!(is_secret_header("Authorization"));
        assert!(!is_secret_header("Set-Cookie"));
        assert!(is_secret_recorded_header("Set-Cookie"));
    }
}
