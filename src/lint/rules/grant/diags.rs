//! The `grant/` findings' prose: one constructor per kind of finding, so
//! the checks read as logic.

use std::ops::Range;

use super::advice;
use super::client_authentication::CLIENT_AUTHENTICATION_REQUIRED;
use super::client_id::CLIENT_ID_MISSING;
use super::grant_type::{NoGrantType, Unaccepted, MISSING_GRANT_TYPE, UNKNOWN_GRANT_TYPE};
use super::parameters::{
    Missing, Unpaired, MISSING_PARAMETER, UNKNOWN_PARAMETER, UNPAIRED_PARAMETER,
};
use super::password::PASSWORD_DEPRECATED;
use super::redirect_uri::REDIRECT_URI_INVALID;
use super::table::Grant;
use crate::form::{self, Pair};
use crate::lint::{Context, Finding};
use crate::span::Span;
use crate::uri::UriError;

/// A value shortened for a message.
fn show(v: &str) -> String {
    const MAX: usize = 80;
    if v.chars().count() <= MAX {
        return v.to_owned();
    }
    let cut: String = v.chars().take(MAX).collect();
    format!("{cut}…")
}

/// "`a` and `b`".
fn names(v: &[&str]) -> String {
    v.iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

fn rename(from: &str, to: &str) -> String {
    format!("rename `{from}` to `{to}`: parameter names are exact and case-sensitive")
}

// ---------------------------------------------------------------------------
// grant_type

pub(super) fn missing_grant_type(cx: &Context, instead: NoGrantType) -> Finding {
    let f = Finding::new(
        &MISSING_GRANT_TYPE,
        "the request has no `grant_type`: the token endpoint cannot tell which grant is asked for",
    )
    .field("parameters.grant_type");
    let add = "add grant_type=… to the form body: authorization_code, refresh_token, \
               client_credentials, or an extension grant URI (RFC 6749 §4.5). node-oidc-provider \
               answers invalid_request \"missing required parameter 'grant_type'\"";
    match instead {
        NoGrantType::Empty(p) => f
            .label(cx.pair_span(p), "empty value counts as missing")
            .help(add),
        NoGrantType::Misspelt(p) => f
            .label(cx.name_span(p), "did you mean `grant_type`?")
            .help(rename(&p.name, "grant_type")),
        NoGrantType::Json => f.label(cx.parameters_span(), "JSON, not a form body").help(
            "`parameters` holds the application/x-www-form-urlencoded body as one string \
             (`grant_type=client_credentials&scope=read`), not JSON",
        ),
        NoGrantType::Nothing => f
            .label(cx.parameters_span(), "no grant_type here")
            .help(add),
    }
}

pub(super) fn unknown_grant_type(cx: &Context, gt: &Pair, why: Unaccepted) -> Finding {
    let v = gt.value.as_str();
    let mut span = cx.value_span(gt);
    let mut label = "unknown grant type".to_owned();
    let reason = match why {
        Unaccepted::UnknownName => {
            "it is not one of the grant types the OAuth specifications define, and an extension \
             grant must be an absolute URI (RFC 6749 §4.5)"
                .to_owned()
        }
        Unaccepted::NearMissUrn => {
            "it looks like a registered grant type URN, but does not match one exactly".to_owned()
        }
        Unaccepted::NoScheme => {
            "it is neither a grant name (letters, digits, `-`, `.`, `_`) nor an absolute URI \
             (RFC 6749 Appendix A.10, §4.5)"
                .to_owned()
        }
        Unaccepted::BadUri(e) => {
            if cx.form.value_is_utf8(gt) {
                span = cx.value_sub_span(gt, e.range(v));
            }
            label = match e {
                UriError::UnexpectedChar { ch: ' ', .. } => "space not allowed".to_owned(),
                UriError::UnexpectedChar { ch, .. } => format!("{ch:?} not allowed"),
                _ => "not valid here".to_owned(),
            };
            format!("it does not match the syntax of RFC 6749 Appendix A.10 ({e})")
        }
    };
    Finding::new(
        &UNKNOWN_GRANT_TYPE,
        format!(
            "grant_type `{}` is not a grant type the server will accept: {reason}",
            show(v)
        ),
    )
    .field("parameters.grant_type")
    .label(span, label)
    .help(advice::unknown_grant_type_help(v))
}

pub(super) fn password_deprecated(cx: &Context, gt: &Pair, grant: &Grant) -> Finding {
    let why = grant
        .deprecated
        .as_deref()
        .unwrap_or("RFC 9700 §2.4: the resource owner password credentials grant MUST NOT be used");
    Finding::new(
        &PASSWORD_DEPRECATED,
        format!("grant_type=password hands the user's password to the client; {why}"),
    )
    .field("parameters.grant_type")
    .label(cx.value_span(gt), "deprecated grant")
    .help(
        "use the authorization_code grant with PKCE, where the user signs in at the authorization \
         server (RFC 9700 §2.1.1); or the device grant (RFC 8628) for devices without a browser. \
         node-oidc-provider and Spring Authorization Server do not implement this grant at all \
         (unsupported_grant_type)",
    )
}

// ---------------------------------------------------------------------------
// Parameters

pub(super) fn missing_parameter(
    cx: &Context,
    gt: &Pair,
    grant: &Grant,
    req: &str,
    instead: Missing,
) -> Finding {
    let f = Finding::new(
        &MISSING_PARAMETER,
        format!(
            "`{req}` is missing: the {} grant requires it ({})",
            grant.title, grant.spec
        ),
    )
    .field(format!("parameters.{req}"));
    let add = format!("add `{req}` with {}", advice::expected_value(req));
    match instead {
        Missing::Empty(p) => f
            .label(cx.pair_span(p), "empty value counts as missing")
            .help(add),
        Missing::Misspelt(p) => f
            .label(cx.name_span(p), format!("did you mean `{req}`?"))
            .help(rename(&p.name, req)),
        Missing::Nothing => f
            .label(cx.value_span(gt), format!("requires `{req}`"))
            .help(add),
    }
}

pub(super) fn unpaired_parameter(cx: &Context, grant: &Grant, u: &Unpaired) -> Finding {
    let present: Vec<&str> = u.present.iter().map(|p| p.name.as_str()).collect();
    let help = if present == ["actor_token"] {
        "add `actor_token_type` naming the actor token's type, \
         e.g. urn:ietf:params:oauth:token-type:access_token or …:jwt (RFC 8693 §3)"
            .to_owned()
    } else if present == ["actor_token_type"] {
        "remove `actor_token_type`: RFC 8693 §2.1 says it MUST NOT be sent without actor_token; or \
         add the actor_token it describes"
            .to_owned()
    } else {
        format!(
            "send {} together, or none of them",
            names(&u.group.iter().map(String::as_str).collect::<Vec<_>>())
        )
    };
    let mut f = Finding::new(
        &UNPAIRED_PARAMETER,
        format!(
            "{} is sent without {}; the {} grant requires them together ({})",
            names(&present),
            names(&u.missing),
            grant.title,
            grant.spec
        ),
    )
    .field(format!("parameters.{}", present[0]))
    .help(help);
    for p in &u.present {
        f = f.label(cx.pair_span(p), format!("without {}", names(&u.missing)));
    }
    f
}

/// `prev`: the pair before `p`, which may hold the start of a value whose
/// raw `&` began `p`.
pub(super) fn unknown_parameter(
    cx: &Context,
    grant: &Grant,
    p: &Pair,
    prev: Option<&Pair>,
) -> Finding {
    let name = p.name.as_str();
    if !cx.name_quotable(p) {
        return split_secret(cx, grant, p);
    }
    Finding::new(
        &UNKNOWN_PARAMETER,
        format!(
            "`{}` is not a parameter of the {} grant ({}); the server MUST ignore it",
            show(name),
            grant.title,
            grant.spec
        ),
    )
    .field(format!("parameters.{name}"))
    .label(cx.name_span(p), "not defined for this grant")
    .help(advice::unknown_parameter_help(cx, grant, name, prev))
}

/// An unknown parameter right after a secret: the rest of the secret, cut
/// by a raw `&` ([`crate::secrets::Hide::Pair`]). Neither its name nor its
/// value is shown.
fn split_secret(cx: &Context, grant: &Grant, p: &Pair) -> Finding {
    let before = cx
        .form
        .pairs
        .iter()
        .take_while(|q| q.raw.start < p.raw.start)
        .filter(|q| cx.name_quotable(q))
        .last()
        .map_or("a secret".to_owned(), |q| format!("`{}`", show(&q.name)));
    Finding::new(
        &UNKNOWN_PARAMETER,
        format!(
            "a parameter after {before} is not a parameter of the {} grant ({}): it is probably \
             the rest of that value, cut by a raw `&` (name and value not shown)",
            grant.title, grant.spec
        ),
    )
    .field("parameters")
    .label(cx.name_span(p), "part of a secret?")
    .help(
        "percent-encode an `&` inside a value as %26: a raw `&` starts a new parameter, so the \
         server sees a shorter secret and an unknown parameter",
    )
}

// ---------------------------------------------------------------------------
// The client

pub(super) fn client_authentication_required(cx: &Context, gt: &Pair, grant: &Grant) -> Finding {
    let mut f = Finding::new(
        &CLIENT_AUTHENTICATION_REQUIRED,
        format!(
            "grant_type={} requires the client to authenticate ({}), but the request carries no \
             client authentication",
            grant.name, grant.spec
        ),
    )
    .field("parameters.grant_type")
    .label(cx.value_span(gt), "requires client authentication");
    if let Some(p) = cx.param("client_id") {
        f = f.label(
            cx.pair_span(p),
            "identifies the client, does not authenticate it",
        );
    }
    if let Some(id) = &cx.req.client_id {
        f = f.label(
            id.span,
            "clientId without clientSecret does not authenticate",
        );
    }
    let who = if grant.name == "client_credentials" {
        "Authlete answers A052301 \"Public clients are not allowed to use \
         'grant_type=client_credentials'.\" (unauthorized_client)"
    } else {
        "CIBA clients are confidential and authenticate with their registered method"
    };
    f.help(format!(
        "authenticate the client: clientId + clientSecret (client_secret_basic), client_secret in \
         the body, a client_assertion (private_key_jwt), a client certificate (tls_client_auth) or \
         client attestation. {who}"
    ))
}

/// `secret`: a `client_secret` sent without the `client_id` it belongs to.
pub(super) fn client_id_missing(
    cx: &Context,
    gt: &Pair,
    grant: &Grant,
    secret: Option<&Pair>,
) -> Finding {
    let msg = if secret.is_some() {
        format!(
            "`client_secret` is sent without `client_id`: grant_type={} needs to know which client \
             this is ({})",
            grant.name, grant.spec
        )
    } else {
        format!(
            "nothing identifies the client: grant_type={} requires `client_id` when the client \
             does not authenticate ({})",
            grant.name, grant.spec
        )
    };
    let mut f = Finding::new(&CLIENT_ID_MISSING, msg)
        .field("parameters.client_id")
        .label(cx.value_span(gt), "no client_id for this grant");
    if let Some(p) = secret {
        f = f.label(cx.name_span(p), "a secret, but whose?");
    }
    if let Some(c) = &cx.req.client_certificate {
        f = f.label(
            Span::new(c.span.offset, c.span.len.min(27)),
            "mTLS client authentication needs client_id too (RFC 8705 §2)",
        );
    }
    f.help(
        "add client_id=… to the parameters, or put the client ID in `clientId` (with \
         `clientSecret`, for client_secret_basic). node-oidc-provider answers invalid_request \"no \
         client authentication mechanism provided\"",
    )
}

// ---------------------------------------------------------------------------
// redirect_uri

pub(super) fn redirect_uri_not_absolute(cx: &Context, p: &Pair, e: UriError) -> Finding {
    let label = match e {
        UriError::NoScheme | UriError::Empty => "no scheme".to_owned(),
        UriError::BadPercentEncoding { .. } => "not a valid escape".to_owned(),
        UriError::UnexpectedChar { ch: ' ', .. } => "space not allowed".to_owned(),
        UriError::UnexpectedChar { ch, .. } => format!("{ch:?} not allowed"),
        UriError::InvalidIpv6 { .. } => "malformed IPv6 address".to_owned(),
    };
    let span = cx.value_sub_span(p, e.range(&p.value));
    redirect_uri_invalid(p, span, label, &format!("it is not an absolute URI ({e})"))
}

pub(super) fn redirect_uri_fragment(cx: &Context, p: &Pair, frag: Range<usize>) -> Finding {
    let span = cx.value_sub_span(p, frag);
    let why = "it has a fragment, which RFC 6749 §3.1.2 forbids";
    redirect_uri_invalid(p, span, "fragment".to_owned(), why)
}

fn redirect_uri_invalid(p: &Pair, span: Span, label: String, why: &str) -> Finding {
    let v = p.value.as_str();
    let help = if form::looks_double_encoded(v) {
        "the value is percent-encoded twice: the server sees `%3A%2F%2F` instead of `://`. Encode \
         the redirect_uri once, as part of the form body \
         (redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb)"
    } else {
        "send exactly the redirect_uri of the authorization request: an absolute URI without a \
         fragment, percent-encoded in the form body \
         (redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb). The server compares it with the one \
         it saw and answers invalid_grant on a mismatch"
    };
    Finding::new(
        &REDIRECT_URI_INVALID,
        format!("`redirect_uri` `{}` is invalid: {why}", show(v)),
    )
    .field("parameters.redirect_uri")
    .label(span, label)
    .help(help)
}
