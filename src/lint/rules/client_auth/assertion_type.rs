//! `client-auth/assertion-type-*` and `client-auth/assertion-missing`: a
//! `client_assertion` comes with `client_assertion_type`, and that type is
//! RFC 7523's jwt-bearer URN (RFC 7521 §4.2, RFC 7523 §2.2).

use std::ops::Range;

use super::diags;
use crate::form::{decode_strict, Pair};
use crate::lint::{Context, Sink};
use crate::text::distance_within;

crate::lint::declare_rules! {
    area: ClientAuth;
    ASSERTION_TYPE_MISSING = "client-auth/assertion-type-missing", Error, "RFC 7521 §4.2",
        "`client_assertion` without `client_assertion_type`";
    ASSERTION_TYPE_INVALID = "client-auth/assertion-type-invalid", Error, "RFC 7523 §2.2",
        "`client_assertion_type` is not urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    ASSERTION_MISSING = "client-auth/assertion-missing", Error, "RFC 7521 §4.2",
        "`client_assertion_type` without a `client_assertion`";
}

/// The only client assertion type RFC 7523 §2.2 defines (and Authlete takes).
pub(super) const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// RFC 7523 §2.1's grant type, often pasted where the assertion type belongs.
const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// RFC 7522 §2.2's SAML assertion type: no `ClientAuthMethod` of Authlete's uses it.
const SAML2_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";

/// What is wrong with a `client_assertion_type` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TypeMistake {
    /// The right URN with whitespace around it (byte ranges of the whitespace).
    Whitespace(Vec<Range<usize>>),
    /// Percent-encoded twice: one more decode gives the right URN.
    DoubleEncoded,
    /// RFC 7523 §2.1's grant type URN instead.
    GrantType(Range<usize>),
    /// The SAML 2.0 assertion type (RFC 7522).
    Saml,
    /// A method name (`private_key_jwt`) or a short form (`jwt-bearer`).
    ShortForm,
    /// Differs only in letter case.
    Case(Range<usize>),
    /// Close to the right URN: the bytes that differ.
    Typo(Range<usize>),
    Other,
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    let assertion = cx.param("client_assertion");
    let ty = cx.param("client_assertion_type");
    match (assertion, ty) {
        (Some(a), None) => sink.push(diags::assertion_type_missing(cx.name_span(a))),
        (None, Some(t)) => {
            // An empty `client_assertion` counts as none (RFC 6749 §3.2).
            let empty = cx.form.all("client_assertion").next();
            let empty = empty.map(|e| cx.pair_span(e));
            sink.push(diags::assertion_missing(cx.pair_span(t), empty));
        }
        _ => {}
    }
    if let Some(t) = ty {
        check_type(cx, t, sink);
    }
}

fn check_type(cx: &Context, t: &Pair, sink: &mut Sink) {
    let v = t.value.as_str();
    if v == JWT_BEARER {
        return;
    }
    let mistake = diagnose(v);
    let spans = |r: Range<usize>| cx.value_sub_span(t, r);
    sink.push(diags::assertion_type_invalid(
        v,
        &mistake,
        cx.value_span(t),
        spans,
    ));
}

fn diagnose(v: &str) -> TypeMistake {
    if v.trim() == JWT_BEARER {
        return TypeMistake::Whitespace(whitespace_around(v));
    }
    if v.contains('%') && decode_strict(v).as_deref() == Some(JWT_BEARER) {
        return TypeMistake::DoubleEncoded;
    }
    if v == JWT_BEARER_GRANT {
        return TypeMistake::GrantType(diff_range(v, JWT_BEARER));
    }
    if v.eq_ignore_ascii_case(SAML2_BEARER) {
        return TypeMistake::Saml;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "jwt-bearer"
            | "jwt_bearer"
            | "jwt"
            | "private_key_jwt"
            | "client_secret_jwt"
            | "jwt-bearer-token"
    ) {
        return TypeMistake::ShortForm;
    }
    if v.eq_ignore_ascii_case(JWT_BEARER) {
        return TypeMistake::Case(diff_range(v, JWT_BEARER));
    }
    if distance_within(&lower, JWT_BEARER, 4).is_some() {
        return TypeMistake::Typo(diff_range(v, JWT_BEARER));
    }
    TypeMistake::Other
}

/// The byte ranges of leading and trailing whitespace.
fn whitespace_around(v: &str) -> Vec<Range<usize>> {
    let lead = v.len() - v.trim_start().len();
    let tail = v.len() - v.trim_end().len();
    let mut ranges = Vec::new();
    if lead > 0 {
        ranges.push(0..lead);
    }
    if tail > 0 {
        ranges.push(v.len() - tail..v.len());
    }
    ranges
}

/// The byte range of `a` that differs from `b`: after the longest common
/// prefix and before the longest common suffix, widened to one character when
/// `a` only lacks characters. Always on character boundaries of `a`.
fn diff_range(a: &str, b: &str) -> Range<usize> {
    let prefix: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let max_suffix = (a.len() - prefix).min(b.len().saturating_sub(prefix));
    let suffix: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .scan(0usize, |acc, n| {
            *acc += n;
            Some(*acc)
        })
        .take_while(|acc| *acc <= max_suffix)
        .last()
        .unwrap_or(0);
    let (start, end) = (prefix, a.len() - suffix);
    if start < end {
        return start..end;
    }
    // `a` lacks characters here: underline the character next to the gap.
    match a[start..].chars().next() {
        Some(c) => start..start + c.len_utf8(),
        None => match a[..start].chars().next_back() {
            Some(c) => start - c.len_utf8()..start,
            None => start..start,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assertion_type_mistakes() {
        let TypeMistake::Whitespace(r) = diagnose(&format!("{JWT_BEARER} ")) else {
            panic!("trailing space not recognised")
        };
        assert_eq!(r.len(), 1);
        assert_eq!(r[0], 54..55);
        let TypeMistake::Whitespace(r) = diagnose(&format!(" {JWT_BEARER}\t")) else {
            panic!("leading space not recognised")
        };
        assert_eq!(r, [0..1, 55..56]);
        assert_eq!(
            diagnose("urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"),
            TypeMistake::DoubleEncoded
        );
        let TypeMistake::GrantType(r) = diagnose(JWT_BEARER_GRANT) else {
            panic!("grant type not recognised")
        };
        assert_eq!(&JWT_BEARER_GRANT[r], "grant");
        assert_eq!(diagnose("private_key_jwt"), TypeMistake::ShortForm);
        assert_eq!(diagnose("JWT-Bearer"), TypeMistake::ShortForm);
        assert_eq!(diagnose(SAML2_BEARER), TypeMistake::Saml);
        let upper = JWT_BEARER.replace("jwt", "JWT");
        let TypeMistake::Case(r) = diagnose(&upper) else {
            panic!("case not recognised")
        };
        assert_eq!(&upper[r], "JWT");
        let typo = "urn:ietf:params:oauth:client-assertion-type:jwt_bearer";
        let TypeMistake::Typo(r) = diagnose(typo) else {
            panic!("typo not recognised")
        };
        assert_eq!(&typo[r], "_");
        let missing = "urn:ietf:params:oauth:client-assertion:jwt-bearer";
        assert!(matches!(diagnose(missing), TypeMistake::Other));
        assert_eq!(diagnose("bearer"), TypeMistake::Other);
    }

    #[test]
    fn diff_ranges() {
        assert_eq!(diff_range("abXd", "abcd"), 2..3);
        // `a` lacks a character: underline its neighbour.
        assert_eq!(diff_range("abd", "abcd"), 2..3);
        assert_eq!(diff_range("abc", "abcd"), 2..3);
        assert_eq!(diff_range("", "abc"), 0..0);
        // Repeated characters do not make the suffix overlap the prefix.
        assert_eq!(diff_range("aaa", "aa"), 2..3);
        assert_eq!(diff_range("é", "e"), 0..2);
    }

    #[test]
    fn form_decoding() {
        assert_eq!(decode_strict("a%3Ab+c").as_deref(), Some("a:b c"));
        assert_eq!(decode_strict("100%"), None);
        assert_eq!(decode_strict("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(decode_strict("%FF"), None);
    }
}
