//! The `params/` findings' prose: one constructor per kind of finding, so
//! the checks read as logic.

use std::ops::Range;

use super::encoding::{
    raw_params, BadUtf8, Part, Unescaped, BAD_PERCENT_ENCODING, INVALID_UTF8, UNESCAPED_CHARACTER,
};
use super::plus::PLUS_AS_SPACE;
use super::repetition::{DUPLICATE, EMPTY_VALUE};
use super::resource::{RESOURCE_INVALID, RESOURCE_QUERY};
use super::scope::{ScopeFlaw, ScopeProblem, SCOPE_SYNTAX};
use super::split::SPLIT_VALUE;
use crate::form::{self, Pair};
use crate::lint::{Context, Finding};
use crate::uri::UriError;

/// At most this many items are named in one message, or marked in one
/// finding.
const MAX_LABELS: usize = 8;

fn field_of(p: &Pair) -> String {
    format!("parameters.{}", p.name)
}

/// The field of a finding about a name or value: never the name of the rest
/// of a split secret, which is part of the secret.
fn part_field(part: Part) -> String {
    if !part.name_shown {
        "parameters".to_owned()
    } else {
        field_of(part.pair)
    }
}

/// "the value of `code`" / "the parameter name `a%zz`".
fn whose(part: Part) -> String {
    if !part.name_shown {
        return if part.in_name {
            "a parameter name that is part of a secret".to_owned()
        } else {
            "the value of a parameter that is part of a secret".to_owned()
        };
    }
    if part.in_name {
        format!("the parameter name `{}`", part.pair.name)
    } else {
        format!("the value of `{}`", part.pair.name)
    }
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "space".to_owned(),
        c if c.is_control() => format!("U+{:04X}", u32::from(c)),
        c => format!("{c:?}"),
    }
}

/// A value shortened for a message.
fn show(v: &str) -> String {
    const MAX: usize = 80;
    if v.chars().count() <= MAX {
        return v.to_owned();
    }
    let cut: String = v.chars().take(MAX).collect();
    format!("{cut}…")
}

/// The first few raw ranges of `parameters`, quoted: "`%zz`, `%4`".
fn quote_raw(cx: &Context, ranges: &[Range<usize>], unknown: &str) -> String {
    let raw = raw_params(cx);
    let shown: Vec<String> = ranges
        .iter()
        .take(MAX_LABELS)
        .map(|r| format!("`{}`", raw.get(r.clone()).unwrap_or(unknown)))
        .collect();
    shown.join(", ")
}

// ---------------------------------------------------------------------------
// Appendix B encoding

pub(super) fn bad_percent_encoding(cx: &Context, part: Part, escapes: &[Range<usize>]) -> Finding {
    let n = escapes.len();
    let what = if n == 1 {
        "a `%` that is not followed by two hex digits".to_owned()
    } else {
        format!("{n} `%` signs that are not followed by two hex digits")
    };
    let mut msg = format!("{} has {what}", whose(part));
    if part.quotable() {
        msg.push_str(&format!(": {}", quote_raw(cx, escapes, "%")));
    }
    let mut f = Finding::new(&BAD_PERCENT_ENCODING, msg)
        .field(part_field(part))
        .help(
            "write a literal `%` as %25; an escape is `%` and two hex digits (RFC 6749 \
             Appendix B). oauthlib rejects the whole body (\"Invalid hex encoding in query \
             string.\"); node-oidc-provider keeps the `%` as written, so the server sees a \
             different value than the client meant",
        );
    for r in escapes.iter().take(MAX_LABELS) {
        f = f.label(cx.raw_params_span(r.clone()), "not a valid escape");
    }
    f
}

pub(super) fn unescaped_character(cx: &Context, part: Part, chars: &[Unescaped]) -> Finding {
    let n = chars.len();
    let noun = if n == 1 { "character" } else { "characters" };
    let mut msg = format!(
        "{} has {n} raw {noun} that must be percent-encoded",
        whose(part)
    );
    if part.quotable() {
        let mut distinct: Vec<char> = chars.iter().map(|u| u.ch).collect();
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
        .field(part_field(part))
        .help(
            "form-encode every name and value (RFC 6749 Appendix B): UTF-8, then each byte outside \
             A-Z a-z 0-9 - . _ * as %XX, and space as `+`. oauthlib rejects the whole body \
             (\"Error trying to decode a non urlencoded string\"); node-oidc-provider and most \
             other servers take the raw bytes as they are, so the request works on some servers \
             only",
        );
    for u in chars.iter().take(MAX_LABELS) {
        let label = if !part.quotable() {
            "must be percent-encoded".to_owned()
        } else if u.ch == ' ' {
            "encode a space as `+` or %20".to_owned()
        } else {
            format!("encode as {}", form::encode(&u.ch.to_string()))
        };
        f = f.label(cx.raw_params_span(u.raw.clone()), label);
    }
    f
}

pub(super) fn invalid_utf8(cx: &Context, part: Part, bad: &BadUtf8) -> Finding {
    let mut msg = format!(
        "{} percent-decodes to bytes that are not UTF-8",
        whose(part)
    );
    if part.quotable() && !bad.raw.is_empty() {
        msg.push_str(&format!(": {}", quote_raw(cx, &bad.raw, "?")));
    }
    let help = match bad.latin1 {
        Some(c) if part.quotable() => format!(
            "percent-encode the UTF-8 bytes of the text (RFC 6749 Appendix B): {c:?} is {} in \
             UTF-8, while %{:02X} is its Latin-1 byte",
            form::encode(&c.to_string()),
            u32::from(c)
        ),
        _ => "percent-encode the UTF-8 bytes of the text (RFC 6749 Appendix B); the value was \
              probably encoded from Latin-1 or another legacy charset"
            .to_owned(),
    };
    let mut f = Finding::new(&INVALID_UTF8, msg)
        .field(part_field(part))
        .help(help);
    if bad.raw.is_empty() {
        let span = if part.in_name {
            cx.name_span(part.pair)
        } else {
            cx.value_span(part.pair)
        };
        f = f.label(span, "not UTF-8");
    }
    for r in bad.raw.iter().take(MAX_LABELS) {
        f = f.label(cx.raw_params_span(r.clone()), "not UTF-8");
    }
    f
}

// ---------------------------------------------------------------------------
// Repetition and empty values (RFC 6749 §3.2)

pub(super) fn duplicate(cx: &Context, name: &str, pairs: &[&Pair]) -> Finding {
    let help = match name {
        "scope" => {
            "send one `scope` holding every scope, separated by spaces (`scope=openid+profile`)"
                .to_owned()
        }
        "audience" => {
            "only token exchange lets `audience` repeat (RFC 8693 §2.1); send one `audience` here"
                .to_owned()
        }
        _ => format!(
            "send `{name}` once. node-oidc-provider answers invalid_request \"'{name}' parameter \
             must not be provided twice\"; other servers silently use the first or the last value"
        ),
    };
    let marked = if pairs.len() > MAX_LABELS {
        format!(" (the first {MAX_LABELS} are marked)")
    } else {
        String::new()
    };
    let mut f = Finding::new(
        &DUPLICATE,
        format!(
            "`{name}` appears {} times{marked}; a parameter MUST NOT be included more than once \
             (RFC 6749 §3.2)",
            pairs.len(),
        ),
    )
    .field(format!("parameters.{name}"))
    .help(help);
    for (i, p) in pairs.iter().enumerate().take(MAX_LABELS) {
        let label = if i == 0 { "first here" } else { "again here" };
        f = f.label(cx.pair_span(p), label);
    }
    f
}

pub(super) fn empty_value(cx: &Context, p: &Pair) -> Finding {
    let name = p.name.as_str();
    let help = if name == "client_secret" {
        "remove it. Servers read an empty client_secret differently: node-oidc-provider treats it \
         as absent (a public client, auth method `none`), Authlete tolerates it for a public \
         client but refuses any non-empty secret there (A157303), and a server that only checks \
         for the parameter sees client_secret_post with a wrong secret"
            .to_owned()
    } else {
        format!("remove `{name}`, or give it a value")
    };
    Finding::new(
        &EMPTY_VALUE,
        format!("`{name}` has an empty value; RFC 6749 §3.2 treats it as if it were omitted"),
    )
    .field(field_of(p))
    .label(cx.pair_span(p), "empty value")
    .help(help)
}

// ---------------------------------------------------------------------------
// scope (RFC 6749 §3.3)

pub(super) fn scope_syntax(cx: &Context, p: &Pair, flaws: &[ScopeFlaw]) -> Finding {
    let only_spaces_value = flaws.len() == 1 && p.value.trim().is_empty();
    let mut kinds: Vec<String> = Vec::new();
    for fl in flaws {
        let k = match fl.problem {
            ScopeProblem::LeadingSpace if only_spaces_value => "only spaces".to_owned(),
            ScopeProblem::LeadingSpace => "a leading space".to_owned(),
            ScopeProblem::TrailingSpace => "a trailing space".to_owned(),
            ScopeProblem::ExtraSpace => "more than one space between scopes".to_owned(),
            ScopeProblem::BadChar(c) => describe_char(c),
        };
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let non_ascii = flaws
        .iter()
        .any(|fl| matches!(fl.problem, ScopeProblem::BadChar(c) if !c.is_ascii()));
    let only_spaces = flaws
        .iter()
        .all(|fl| !matches!(fl.problem, ScopeProblem::BadChar(_)));
    let help = if only_spaces {
        "separate scope tokens with exactly one space and trim the ends (`scope=openid+profile`): \
         node-oidc-provider answers invalid_scope \"scope contains invalid characters\"; servers \
         that split on every space see an empty scope token"
    } else if non_ascii {
        "scope tokens are printable ASCII only (%x21, %x23-5B, %x5D-7E): use ASCII scope names; \
         node-oidc-provider answers invalid_scope \"scope contains invalid characters\""
    } else {
        "scope tokens are printable ASCII without `\"` and `\\` (%x21, %x23-5B, %x5D-7E), \
         separated by single spaces; node-oidc-provider answers invalid_scope \"scope contains \
         invalid characters\""
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
    for fl in flaws.iter().take(MAX_LABELS) {
        let label = match fl.problem {
            ScopeProblem::LeadingSpace => "leading space".to_owned(),
            ScopeProblem::TrailingSpace => "trailing space".to_owned(),
            ScopeProblem::ExtraSpace => "extra space".to_owned(),
            ScopeProblem::BadChar(c) if !c.is_ascii() => "not ASCII".to_owned(),
            ScopeProblem::BadChar(c) if c.is_control() => "control character".to_owned(),
            ScopeProblem::BadChar(c) => format!("{c:?} not allowed"),
        };
        f = f.label(cx.value_sub_span(p, fl.at.clone()), label);
    }
    f
}

// ---------------------------------------------------------------------------
// resource (RFC 8707 §2)

pub(super) fn resource_not_absolute(cx: &Context, p: &Pair, e: UriError) -> Finding {
    let v = p.value.as_str();
    let help = if form::looks_double_encoded(v) {
        "the value is percent-encoded twice: the server sees `%3A%2F%2F` instead of `://`. Encode \
         the URI once, as part of the form body"
            .to_owned()
    } else if e == UriError::NoScheme && !v.starts_with('/') && v.contains('.') {
        format!(
            "give the full URI with its scheme, e.g. `https://{}`; RFC 8707 §2 requires an \
             absolute URI. node-oidc-provider answers invalid_target \"resource indicator must be \
             an absolute URI\"",
            show(v)
        )
    } else {
        "give an absolute URI (RFC 3986 §4.3) such as `https://api.example.com/`, with every \
         reserved or non-ASCII character percent-encoded; node-oidc-provider answers \
         invalid_target \"resource indicator must be an absolute URI\""
            .to_owned()
    };
    let label = match e {
        UriError::NoScheme | UriError::Empty => "no scheme".to_owned(),
        UriError::BadPercentEncoding { .. } => "not a valid escape".to_owned(),
        UriError::UnexpectedChar { ch, .. } => {
            format!("{} not allowed in a URI", describe_char(ch))
        }
        UriError::InvalidIpv6 { .. } => "malformed IPv6 address".to_owned(),
    };
    Finding::new(
        &RESOURCE_INVALID,
        format!("`resource` `{}` is not an absolute URI: {e}", show(v)),
    )
    .field("parameters.resource")
    .label(cx.value_sub_span(p, e.range(v)), label)
    .help(help)
}

pub(super) fn resource_fragment(cx: &Context, p: &Pair, frag: Range<usize>) -> Finding {
    Finding::new(
        &RESOURCE_INVALID,
        format!(
            "`resource` `{}` has a fragment; RFC 8707 §2 says it MUST NOT",
            show(&p.value)
        ),
    )
    .field("parameters.resource")
    .label(cx.value_sub_span(p, frag), "fragment")
    .help(
        "remove the `#…` part (even an empty `#`): node-oidc-provider answers invalid_target \
         \"resource indicator must not contain a fragment component\"",
    )
}

pub(super) fn resource_query(cx: &Context, p: &Pair, query: Range<usize>) -> Finding {
    Finding::new(
        &RESOURCE_QUERY,
        format!(
            "`resource` `{}` has a query; RFC 8707 §2 says it SHOULD NOT",
            show(&p.value)
        ),
    )
    .field("parameters.resource")
    .label(cx.value_sub_span(p, query), "query")
    .help(
        "identify the resource server by scheme, host and path alone; if the query was meant as \
         more token-request parameters, its `&` needed encoding as %26",
    )
}

// ---------------------------------------------------------------------------
// `+` in credentials

/// What a value with a raw `+` is, by its shape (and, for the parameters
/// that always carry one, its name): the advice differs.
enum PlusShape {
    /// A JWT the client made (`client_assertion`, a JWT `assertion`).
    MintedJwt,
    /// A JWT the client was given (a `subject_token`, a JWT refresh token).
    JwtToken,
    /// A SAML assertion, sent base64url-encoded (RFC 7522 §2.1).
    SamlAssertion,
    /// Anything else: a `+` may be real (standard base64, opaque tokens).
    Opaque,
}

/// A compact JWS (three parts) or JWE (five) whose header is JSON:
/// base64url of `{"` starts with `eyJ`. `value` is the decoded value, where
/// each raw `+` is a space.
fn looks_like_jwt(value: &str) -> bool {
    let parts = value.split('.').count();
    value.starts_with("eyJ")
        && (parts == 3 || parts == 5)
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.+/= ".contains(&b))
}

fn plus_shape(p: &Pair) -> PlusShape {
    let jwt = looks_like_jwt(&p.value);
    match p.name.as_str() {
        "client_assertion" => PlusShape::MintedJwt,
        "assertion" if jwt => PlusShape::MintedJwt,
        "assertion" => PlusShape::SamlAssertion,
        _ if jwt => PlusShape::JwtToken,
        _ => PlusShape::Opaque,
    }
}

pub(super) fn plus_as_space(cx: &Context, p: &Pair) -> Finding {
    let n = p.plus_spaces.len();
    let (what, verb) = if n == 1 {
        ("a raw `+`".to_owned(), "decodes")
    } else {
        (format!("{n} raw `+` signs"), "decode")
    };
    let mut f = Finding::new(
        &PLUS_AS_SPACE,
        format!(
            "`{}` contains {what}, which {verb} to a space in a form body (RFC 6749 Appendix B)",
            p.name
        ),
    )
    .field(field_of(p))
    .help(match plus_shape(p) {
        // %2B would deliver a `+`, which a JWS never has either.
        PlusShape::MintedJwt => {
            "a JWT's parts are base64url (RFC 7515 §2), which has no `+`: this one was encoded \
             with standard base64 (or a space was written as `+`). Encode the header, payload \
             and signature with base64url (`-` and `_`, no padding); sending the `+` as %2B \
             would not make it a valid JWS"
        }
        PlusShape::JwtToken => {
            "this value is shaped like a JWT, and a JWT is base64url (RFC 7515 §2): it cannot \
             contain `+`. The token was changed on its way here, most likely by a decoding step \
             (a form or URL decoder, or base64url turned into standard base64); send it exactly \
             as it was issued. Sending the `+` as %2B would not make it a valid JWT"
        }
        PlusShape::SamlAssertion => {
            "a SAML assertion is sent base64url-encoded (RFC 7522 §2.1), which has no `+`: this \
             one was encoded with standard base64. Encode it with base64url (`-` and `_`); \
             sending the `+` as %2B would not make it base64url"
        }
        PlusShape::Opaque => {
            "if the value really contains `+` (standard base64 does), send it as %2B: the server \
             otherwise compares a value with spaces and fails (invalid_client / invalid_grant; \
             the Postman and `curl -d` trap, e.g. openiddict-core#1093, node-oidc-provider#361, \
             AADSTS7000215). If you do mean a space, write it as %20"
        }
    });
    for &i in p.plus_spaces.iter().take(MAX_LABELS) {
        f = f.label(cx.value_sub_span(p, i..i + 1), "decodes to a space");
    }
    f
}

/// What the server does with a value cut short, by parameter.
fn split_consequence(name: &str) -> &'static str {
    match name {
        "redirect_uri" => {
            "the server compares redirect_uri with the one of the authorization request, \
             character for character (RFC 6749 §4.1.3), and answers invalid_grant"
        }
        "client_secret" => {
            "the server checks the secret cut short and answers invalid_client (HTTP 401)"
        }
        "password" => "the server checks the password cut short and answers invalid_grant",
        _ => "the server reads another user name than the one meant and answers invalid_grant",
    }
}

/// `head`: the pair the value starts in; `tail`: the pair holding the rest.
pub(super) fn split_value(cx: &Context, head: &Pair, tail: &Pair) -> Finding {
    let name = &head.name;
    // The rest of a secret is secret: it is named only by its length.
    let rest = if crate::secrets::is_secret_param(name) {
        format!("{} more characters", tail.raw.len())
    } else {
        format!("`{}`", show(&raw_params(cx)[tail.raw.clone()]))
    };
    Finding::new(
        &SPLIT_VALUE,
        format!(
            "a raw `&` ends `{name}` early: the rest of its value ({rest}) arrives as a \
             parameter of its own, so {}",
            split_consequence(name)
        ),
    )
    .field(field_of(head))
    .label(cx.value_span(head), format!("`{name}` ends here"))
    .label(
        cx.pair_span(tail),
        "the rest of the value, as another parameter",
    )
    .help(
        "percent-encode the value as a whole: an `&` inside it is %26 (and `=` %3D, `+` %2B); \
         a form encoder (URLSearchParams, urlencode) does it for every character",
    )
}
