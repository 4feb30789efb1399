//! What is secret, in one place: the one classification of the names a
//! value can sit under (form parameters, request fields, any JSON member,
//! headers, JWK members), the shapes that make a value secret wherever it
//! sits (PEM private keys, a JWS where a credential may be), where the
//! secrets are in a form body, a JSON document and a text that is not quite
//! JSON, and how a secret is masked for display.
//!
//! Loaders ask here for the spans of an input to mask; the engine builds a
//! [`Redactor`] from them, which scrubs every finding before any report
//! format sees it; `--dry-run`, `--debug` and Authlete's answers are masked
//! with the helpers at the end. A name added to a list here is masked
//! everywhere at once. Nothing here knows about rules or formats.

use std::borrow::Cow;
use std::ops::Range;

use base64::Engine as _;
use serde_json::Value;

use crate::form::{Form, Pair};
use crate::json;
use crate::span::Span;

/// What a name says about the value under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Shown as it is.
    Public,
    /// A signed token that authenticates by itself (a client assertion, a
    /// JWT or SAML bearer assertion): never shown as written (it could be
    /// replayed until it expires), though a rule may show what its header
    /// and claims say.
    Credential,
    /// Never shown, in any form: not as written, decoded, or in part.
    Secret,
}

impl Class {
    /// Whether the value is masked wherever it is displayed.
    pub fn is_masked(self) -> bool {
        self != Class::Public
    }
}

/// Form parameters whose values are secrets.
pub const SECRET_PARAMS: &[&str] = &[
    "client_secret",
    "password",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "device_code",
    "device_secret",
    "subject_token",
    "actor_token",
    "auth_req_id",
    "pre-authorized_code",
    "tx_code",
];

/// Form parameters whose values are signed credentials.
pub const CREDENTIAL_PARAMS: &[&str] = &["client_assertion", "assertion"];

/// Form parameters known to be public. A name on none of the three lists is
/// unknown: public unless its shape says otherwise (see [`param`]), and
/// taken for the rest of a secret when it follows one (see [`form_hides`]).
pub const PUBLIC_PARAMS: &[&str] = &[
    "grant_type",
    "client_id",
    "client_assertion_type",
    "redirect_uri",
    "scope",
    "resource",
    "audience",
    "authorization_details",
    "username",
    "subject_token_type",
    "actor_token_type",
    "requested_token_type",
    "user_code",
    "state",
    "nonce",
    "dpop_jkt",
];

/// Fields of Authlete's request body whose values are secrets.
pub const SECRET_FIELDS: &[&str] = &["clientSecret", "accessToken"];

/// Request and response headers whose values are secrets (matched without
/// case); a header whose name suggests a credential is one too (see
/// [`header`]).
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Other names a secret goes by in JSON: Authlete's answers (camelCase), a
/// token response (snake_case), key files. Compared as [`normalized`] names.
const OTHER_SECRET_NAMES: &[&str] = &[
    "refreshToken",
    "idToken",
    "jwtAccessToken",
    "deviceSecret",
    "issued_token",
    "private_key",
    "secret",
    "token",
];

/// Members that only a private (or symmetric) key has: EC/OKP `d`; RSA
/// `d p q dp dq qi oth`; oct `k`; AKP (ML-DSA) `priv`.
pub const JWK_PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];

/// Parts of an unknown name that say it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "privatekey",
    "apikey",
    "credential",
    "cookie",
    "bearer",
    "verifier",
];

/// Endings of a name that is about a token or an assertion, not one:
/// `subject_token_type`, `accessTokenDuration`, `token_endpoint`.
const ABOUT_A_TOKEN: &[&str] = &[
    "type",
    "duration",
    "endpoint",
    "uri",
    "url",
    "method",
    "alg",
    "lifetime",
    "expiresin",
    "expiresat",
    "ttl",
    "count",
    "format",
    "hint",
    "types",
    "methods",
    "info",
    "scopes",
    "resources",
    "used",
    "claims",
    "hash",
];

/// What marks a PEM private-key block (`-----BEGIN EC PRIVATE KEY-----`, …).
const PRIVATE_KEY_LABEL: &str = "PRIVATE KEY";

/// What replaces a private key in a displayed value.
const PRIVATE_KEY_MASK: &str = "(a private key, masked)";

/// What replaces a secret parameter's value in a displayed form body.
const PARAM_MASK: &str = "****";

/// What replaces a private JWK member's value in a displayed JSON document.
pub const JWK_MEMBER_MASK: &str = "****** (private key, masked)";

/// A name reduced to what a typo or a naming convention does not change:
/// lower case, without `_`, `-` and `.` (`client_secret`, `clientSecret`
/// and `Client-Secret` are all `clientsecret`).
pub fn normalized(name: &str) -> String {
    let dropped = |c: char| matches!(c, '_' | '-' | '.' | ' ');
    if name.is_ascii() {
        // The common case, without a `char::to_lowercase` iterator per letter.
        return name
            .chars()
            .filter(|&c| !dropped(c))
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    name.chars()
        .filter(|&c| !dropped(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name lists, normalized once per process: every member name of every
/// input is classified, and normalizing the lists anew each time cost more
/// than the rest of loading a fixture.
struct NormalizedNames {
    secret: Vec<String>,
    credential: Vec<String>,
    public: Vec<String>,
}

fn normalized_names() -> &'static NormalizedNames {
    static NAMES: std::sync::OnceLock<NormalizedNames> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let of = |lists: &[&[&str]]| -> Vec<String> {
            lists
                .iter()
                .flat_map(|l| l.iter())
                .map(|k| normalized(k))
                .collect()
        };
        NormalizedNames {
            secret: of(&[SECRET_PARAMS, SECRET_FIELDS, OTHER_SECRET_NAMES]),
            credential: of(&[CREDENTIAL_PARAMS]),
            public: of(&[PUBLIC_PARAMS]),
        }
    })
}

/// A form parameter's class: the lists above, else its shape.
pub fn param(name: &str) -> Class {
    if SECRET_PARAMS.contains(&name) {
        Class::Secret
    } else if CREDENTIAL_PARAMS.contains(&name) {
        Class::Credential
    } else if PUBLIC_PARAMS.contains(&name) {
        Class::Public
    } else {
        by_shape(name)
    }
}

/// Whether a parameter name is on one of the lists (any class).
pub fn is_known_param(name: &str) -> bool {
    SECRET_PARAMS.contains(&name)
        || CREDENTIAL_PARAMS.contains(&name)
        || PUBLIC_PARAMS.contains(&name)
}

/// A field of Authlete's request body (one of the 17 it knows).
pub fn field(json_name: &str) -> Class {
    if SECRET_FIELDS.contains(&json_name) {
        Class::Secret
    } else {
        Class::Public
    }
}

/// The member of any JSON: an unknown field of a fixture, a JSON body, an
/// Authlete answer, a key file. The parameter and field lists in any naming
/// convention, then the name's shape, then a near miss of a secret name
/// (`clientSecrett`, `acessToken`, `pasword`).
pub fn member(name: &str) -> Class {
    let n = normalized(name);
    let names = normalized_names();
    let is = |list: &[String]| list.contains(&n);
    if is(&names.secret) {
        return Class::Secret;
    }
    if is(&names.credential) {
        return Class::Credential;
    }
    if is(&names.public) {
        return Class::Public;
    }
    match shape_of(&n) {
        Class::Public if near_secret_name(&n) => Class::Secret,
        c => c,
    }
}

/// An unknown name's class by what it is made of: `x_client_secret`,
/// `api_key`, `my_refresh_token` hold secrets; `token_type` does not.
fn by_shape(name: &str) -> Class {
    shape_of(&normalized(name))
}

/// [`by_shape`] of a name already [`normalized`].
fn shape_of(n: &str) -> Class {
    if SECRET_WORDS.iter().any(|w| n.contains(w)) {
        return Class::Secret;
    }
    let about = ABOUT_A_TOKEN.iter().any(|e| n.ends_with(e));
    if n.contains("token") && !about {
        return Class::Secret;
    }
    if n.contains("assertion") && !about {
        return Class::Credential;
    }
    Class::Public
}

/// Within two edits of a long secret name, or one of a shorter one.
fn near_secret_name(n: &str) -> bool {
    let len = n.chars().count();
    if !(6..=40).contains(&len) {
        return false;
    }
    normalized_names()
        .secret
        .iter()
        .filter(|k| k.len() >= 6)
        .any(|k| {
            let max = if k.len() >= 10 { 2 } else { 1 };
            crate::text::distance_within(k, n, max).is_some()
        })
}

/// A header's class: the list above, and any name that suggests a
/// credential (`X-Auth-Key`, `X-Api-Key`, `X-Amz-Security-Token`,
/// `X-Session-Id`). A DPoP proof is public: it is bound to its key.
pub fn header(name: &str) -> Class {
    let n = name.to_ascii_lowercase();
    if SECRET_HEADERS.contains(&n.as_str()) {
        return Class::Secret;
    }
    if n == "dpop" || n.starts_with("oauth-client-attestation") {
        return Class::Public;
    }
    // Anywhere in the name (`X-MyToken`, `X-Client-Secret2`).
    const PARTS: &[&str] = &[
        "auth",
        "token",
        "secret",
        "key",
        "passw",
        "session",
        "credential",
        "cookie",
        "signature",
        "jwt",
        "bearer",
        "assertion",
        "csrf",
        "xsrf",
    ];
    // Whole words between `-`, `_` or `.` (`X-Pass`, `X-OTP`).
    const WORDS: &[&str] = &["pass", "pwd", "otp", "pin", "sid"];
    let challenge = n == "www-authenticate" || n == "proxy-authenticate";
    let named =
        PARTS.iter().any(|w| n.contains(w)) || n.split(['-', '_', '.']).any(|w| WORDS.contains(&w));
    if named && !challenge {
        Class::Secret
    } else {
        Class::Public
    }
}

pub fn is_secret_param(name: &str) -> bool {
    param(name).is_masked()
}

pub fn is_secret_field(json_name: &str) -> bool {
    field(json_name).is_masked()
}

pub fn is_secret_header(name: &str) -> bool {
    header(name).is_masked()
}

pub fn is_private_jwk_member(name: &str) -> bool {
    JWK_PRIVATE_MEMBERS.contains(&name)
}

/// Whether a value holds a PEM private key, armoured or not quite.
pub fn holds_private_key(value: &str) -> bool {
    value.contains(PRIVATE_KEY_LABEL)
}

/// Whether a value has the shape of a compact JWS or JWE (`eyJ…` and two or
/// four dots): a credential where a name does not say what it is.
pub fn looks_like_jws(value: &str) -> bool {
    let v = value.trim();
    let dots = v.bytes().filter(|&b| b == b'.').count();
    v.len() >= 16
        && v.starts_with("eyJ")
        && (dots == 2 || dots == 4)
        && v.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'=' | b'+' | b'/')
        })
}

// ---------------------------------------------------------------------------
// Form bodies

/// What to hide of one parameter of a form body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hide {
    Nothing,
    /// The value: a secret parameter, or a value that looks like one.
    Value,
    /// Name and value: an unknown parameter right after a secret is taken
    /// for the rest of it, split by a raw `&` (`client_secret=ab&cd=ef`
    /// sends `ab` as the secret and `cd` as a parameter).
    Pair,
}

/// What to hide of each `(name, value)` of a form, in order. `value` is
/// the value as decoded (or as written, for text no decoder read).
fn hides<'a>(pairs: impl Iterator<Item = (Cow<'a, str>, &'a str, bool)>) -> Vec<Hide> {
    let mut out = Vec::new();
    let mut after_secret = false;
    for (name, value, has_value) in pairs {
        let class = param(&name);
        let known = is_known_param(&name);
        let hide = if class.is_masked() {
            if value.is_empty() {
                Hide::Nothing
            } else {
                Hide::Value
            }
        } else if after_secret && !known && (has_value || !name.is_empty()) {
            Hide::Pair
        } else if !known && looks_like_jws(value) {
            Hide::Value
        } else if holds_private_key(value) || holds_private_key(&name) {
            Hide::Pair
        } else {
            Hide::Nothing
        };
        after_secret = (class.is_masked() && !value.is_empty()) || hide == Hide::Pair;
        out.push(hide);
    }
    out
}

/// What to hide of each pair of a decoded form.
pub fn form_hides(form: &Form) -> Vec<Hide> {
    hides(form.pairs.iter().map(|p| {
        (
            Cow::Borrowed(p.name.as_str()),
            p.value.as_str(),
            !p.value_raw.is_empty() || p.raw.end > p.name_raw.end,
        )
    }))
}

/// The raw ranges (in the encoded form) to mask in a decoded form.
pub fn form_secret_ranges(form: &Form) -> Vec<Range<usize>> {
    hidden_ranges(form, &form_hides(form))
}

/// The raw ranges to mask in a decoded form, given what to hide of each
/// pair (as [`form_hides`] says, or more).
pub fn hidden_ranges(form: &Form, hides: &[Hide]) -> Vec<Range<usize>> {
    form.pairs
        .iter()
        .zip(hides)
        .filter_map(|(p, h)| hidden_range(p, *h))
        .collect()
}

fn hidden_range(p: &Pair, h: Hide) -> Option<Range<usize>> {
    match h {
        Hide::Nothing => None,
        Hide::Value if p.value_raw.is_empty() => None,
        Hide::Value => Some(p.value_raw.clone()),
        Hide::Pair => Some(p.raw.clone()),
    }
}

/// The decoded values of the hidden parameters of a form (for
/// [`Redactor`]): what a message could quote of them.
pub fn form_secret_values(form: &Form) -> Vec<&str> {
    hidden_values(form, &form_hides(form))
}

/// The decoded values of a form's hidden pairs, given what to hide of each.
pub fn hidden_values<'f>(form: &'f Form, hides: &[Hide]) -> Vec<&'f str> {
    let mut out = Vec::new();
    for (p, h) in form.pairs.iter().zip(hides.iter().copied()) {
        match h {
            Hide::Nothing => {}
            Hide::Value => out.push(p.value.as_str()),
            Hide::Pair => {
                out.push(p.name.as_str());
                out.push(p.value.as_str());
            }
        }
    }
    out
}

/// The pairs of a decoded form whose value is a secret (the name says so).
pub fn secret_pairs(form: &Form) -> impl Iterator<Item = &Pair> {
    form.pairs
        .iter()
        .filter(|p| is_secret_param(&p.name) && !p.value_raw.is_empty())
}

/// Byte ranges to mask in a form string split as written, before any
/// decoding: for text no decoder has read (a JSON text that did not parse,
/// a value too large to decode). Only the names are decoded, so
/// `client%5Fsecret` is found.
pub fn secret_value_ranges(form: &str) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for pair in form.split('&') {
        let (name, value, has_value) = match pair.split_once('=') {
            Some((n, v)) => (n, v, true),
            None => (pair, "", false),
        };
        // Secret names are short, even percent-encoded: a longer one is
        // not worth decoding.
        let decoded = if name.len() <= 128 {
            decoded_name(name)
        } else {
            Cow::Borrowed(name)
        };
        pieces.push((at, pair.len(), name.len(), decoded, value, has_value));
        at += pair.len() + 1;
    }
    let hides = hides(pieces.iter().map(|(_, _, _, d, v, h)| (d.clone(), *v, *h)));
    pieces
        .iter()
        .zip(hides)
        .filter_map(|((at, len, name_len, _, value, _), h)| match h {
            Hide::Nothing => None,
            Hide::Value if value.is_empty() => None,
            Hide::Value => Some(at + name_len + 1..at + len),
            Hide::Pair => Some(*at..at + len),
        })
        .collect()
}

fn decoded_name(name: &str) -> Cow<'_, str> {
    if !name.contains(['%', '+']) {
        return Cow::Borrowed(name);
    }
    match crate::form::decode(name).pairs.into_iter().next() {
        Some(p) => Cow::Owned(p.name),
        None => Cow::Borrowed(name),
    }
}

// ---------------------------------------------------------------------------
// JSON documents (read in place, with spans)

/// Spans to mask in a JSON request body whose top-level members may be
/// fields Authlete knows (`known(name)`): a secret field is masked whatever
/// its type; a known field is only searched for private keys (the others
/// are checked by the rules, and a DPoP proof is public); any other member
/// as in [`json_spans`]. The document itself may be a key (a JWK).
pub fn body_spans(doc: json::Raw, known: impl Fn(&str) -> bool, out: &mut Vec<Span>) {
    let Some(members) = doc.members() else {
        return json_spans(doc, out);
    };
    let jwk = is_jwk(doc);
    for m in members {
        let key = m.key();
        let key = key.value.as_str();
        if jwk && is_private_jwk_member(key) {
            out.push(whole(m.value));
        } else if known(key) {
            if field(key).is_masked() {
                out.push(whole(m.value));
            } else {
                private_keys_in(m.value, out);
            }
        } else {
            member_spans(key, m.value, out);
        }
    }
}

/// Spans to mask in any JSON value: the values of members whose names are
/// secret ([`member`]), the private members of a JWK, private keys in any
/// string, and strings shaped like a JWS.
pub fn json_spans(v: json::Raw, out: &mut Vec<Span>) {
    if let Some(members) = v.members() {
        let jwk = is_jwk(v);
        for m in members {
            let key = m.key();
            let key = key.value.as_str();
            if jwk && is_private_jwk_member(key) {
                out.push(whole(m.value));
            } else {
                member_spans(key, m.value, out);
            }
        }
    } else if let Some(items) = v.items() {
        items.for_each(|i| json_spans(i, out));
    } else if let Some(t) = v.as_str_bounded(MAX_SCANNED_STRING) {
        if t.is_elided() || looks_like_jws(&t.value) {
            // Too large to be read, or a credential.
            out.push(whole(v));
        } else {
            private_key_spans(&t, out);
        }
    }
}

/// A string in JSON longer than this is not decoded to be searched: it is
/// masked whole (no request value is this long; the limits report it).
const MAX_SCANNED_STRING: usize = 1 << 20;

/// One member of any JSON: masked whole when its name is secret, else
/// searched.
fn member_spans(key: &str, v: json::Raw, out: &mut Vec<Span>) {
    if member(key).is_masked() {
        out.push(whole(v));
    } else {
        json_spans(v, out);
    }
}

/// Private keys in a value whose name is public: PEM blocks in strings,
/// JWKs with private members anywhere inside.
/// A string too large to decode here is left to the field checks (the
/// limits report it and mask what it holds).
fn private_keys_in(v: json::Raw, out: &mut Vec<Span>) {
    match v.as_str_bounded(MAX_SCANNED_STRING) {
        Some(t) => private_key_spans(&t, out),
        None => json_spans(v, out),
    }
}

fn private_key_spans(t: &crate::span::Text, out: &mut Vec<Span>) {
    for r in private_key_ranges(&t.value) {
        out.push(t.sub_span(r));
    }
}

/// Whether an object is a JWK: it has `kty`.
fn is_jwk(v: json::Raw) -> bool {
    v.members().is_some_and(|mut m| m.any(|m| m.key_is("kty")))
}

/// What to mask of a value: a string's characters (inside its quotes),
/// anything else whole.
fn whole(v: json::Raw) -> Span {
    let s = v.span();
    if v.is_string() && s.len >= 2 {
        Span::new(s.offset + 1, s.len - 2)
    } else {
        s
    }
}

// ---------------------------------------------------------------------------
// Text that is not quite JSON

/// Secrets in a JSON text that did not parse, found by a lenient scan of
/// its tokens (strings in double or single quotes, bare words, brackets),
/// so an error report's snippet never shows them: the value of a member
/// whose name is secret (quoted or not, a string, a bare word, or a whole
/// array or object), the secret parameters inside `parameters`, the private
/// members of what looks like a JWK, and any private key. With
/// `all_values`, every value is masked (for formats like HAR whose secrets
/// hide in generic `value`s). `base` is the text's offset in its source.
pub fn lenient_secret_spans(text: &str, base: usize, all_values: bool) -> Vec<Span> {
    lenient_secret_ranges(text, all_values)
        .into_iter()
        .map(|r| Span::new(base + r.start, r.len()))
        .collect()
}

/// [`lenient_secret_spans`] as byte ranges of `text`.
pub fn lenient_secret_ranges(text: &str, all_values: bool) -> Vec<Range<usize>> {
    let toks: Vec<Tok> = tokens(text).collect();
    let jwk = text.contains("kty");
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let is_key = matches!(t.kind, TokKind::Str | TokKind::Word)
            && toks.get(i + 1).is_some_and(|n| n.kind == TokKind::Colon);
        if !is_key {
            if matches!(t.kind, TokKind::Str | TokKind::Word) {
                let content = &text[t.content.clone()];
                if all_values || looks_like_jws(content) {
                    out.push(t.content.clone());
                }
            }
            i += 1;
            continue;
        }
        let name = &text[t.content.clone()];
        let Some(v) = toks.get(i + 2) else { break };
        let secret = member(name).is_masked() || (jwk && is_private_jwk_member(name));
        match v.kind {
            TokKind::Open if secret || all_values => {
                let end = closing(&toks, i + 2);
                out.push(v.content.start..end);
                i += 3;
                continue;
            }
            TokKind::Str | TokKind::Word if secret || all_values => out.push(v.content.clone()),
            TokKind::Str | TokKind::Word if name == "parameters" => {
                let s = v.content.start;
                let ranges = secret_value_ranges(&text[v.content.clone()]);
                out.extend(ranges.into_iter().map(|r| s + r.start..s + r.end));
            }
            _ => {}
        }
        i += 2;
    }
    // PEM private keys, quoted or not, wherever they are.
    out.extend(private_key_ranges(text));
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokKind {
    /// A string in double or single quotes: `content` is between them.
    Str,
    /// A bare word: a number, `true`, or an unquoted key or value.
    Word,
    Colon,
    /// `{` or `[`.
    Open,
    /// `}` or `]`.
    Close,
    Comma,
}

#[derive(Debug)]
struct Tok {
    kind: TokKind,
    content: Range<usize>,
}

/// The tokens of a text that may not be valid JSON.
fn tokens(text: &str) -> impl Iterator<Item = Tok> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let b = *bytes.get(i)?;
        let start = i;
        let single = |kind| {
            Some(Tok {
                kind,
                content: start..start + 1,
            })
        };
        i += 1;
        match b {
            b':' => single(TokKind::Colon),
            b',' => single(TokKind::Comma),
            b'{' | b'[' => single(TokKind::Open),
            b'}' | b']' => single(TokKind::Close),
            b'"' | b'\'' => {
                let mut j = i;
                while j < bytes.len() && bytes[j] != b {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                i = (end + 1).min(bytes.len());
                Some(Tok {
                    kind: TokKind::Str,
                    content: start + 1..end,
                })
            }
            _ => {
                let mut j = i;
                while j < bytes.len()
                    && !bytes[j].is_ascii_whitespace()
                    && !b":,{}[]\"'".contains(&bytes[j])
                {
                    j += 1;
                }
                i = j;
                Some(Tok {
                    kind: TokKind::Word,
                    content: start..j,
                })
            }
        }
    })
}

/// The end offset of the bracket that closes the one at `open` (or of the
/// text's last token, when it never closes).
fn closing(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for t in &toks[open..] {
        match t.kind {
            TokKind::Open => depth += 1,
            TokKind::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return t.content.end;
                }
            }
            _ => {}
        }
    }
    toks.last().map_or(0, |t| t.content.end)
}

// ---------------------------------------------------------------------------
// Scrubbing text: the one place findings are masked

/// Secrets shorter than this are masked in the input's snippets, but not
/// looked for in other text: a three-character value would mask every word
/// it happens to spell.
const MIN_SCRUBBED: usize = 4;

/// Length of the pieces of a secret looked for in text: no piece this long
/// of a secret is ever shown.
const PIECE: usize = 6;

/// How much of one secret is cut into pieces: a message quotes the start
/// of a value, and a longer one is masked in the snippet by its span.
const MAX_INDEXED: usize = 8 << 10;

/// The secrets of one input as values, to find wherever a message, a label
/// or a decoded view would quote them: every run of text made of pieces of
/// [`PIECE`] bytes of a secret is masked, and a short secret
/// (at least [`MIN_SCRUBBED`] bytes) where it stands as a word.
///
/// Every finding's text is scanned, at every byte, so the lookup of a piece
/// is the hot path of a run over many inputs. A piece is packed into a
/// `u64`; the pieces are a sorted vector, searched by bisection, behind a
/// bit filter that rules most windows out with one multiplication and one
/// load. Both the secrets and the scanned text come from the input, so an
/// attacker chooses both: a hash table with a fixed hash could be driven
/// into collisions, and a seeded one costs a keyed hash per byte. Here no
/// hash decides the cost: the filter's hash is fixed and may be defeated,
/// but then each window costs one bisection, at most
/// log2([`MAX_INDEXED_TOTAL`]) = 20 comparisons — a worst-case bound,
/// whatever the inputs.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Each piece of each secret, packed ([`pack`]), sorted, no duplicates.
    pieces: Vec<u64>,
    /// One bit per [`filter_slot`] of a piece: clear, no piece has it.
    /// Empty when there are no pieces.
    filter: Vec<u64>,
    /// `64 - log2(bits in filter)`: the shift that makes a slot.
    filter_shift: u32,
    words: Vec<String>,
    /// Bytes cut into pieces so far (at most [`MAX_INDEXED_TOTAL`]).
    indexed: usize,
}

/// How much of all an input's secrets together is cut into pieces: a
/// capture whose every value is masked could otherwise cost its size many
/// times over. Past it, secrets are still masked in snippets by their spans.
const MAX_INDEXED_TOTAL: usize = 1 << 20;

/// A piece of [`PIECE`] bytes as a number (little-endian): the text is
/// scanned by shifting one byte in at the top.
fn pack(piece: &[u8]) -> u64 {
    piece
        .iter()
        .rev()
        .fold(0u64, |k, &b| (k << 8) | u64::from(b))
}

/// The filter bit of a packed piece (a Fibonacci hash: a multiplication,
/// the top bits).
fn filter_slot(k: u64, shift: u32) -> usize {
    // At most 64 - shift bits: within the filter, which `seal` sizes.
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

// Never prints what it holds.
impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Redactor({} pieces, {} words)",
            self.pieces.len(),
            self.words.len()
        )
    }
}

impl Redactor {
    /// The redactor of these secret values (see [`Redactor::add`] for what
    /// of each is looked for).
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut r = Redactor::default();
        for v in values {
            r.add(v);
        }
        r.seal();
        r
    }

    /// Adds a secret value (and, when it is longer than a piece, each piece).
    /// A header value's authentication scheme (`Basic `, `Bearer `) is not
    /// part of the secret: messages name schemes. [`Redactor::seal`] must
    /// follow before the pieces are looked up.
    fn add(&mut self, value: &str) {
        // A PEM block's armour (`-----BEGIN PRIVATE KEY-----`) is no part of
        // the secret: messages name it. Its body lines are.
        if value.contains("-----BEGIN") {
            for line in value
                .lines()
                .filter(|l| !l.trim_start().starts_with("-----"))
            {
                self.add_one(line);
            }
            return;
        }
        self.add_one(value);
    }

    fn add_one(&mut self, value: &str) {
        let mut v = value.trim();
        if let Some((scheme, rest)) = v.split_once([' ', '\t']) {
            if is_scheme(scheme) {
                v = rest.trim();
            }
        }
        if v.len() < MIN_SCRUBBED {
            return;
        }
        if v.len() < PIECE {
            if !self.words.iter().any(|w| w == v) {
                self.words.push(v.to_owned());
            }
            return;
        }
        let b = v.as_bytes();
        let end = b
            .len()
            .min(MAX_INDEXED)
            .min(MAX_INDEXED_TOTAL.saturating_sub(self.indexed));
        self.indexed += end;
        self.pieces.extend(b[..end].windows(PIECE).map(pack));
    }

    /// Sorts the pieces and fills the filter: about 16 bits per piece,
    /// between 1 Kib and 16 Mib.
    fn seal(&mut self) {
        self.pieces.sort_unstable();
        self.pieces.dedup();
        self.pieces.shrink_to_fit();
        self.filter = Vec::new();
        if self.pieces.is_empty() {
            return;
        }
        let bits = (self.pieces.len() * 16)
            .next_power_of_two()
            .clamp(1 << 10, 1 << 24);
        self.filter_shift = 64 - bits.trailing_zeros();
        self.filter = vec![0; bits / 64];
        for &k in &self.pieces {
            let slot = filter_slot(k, self.filter_shift);
            self.filter[slot / 64] |= 1 << (slot % 64);
        }
    }

    fn has_piece(&self, k: u64) -> bool {
        let slot = filter_slot(k, self.filter_shift);
        let maybe = self
            .filter
            .get(slot / 64)
            .is_some_and(|w| w & (1 << (slot % 64)) != 0);
        maybe && self.pieces.binary_search(&k).is_ok()
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty() && self.words.is_empty()
    }

    /// `text` with every piece of a secret in it masked, one `*` per
    /// character. Allocates nothing when nothing is masked.
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.is_empty() || text.len() < MIN_SCRUBBED {
            return Cow::Borrowed(text);
        }
        let b = text.as_bytes();
        // Which bytes to mask: allocated at the first hit.
        let mut hidden: Vec<bool> = Vec::new();
        let mut hide = |r: Range<usize>| {
            if hidden.is_empty() {
                hidden = vec![false; b.len()];
            }
            hidden[r].fill(true);
        };
        if b.len() >= PIECE && !self.pieces.is_empty() {
            let mut k = pack(&b[..PIECE]);
            for i in 0..=b.len() - PIECE {
                if i > 0 {
                    k = (k >> 8) | (u64::from(b[i + PIECE - 1]) << (8 * (PIECE - 1)));
                }
                if self.has_piece(k) {
                    hide(i..i + PIECE);
                }
            }
        }
        for w in &self.words {
            for (i, _) in text.match_indices(w.as_str()) {
                let before = text[..i].chars().next_back();
                let after = text[i + w.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                if !word(before) && !word(after) {
                    hide(i..i + w.len());
                }
            }
        }
        if hidden.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            if hidden[i..i + c.len_utf8()].iter().any(|h| *h) {
                out.push('*');
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }

    /// Scrubs a string in place.
    pub fn scrub_in_place(&self, s: &mut String) {
        if let Cow::Owned(o) = self.scrub(s) {
            *s = o;
        }
    }
}

// ---------------------------------------------------------------------------
// Masking values for display

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

/// The form body with the values of secret parameters masked (and the
/// rest of a secret split by a raw `&`).
pub fn mask_params(encoded: &str) -> String {
    let form = crate::form::decode(encoded);
    let mut out = encoded.to_owned();
    // Replace from the end so earlier ranges stay valid.
    for r in form_secret_ranges(&form).into_iter().rev() {
        if r.end <= out.len() && out.is_char_boundary(r.start) && out.is_char_boundary(r.end) {
            out.replace_range(r, PARAM_MASK);
        }
    }
    out
}

/// A JSON value for display (`--dry-run`, Authlete's answers): the values
/// of secret members redacted, the private members of a JWK masked, and
/// private keys and JWS-shaped strings masked anywhere.
pub fn mask_json(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let jwk = m.contains_key("kty");
            Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let masked = if jwk && is_private_jwk_member(k) {
                            Value::String(JWK_MEMBER_MASK.to_owned())
                        } else {
                            mask_member(k, v)
                        };
                        (k.clone(), masked)
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(mask_json).collect()),
        Value::String(s) if looks_like_jws(s) => Value::String(redact(s)),
        Value::String(s) => Value::String(mask_private_parts(s)),
        _ => v.clone(),
    }
}

/// One member of a JSON object for display, as [`mask_json`] shows it.
pub fn mask_member(name: &str, v: &Value) -> Value {
    if !member(name).is_masked() {
        return mask_json(v);
    }
    match v {
        Value::String(s) => Value::String(redact(s)),
        Value::Null => Value::Null,
        _ => Value::String("****(masked)".to_owned()),
    }
}

/// A header value for display: a credential keeps only its scheme
/// (`Bearer abcd…(40 chars, masked)`).
pub fn mask_header(name: &str, value: &str) -> String {
    if !is_secret_header(name) {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, rest))
            if name.to_ascii_lowercase().ends_with("authorization") && is_scheme(scheme) =>
        {
            format!("{scheme} {}", redact(rest))
        }
        _ => redact(value),
    }
}

/// HTTP authentication schemes (the IANA registry, and `DPoP`): a message
/// may name one; anything else in the scheme's place is the start of the
/// credentials.
pub const AUTH_SCHEMES: &[&str] = &[
    "Basic",
    "Bearer",
    "DPoP",
    "Digest",
    "HOBA",
    "Mutual",
    "Negotiate",
    "NTLM",
    "OAuth",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "vapid",
    "GNAP",
    "PrivateToken",
    "Concealed",
    "AWS4-HMAC-SHA256",
];

/// Whether a word is a known authentication scheme (any case).
pub fn is_scheme(word: &str) -> bool {
    AUTH_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(word))
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
    let found: Vec<Range<usize>> = scan
        .items
        .iter()
        .filter(private)
        .map(|item| item.range.clone())
        .collect();
    if found.is_empty() {
        // Named but not delimited by the scanner: show none of it.
        return std::iter::once(0..value.len()).collect();
    }
    found
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
fn header_has_private_jwk(header: &str) -> bool {
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    decoded
        .as_ref()
        .and_then(|h| h.get("jwk"))
        .and_then(Value::as_object)
        .is_some_and(|jwk| JWK_PRIVATE_MEMBERS.iter().any(|m| jwk.contains_key(*m)))
}

/// Masks the private members of every JWK in a JSON value (a JWS header's
/// `jwk`, a key set), for a decoded view. An object is a JWK when it has
/// `kty` or is a `jwk` member.
pub fn mask_private_jwk_members(v: &mut Value) {
    mask_jwks_in(v, false);
}

fn mask_jwks_in(v: &mut Value, is_jwk: bool) {
    match v {
        Value::Object(m) => {
            let jwk = is_jwk || m.contains_key("kty");
            for (k, v) in m.iter_mut() {
                if jwk && is_private_jwk_member(k) {
                    *v = Value::String(JWK_MEMBER_MASK.to_owned());
                } else {
                    mask_jwks_in(v, k == "jwk");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| mask_jwks_in(i, false)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked<'t>(text: &'t str, ranges: &[Range<usize>]) -> Vec<&'t str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn lenient_scan_masks_secrets_in_broken_json() {
        let text =
            r#"{"parameters":"grant_type=password&password=pw1&scope=a","clientSecret":"cs1",,}"#;
        let spans = lenient_secret_spans(text, 0, false);
        let masked: Vec<&str> = spans.iter().map(|s| &text[s.offset..s.end()]).collect();
        assert_eq!(masked, ["pw1", "cs1"]);
    }

    #[test]
    fn lenient_scan_reads_single_quotes_bare_words_and_brackets() {
        let text = "{'clientSecret': 'sq1', client_secret: bare1, clientSecrett: \"x2\", \
                    \"clientSecret\": [\"a1\", {\"b\": 1}], 'access_token' : 't1' ";
        let got = masked(text, &lenient_secret_ranges(text, false));
        assert_eq!(got, ["sq1", "bare1", "x2", r#"["a1", {"b": 1}]"#, "t1"]);
        // What looks like a JWK loses its private members.
        let text = r#"{"kty":"EC","d":"dd1","x":"xx",}"#;
        assert_eq!(masked(text, &lenient_secret_ranges(text, false)), ["dd1"]);
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
    fn a_secret_split_by_a_raw_ampersand_hides_its_tail() {
        let form = "grant_type=client_credentials&client_secret=ab&cd=ef&gh&scope=x";
        let got: Vec<&str> = secret_value_ranges(form)
            .into_iter()
            .map(|r| &form[r])
            .collect();
        assert_eq!(got, ["ab", "cd=ef", "gh"]);
        assert_eq!(
            mask_params(form),
            "grant_type=client_credentials&client_secret=****&****&****&scope=x"
        );
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
    fn every_credential_parameter_is_masked() {
        for p in [
            "pre-authorized_code",
            "tx_code",
            "client_assertion",
            "assertion",
            "code_verifier",
            "device_secret",
            "auth_req_id",
            "refresh_token",
            "password",
            "subject_token",
            "actor_token",
        ] {
            assert!(param(p).is_masked(), "{p}");
        }
        for p in [
            "grant_type",
            "subject_token_type",
            "client_assertion_type",
            "scope",
        ] {
            assert_eq!(param(p), Class::Public, "{p}");
        }
    }

    #[test]
    fn member_names_in_any_convention_and_near_misses() {
        for n in [
            "client_secret",
            "clientSecret",
            "clientSecrett",
            "ClientSecret",
            "access_token",
            "acessToken",
            "pasword",
            "refreshToken",
            "private_key",
            "x_api_key",
            "my_token",
        ] {
            assert!(member(n).is_masked(), "{n}");
        }
        for n in [
            "clientId",
            "client_id",
            "tokenType",
            "token_endpoint",
            "kty",
            "htu",
            "key",
        ] {
            assert_eq!(member(n), Class::Public, "{n}");
        }
    }

    #[test]
    fn headers_are_matched_without_case() {
        assert!(is_secret_header("Authorization"));
        assert!(is_secret_header("Set-Cookie"));
        assert!(is_secret_header("X-Auth-Key"));
        assert!(is_secret_header("X-Api-Key"));
        assert!(!is_secret_header("DPoP"));
        assert!(!is_secret_header("Content-Type"));
        assert!(!is_secret_header("WWW-Authenticate"));
    }

    #[test]
    fn the_redactor_masks_every_piece_of_a_secret() {
        let r = Redactor::new(["SECRETVALUE123", "abcd", "ab"]);
        assert_eq!(r.scrub("x `SECRETVALUE123` y"), "x `**************` y");
        // A quoted prefix, cut short.
        assert_eq!(r.scrub("`SECRETVAL…`"), "`*********…`");
        // Short secrets as words only; shorter ones not at all.
        assert_eq!(r.scrub("abcd abcde ab"), "**** abcde ab");
        assert_eq!(r.scrub("nothing here"), "nothing here");
        // A header's scheme is no part of the secret.
        let r = Redactor::new(["Basic czZCaGRSa3F0Mzo3"]);
        assert_eq!(r.scrub("the Basic credentials"), "the Basic credentials");
        assert_eq!(r.scrub("czZCaGRS"), "********");
        // Nor is a PEM block's armour.
        let r =
            Redactor::new(["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----"]);
        assert_eq!(r.scrub("a `PRIVATE KEY` block"), "a `PRIVATE KEY` block");
        assert_eq!(r.scrub("MIIEvQIBADAN"), "************");
        assert!(!format!("{r:?}").contains("SECRET"));
    }

    /// What the redactor masks, the slow way: each window of the text
    /// against each piece of each secret (plain secrets: no scheme, no PEM).
    fn scrub_slowly(secrets: &[String], text: &str) -> String {
        let b = text.as_bytes();
        let mut hidden = vec![false; b.len()];
        for s in secrets.iter().map(|s| s.trim()) {
            if s.len() >= PIECE {
                for piece in s.as_bytes().windows(PIECE) {
                    for i in 0..b.len().saturating_sub(PIECE - 1) {
                        if &b[i..i + PIECE] == piece {
                            hidden[i..i + PIECE].fill(true);
                        }
                    }
                }
            } else if s.len() >= MIN_SCRUBBED {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                for (i, _) in text.match_indices(s) {
                    if !word(text[..i].chars().next_back())
                        && !word(text[i + s.len()..].chars().next())
                    {
                        hidden[i..i + s.len()].fill(true);
                    }
                }
            }
        }
        text.char_indices()
            .map(|(i, c)| {
                if hidden[i..i + c.len_utf8()].contains(&true) {
                    '*'
                } else {
                    c
                }
            })
            .collect()
    }

    proptest::proptest! {
        /// The redactor's lookup (packed pieces, a filter, a bisection)
        /// masks exactly what comparing every window with every piece does.
        #[test]
        fn the_redactor_masks_what_a_slow_scan_masks(
            secrets in proptest::collection::vec("[ab1é ]{0,12}", 0..4),
            text in "[ab1é_ ]{0,40}",
        ) {
            let r = Redactor::new(secrets.iter().map(String::as_str));
            proptest::prop_assert_eq!(r.scrub(&text), scrub_slowly(&secrets, &text));
        }
    }

    #[test]
    fn jwk_private_members_are_masked_in_json() {
        let mut v = serde_json::json!({"keys": [{"kty": "AKP", "priv": "p1", "pub": "x"}]});
        mask_private_jwk_members(&mut v);
        assert_eq!(v["keys"][0]["priv"], JWK_MEMBER_MASK);
        assert_eq!(v["keys"][0]["pub"], "x");
        let text =
            r#"{"kty":"RSA","n":"nn","d":"dd","oth":[{"r":"rr"}],"x":{"client_secret":"cs"}}"#;
        let doc = json::validate(text, 0).unwrap();
        let mut spans = Vec::new();
        json_spans(doc, &mut spans);
        let got: Vec<&str> = spans.iter().map(|s| &text[s.offset..s.end()]).collect();
        assert_eq!(got, ["dd", r#"[{"r":"rr"}]"#, "cs"]);
    }

    #[test]
    fn header_names_that_suggest_a_credential() {
        for name in [
            "Authorization",
            "X-Auth-Key",
            "x-api-key",
            "X-API-KEY",
            "Ocp-Apim-Subscription-Key",
            "X-Session-Id",
            "X_Auth_Password",
            "X-Client-Credentials",
            "X-MyToken",
            "X-Amz-Security-Token",
            "Set-Cookie",
            "X-Hub-Signature-256",
            "X-CSRF-Token",
            "X-OTP",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in [
            "Content-Type",
            "Accept",
            "User-Agent",
            "X-Request-Id",
            "X-Correlation-Id",
            "Cache-Control",
            "X-Forwarded-For",
            // A proof is bound to its key, and its rules quote its parts.
            "DPoP",
            "OAuth-Client-Attestation-PoP",
            "WWW-Authenticate",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }
}
