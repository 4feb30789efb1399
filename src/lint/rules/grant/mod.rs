//! `grant/`: the grant type and what it requires, per the grant table
//! (`rules/grant/grants.toml`).

pub mod table;

use crate::text::edit_distance;
use std::collections::HashSet;

use crate::form::{self, Pair};
use crate::lint::{find_rule, Context, Finding, Sink};
use crate::span::Span;
use crate::uri;
use table as grants;
use table::{ClientPolicy, Grant};

crate::lint::declare_rules! {
    area: Grant;
    MISSING_GRANT_TYPE = "grant/missing-grant-type", Error, "RFC 6749 §4.1.3",
        "The request has no `grant_type`";
    UNKNOWN_GRANT_TYPE = "grant/unknown-grant-type", Error, "RFC 6749 §5.2; Appendix A.10",
        "`grant_type` is neither a known grant nor an extension grant URI";
    MISSING_PARAMETER = "grant/missing-parameter", Error, "RFC 6749 §4.1.3, §4.3.2, §6; RFC 8628 §3.4; RFC 8693 §2.1; RFC 7523 §2.1",
        "A parameter the grant requires is missing or empty";
    UNPAIRED_PARAMETER = "grant/unpaired-parameter", Error, "RFC 8693 §2.1",
        "A parameter is sent without the parameter it must come with";
    UNKNOWN_PARAMETER = "grant/unknown-parameter", Info, "RFC 6749 §3.2",
        "A parameter the grant does not define; the server ignores it";
    PASSWORD_DEPRECATED = "grant/password-deprecated", Warning, "RFC 9700 §2.4",
        "The resource owner password credentials grant must not be used";
    CLIENT_AUTHENTICATION_REQUIRED = "grant/client-authentication-required", Error, "RFC 6749 §4.4.2; OpenID CIBA Core 1.0 §10.1",
        "The grant requires client authentication, and the request has none";
    REDIRECT_URI_INVALID = "grant/redirect-uri-invalid", Error, "RFC 6749 §3.1.2",
        "`redirect_uri` is not an absolute URI, or has a fragment";
    CLIENT_ID_MISSING = "grant/client-id-missing", Error, "RFC 6749 §4.1.3; RFC 8628 §3.4",
        "Nothing identifies the client: no `client_id`, no authentication";
}

/// The `Grant` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    area: crate::lint::Area::Grant,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    if cx.req.parameters.is_none() {
        return; // input/missing-parameters says so
    }
    let Some(gt) = cx.param("grant_type") else {
        missing_grant_type(cx, sink);
        return;
    };
    let Some(grant) = grants::table().get(&gt.value) else {
        unknown_grant_type(cx, gt, sink);
        return;
    };
    missing_parameters(cx, gt, grant, sink);
    unpaired_parameters(cx, grant, sink);
    unknown_parameters(cx, grant, sink);
    if grant.name == "password" {
        let why = grant.deprecated.as_deref().unwrap_or(
            "RFC 9700 §2.4: the resource owner password credentials grant MUST NOT be used",
        );
        sink.push(
            Finding::new(
                &PASSWORD_DEPRECATED,
                format!("grant_type=password hands the user's password to the client; {why}"),
            )
            .field("parameters.grant_type")
            .label(cx.value_span(gt), "deprecated grant")
            .help("use the authorization_code grant with PKCE, where the user signs in at the authorization server (RFC 9700 §2.1.1); or the device grant (RFC 8628) for devices without a browser. node-oidc-provider and Spring Authorization Server do not implement this grant at all (unsupported_grant_type)"),
        );
    }
    client_policy(cx, gt, grant, sink);
    redirect_uri(cx, grant, sink);
}

// ---------------------------------------------------------------------------
// Names and suggestions

/// Lower-case, `-` as `_`, trimmed: how a typo of a name usually differs.
fn norm(s: &str) -> String {
    s.trim().to_lowercase().replace('-', "_")
}

/// The candidate a misspelt `name` most likely meant: same name up to case,
/// `-`/`_` and camelCase, or at most two edits away.
fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let squash = |s: &str| -> String { norm(s).replace('_', "") };
    // Parameter names are short; a long one is no typo of them.
    if name.len() < 3 || name.len() > 64 {
        return None;
    }
    let n = squash(name);
    if n.len() < 3 {
        return None;
    }
    let nlen = n.chars().count();
    let mut best: Option<(&str, usize)> = None;
    for c in candidates {
        let sc = squash(c);
        // The distance is at least the difference in length.
        if sc.chars().count().abs_diff(nlen) > 2 {
            continue;
        }
        let d = edit_distance(&sc, &n);
        if d <= 2 && best.is_none_or(|(_, bd)| d < bd) {
            best = Some((c, d));
        }
    }
    best.map(|(c, _)| c)
}

/// The known grant a wrong `grant_type` most likely meant.
fn suggest_grant(value: &str) -> Option<&'static str> {
    let table = grants::table();
    let n = norm(value);
    if n == "code" {
        return Some("authorization_code");
    }
    // The whole name, or the last part of a URN (`device_code`, `ciba`).
    let short = |g: &'static Grant| -> [&'static str; 2] {
        let s = g.name.as_str();
        [s, s.rsplit(':').next().unwrap_or(s)]
    };
    for g in &table.grants {
        if short(g).iter().any(|c| norm(c) == n) {
            return Some(g.name.as_str());
        }
    }
    if n.len() >= 4 {
        for g in &table.grants {
            if short(g).iter().any(|c| norm(c).starts_with(&n)) {
                return Some(g.name.as_str());
            }
        }
    }
    let mut best: Option<(&'static str, usize)> = None;
    for g in &table.grants {
        for c in short(g) {
            let d = edit_distance(&norm(c), &n);
            if d <= 2 && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((g.name.as_str(), d));
            }
        }
    }
    best.map(|(g, _)| g)
}

/// RFC 6749 A.10: `grant-name = 1*name-char`,
/// `name-char = "-" / "." / "_" / DIGIT / ALPHA`.
fn is_grant_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
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

fn known_grants_list() -> String {
    grants::table()
        .grants
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// grant_type

fn missing_grant_type(cx: &Context, sink: &mut Sink) {
    let raw = cx.req.parameters.as_ref().map_or("", |t| t.value.as_str());
    let mut f = Finding::new(
        &MISSING_GRANT_TYPE,
        "the request has no `grant_type`: the token endpoint cannot tell which grant is asked for",
    )
    .field("parameters.grant_type");
    let empty = cx.form.all("grant_type").next();
    let typo = cx
        .form
        .pairs
        .iter()
        .find(|p| p.name != "grant_type" && closest(&p.name, ["grant_type"]).is_some());
    let mut help = "add grant_type=… to the form body: authorization_code, refresh_token, client_credentials, or an extension grant URI (RFC 6749 §4.5). node-oidc-provider answers invalid_request \"missing required parameter 'grant_type'\"".to_owned();
    if let Some(p) = empty {
        f = f.label(cx.pair_span(p), "empty value counts as missing");
    } else if let Some(p) = typo {
        f = f.label(cx.name_span(p), "did you mean `grant_type`?");
        help = format!(
            "rename `{}` to `grant_type`: parameter names are exact and case-sensitive",
            p.name
        );
    } else if raw.trim_start().starts_with('{') {
        f = f.label(cx.parameters_span(), "JSON, not a form body");
        help = "`parameters` holds the application/x-www-form-urlencoded body as one string (`grant_type=client_credentials&scope=read`), not JSON".to_owned();
    } else {
        f = f.label(cx.parameters_span(), "no grant_type here");
    }
    sink.push(f.help(help));
}

fn unknown_grant_type(cx: &Context, gt: &Pair, sink: &mut Sink) {
    let v = gt.value.as_str();
    let n = norm(v);
    let mut label_span = cx.value_span(gt);
    let mut label = "unknown grant type".to_owned();
    let reason: String;
    if is_grant_name(v) {
        reason = "it is not one of the grant types the OAuth specifications define, and an extension grant must be an absolute URI (RFC 6749 §4.5)".to_owned();
    } else {
        match uri::parse_absolute(v) {
            Ok(_) => {
                // An extension grant. Flag it only when it is a near miss
                // of a registered URN: the server answers unsupported_grant_type.
                let registered = n.starts_with("urn:ietf:params:oauth:grant_type:")
                    || n.starts_with("urn:openid:params:grant_type:");
                if !registered || suggest_grant(v).is_none() {
                    return;
                }
                reason =
                    "it looks like a registered grant type URN, but does not match one exactly"
                        .to_owned();
            }
            Err(uri::UriError::NoScheme) => {
                reason = "it is neither a grant name (letters, digits, `-`, `.`, `_`) nor an absolute URI (RFC 6749 Appendix A.10, §4.5)".to_owned();
            }
            Err(e) => {
                if cx.form.value_is_utf8(gt) {
                    label_span = cx.value_sub_span(gt, e.range(v));
                }
                label = match e {
                    uri::UriError::UnexpectedChar { ch: ' ', .. } => "space not allowed".to_owned(),
                    uri::UriError::UnexpectedChar { ch, .. } => format!("{ch:?} not allowed"),
                    _ => "not valid here".to_owned(),
                };
                reason = format!("it does not match the syntax of RFC 6749 Appendix A.10 ({e})");
            }
        }
    }
    let help = match n.as_str() {
        "implicit" | "token" | "id_token" | "id_token token" => "the implicit flow (response_type=token) gets its token from the authorization endpoint and never calls the token endpoint; RFC 9700 §2.1.2 says not to use it. Use grant_type=authorization_code with PKCE".to_owned(),
        "code" => "`code` is the response_type of the authorization request; the token request that redeems the code uses grant_type=authorization_code".to_owned(),
        _ => match suggest_grant(v) {
            Some(s) => format!("did you mean `{s}`? Grant types are exact, case-sensitive strings"),
            None => format!(
                "use one of {}, or an extension grant's absolute URI; the server answers unsupported_grant_type (RFC 6749 §5.2)",
                known_grants_list()
            ),
        },
    };
    sink.push(
        Finding::new(
            &UNKNOWN_GRANT_TYPE,
            format!(
                "grant_type `{}` is not a grant type the server will accept: {reason}",
                show(v)
            ),
        )
        .field("parameters.grant_type")
        .label(label_span, label)
        .help(help),
    );
}

// ---------------------------------------------------------------------------
// Parameters

/// What a required parameter should hold, for the help text.
fn expected_value(param: &str) -> &'static str {
    match param {
        "code" => "the authorization code the authorization server sent to your redirect_uri (`?code=…`)",
        "refresh_token" => "the refresh token from an earlier token response",
        "username" => "the resource owner's username",
        "password" => "the resource owner's password",
        "device_code" => "the device_code from the device authorization response (RFC 8628 §3.2)",
        "subject_token" => "the token that represents the party on whose behalf the request is made",
        "subject_token_type" => "the type of subject_token as a URI, e.g. urn:ietf:params:oauth:token-type:access_token (RFC 8693 §3)",
        "assertion" => "the assertion itself: a single signed JWT (RFC 7523) or a base64url-encoded SAML 2.0 assertion (RFC 7522)",
        "auth_req_id" => "the auth_req_id from the backchannel authentication response (CIBA §7.3)",
        "pre-authorized_code" => "the pre-authorized_code from the credential offer (OpenID4VCI §4.1.1)",
        _ => "the value the grant's specification defines",
    }
}

fn missing_parameters(cx: &Context, gt: &Pair, grant: &Grant, sink: &mut Sink) {
    for req in &grant.required {
        if cx.has_param(req) {
            continue;
        }
        let mut f = Finding::new(
            &MISSING_PARAMETER,
            format!(
                "`{req}` is missing: the {} grant requires it ({})",
                grant.title, grant.spec
            ),
        )
        .field(format!("parameters.{req}"));
        let mut help = format!("add `{req}` with {}", expected_value(req));
        if let Some(p) = cx.form.all(req).next() {
            f = f.label(cx.pair_span(p), "empty value counts as missing");
        } else if let Some(p) = cx.form.pairs.iter().find(|p| {
            !grants::table().known(grant, &p.name) && closest(&p.name, [req.as_str()]).is_some()
        }) {
            f = f.label(cx.name_span(p), format!("did you mean `{req}`?"));
            help = format!(
                "rename `{}` to `{req}`: parameter names are exact and case-sensitive",
                p.name
            );
        } else {
            f = f.label(cx.value_span(gt), format!("requires `{req}`"));
        }
        sink.push(f.help(help));
    }
}

fn unpaired_parameters(cx: &Context, grant: &Grant, sink: &mut Sink) {
    for group in &grant.together {
        let present: Vec<&Pair> = group.iter().filter_map(|n| cx.param(n)).collect();
        if present.is_empty() || present.len() == group.len() {
            continue;
        }
        let missing: Vec<&str> = group
            .iter()
            .map(String::as_str)
            .filter(|n| !cx.has_param(n))
            .collect();
        let names = |v: &[&str]| {
            v.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let present_names: Vec<&str> = present.iter().map(|p| p.name.as_str()).collect();
        let help = if present_names == ["actor_token"] {
            "add `actor_token_type` naming the actor token's type, e.g. urn:ietf:params:oauth:token-type:access_token or …:jwt (RFC 8693 §3)".to_owned()
        } else if present_names == ["actor_token_type"] {
            "remove `actor_token_type`: RFC 8693 §2.1 says it MUST NOT be sent without actor_token; or add the actor_token it describes".to_owned()
        } else {
            format!(
                "send {} together, or none of them",
                names(&group.iter().map(String::as_str).collect::<Vec<_>>())
            )
        };
        let mut f = Finding::new(
            &UNPAIRED_PARAMETER,
            format!(
                "{} is sent without {}; the {} grant requires them together ({})",
                names(&present_names),
                names(&missing),
                grant.title,
                grant.spec
            ),
        )
        .field(format!("parameters.{}", present_names[0]))
        .help(help);
        for p in present {
            f = f.label(cx.pair_span(p), format!("without {}", names(&missing)));
        }
        sink.push(f);
    }
}

fn unknown_parameters(cx: &Context, grant: &Grant, sink: &mut Sink) {
    let table = grants::table();
    let mut seen: HashSet<&str> = HashSet::new();
    // Required parameters that are missing: a near miss of one is pointed at
    // by grant/missing-parameter already.
    let missing: Vec<&str> = if sink.enabled(&MISSING_PARAMETER) {
        grant
            .required
            .iter()
            .map(String::as_str)
            .filter(|r| !cx.has_param(r))
            .collect()
    } else {
        Vec::new()
    };
    for (i, p) in cx.form.pairs.iter().enumerate() {
        let name = p.name.as_str();
        // pkce/verifier-unexpected covers code_verifier.
        if name.is_empty()
            || name == "code_verifier"
            || table.known(grant, name)
            || !seen.insert(name)
        {
            continue;
        }
        if missing.iter().any(|r| closest(name, [*r]).is_some()) {
            continue;
        }
        let defined = grant
            .required
            .iter()
            .chain(&grant.optional)
            .chain(&table.common)
            .map(String::as_str);
        let prev = i.checked_sub(1).and_then(|j| cx.form.pairs.get(j));
        let help = if let Some(s) = closest(name, defined) {
            format!("did you mean `{s}`? Parameter names are exact and case-sensitive")
        } else if let Some(prev) = prev.filter(|q| q.value.contains('?') && !q.value.contains('&'))
        {
            format!("was this part of `{}`? An `&` inside a value must be encoded as %26, otherwise it starts a new parameter", prev.name)
        } else {
            match name {
                "scope" if grant.name == "authorization_code" => "the scope was fixed by the authorization request; the authorization_code token request has no scope parameter (RFC 6749 §4.1.3)".to_owned(),
                "code_challenge" | "code_challenge_method" => "this belongs to the authorization request; the token request sends only code_verifier (RFC 7636 §4.5)".to_owned(),
                "response_type" | "state" | "nonce" | "prompt" | "response_mode" => "this is an authorization request parameter; the token endpoint ignores it".to_owned(),
                "redirect_uri" => "only the authorization_code grant uses redirect_uri".to_owned(),
                "audience" => "`audience` is a token exchange parameter (RFC 8693 §2.1); some servers (Auth0, Keycloak) accept it elsewhere as their own extension".to_owned(),
                _ => "the server ignores parameters it does not recognize (RFC 6749 §3.2); remove it unless your server defines it as an extension".to_owned(),
            }
        };
        sink.push(
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
            .help(help),
        );
    }
}

// ---------------------------------------------------------------------------
// The client

fn client_policy(cx: &Context, gt: &Pair, grant: &Grant, sink: &mut Sink) {
    match grant.client {
        ClientPolicy::Authenticate if !cx.client_authenticates() => {
            let mut f = Finding::new(
                &CLIENT_AUTHENTICATION_REQUIRED,
                format!(
                    "grant_type={} requires the client to authenticate ({}), but the request carries no client authentication",
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
                "Authlete answers A052301 \"Public clients are not allowed to use 'grant_type=client_credentials'.\" (unauthorized_client)"
            } else {
                "CIBA clients are confidential and authenticate with their registered method"
            };
            sink.push(f.help(format!(
                "authenticate the client: clientId + clientSecret (client_secret_basic), client_secret in the body, a client_assertion (private_key_jwt), a client certificate (tls_client_auth) or client attestation. {who}"
            )));
        }
        ClientPolicy::Identify if !cx.client_identified() => {
            let secret = cx.param("client_secret");
            // A body secret without its client_id is client-auth's finding.
            if secret.is_some()
                && find_rule("client-auth/secret-without-client-id")
                    .is_some_and(|r| sink.enabled(r))
            {
                return;
            }
            let msg = if secret.is_some() {
                format!(
                    "`client_secret` is sent without `client_id`: grant_type={} needs to know which client this is ({})",
                    grant.name, grant.spec
                )
            } else {
                format!(
                    "nothing identifies the client: grant_type={} requires `client_id` when the client does not authenticate ({})",
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
            sink.push(f.help("add client_id=… to the parameters, or put the client ID in `clientId` (with `clientSecret`, for client_secret_basic). node-oidc-provider answers invalid_request \"no client authentication mechanism provided\""));
        }
        _ => {}
    }
}

fn redirect_uri(cx: &Context, grant: &Grant, sink: &mut Sink) {
    if !grant.allows("redirect_uri") {
        return;
    }
    let Some(p) = cx
        .param("redirect_uri")
        .filter(|p| cx.form.value_is_utf8(p))
    else {
        return;
    };
    let v = p.value.as_str();
    let help = if form::looks_double_encoded(v) {
        "the value is percent-encoded twice: the server sees `%3A%2F%2F` instead of `://`. Encode the redirect_uri once, as part of the form body (redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb)"
    } else {
        "send exactly the redirect_uri of the authorization request: an absolute URI without a fragment, percent-encoded in the form body (redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb). The server compares it with the one it saw and answers invalid_grant on a mismatch"
    };
    let (span, label, why) = match uri::parse_absolute(v) {
        Err(uri::UriError::BadPercentEncoding { .. }) if cx.form.value_has_bad_escape(p) => return,
        Ok(u) => match u.fragment_marker() {
            Some(frag) => (
                cx.value_sub_span(p, frag),
                "fragment".to_owned(),
                "it has a fragment, which RFC 6749 §3.1.2 forbids".to_owned(),
            ),
            None => return,
        },
        Err(e) => {
            let label = match e {
                uri::UriError::NoScheme | uri::UriError::Empty => "no scheme".to_owned(),
                uri::UriError::BadPercentEncoding { .. } => "not a valid escape".to_owned(),
                uri::UriError::UnexpectedChar { ch: ' ', .. } => "space not allowed".to_owned(),
                uri::UriError::UnexpectedChar { ch, .. } => format!("{ch:?} not allowed"),
                uri::UriError::InvalidIpv6 { .. } => "malformed IPv6 address".to_owned(),
            };
            (
                cx.value_sub_span(p, e.range(v)),
                label,
                format!("it is not an absolute URI ({e})"),
            )
        }
    };
    sink.push(
        Finding::new(
            &REDIRECT_URI_INVALID,
            format!("`redirect_uri` `{}` is invalid: {why}", show(v)),
        )
        .field("parameters.redirect_uri")
        .label(span, label)
        .help(help),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;

    fn rules_for(body: serde_json::Value) -> Vec<&'static str> {
        crate::lint::rule_ids(
            &body.to_string(),
            &Settings::with_now(1_767_225_600),
            "grant/",
        )
    }

    #[test]
    fn grant_suggestions() {
        assert_eq!(
            suggest_grant("authorisation_code"),
            Some("authorization_code")
        );
        assert_eq!(
            suggest_grant("client-credentials"),
            Some("client_credentials")
        );
        assert_eq!(suggest_grant("refresh"), Some("refresh_token"));
        assert_eq!(
            suggest_grant("Authorization_Code"),
            Some("authorization_code")
        );
        assert_eq!(
            suggest_grant("device_code"),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(
            suggest_grant("urn:ietf:params:oauth:grant-type:device-code"),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(suggest_grant("code"), Some("authorization_code"));
        assert_eq!(suggest_grant("something"), None);
    }

    #[test]
    fn grant_name_syntax() {
        assert!(is_grant_name("authorization_code"));
        assert!(is_grant_name("a-b.c_1"));
        assert!(!is_grant_name(""));
        assert!(!is_grant_name("a b"));
        assert!(!is_grant_name("urn:x"));
    }

    #[test]
    fn grant_types() {
        let cc = |gt: &str| {
            rules_for(serde_json::json!({
                "parameters": format!("grant_type={gt}"),
                "clientId": "s6BhdRkqt3",
                "clientSecret": "7Fjfp0ZBr1KtDRbnfVdmIw",
            }))
        };
        assert!(cc("client_credentials").is_empty());
        assert_eq!(cc("client-credentials"), ["grant/unknown-grant-type"]);
        // An unknown extension grant URI passes …
        assert!(cc("https%3A%2F%2Fgrants.example.com%2Fmagic").is_empty());
        assert!(cc("urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Auma-ticket").is_empty());
        // … a near miss of a registered URN does not.
        assert_eq!(
            cc("urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt_bearer"),
            ["grant/unknown-grant-type"]
        );
        assert_eq!(cc("foo%2Fbar"), ["grant/unknown-grant-type"]);
        assert_eq!(cc("client_credentials+"), ["grant/unknown-grant-type"]);
        assert_eq!(cc(""), ["grant/missing-grant-type"]);
    }

    #[test]
    fn client_policies() {
        let r = rules_for(
            serde_json::json!({"parameters": "grant_type=client_credentials&client_id=s6BhdRkqt3"}),
        );
        assert_eq!(r, ["grant/client-authentication-required"]);
        let r = rules_for(
            serde_json::json!({"parameters": "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA"}),
        );
        assert_eq!(r, ["grant/client-id-missing"]);
        let r = rules_for(
            serde_json::json!({"parameters": "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_id=s6BhdRkqt3"}),
        );
        assert!(r.is_empty());
    }

    #[test]
    fn parameters() {
        let r = rules_for(
            serde_json::json!({"parameters": "grant_type=refresh_token&refreshToken=tGzv3JOkF0XG5Qx2TlKWIA&client_id=s6BhdRkqt3"}),
        );
        assert_eq!(r, ["grant/missing-parameter"]);
        let r = rules_for(
            serde_json::json!({"parameters": "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=%2Fcb&client_id=s6BhdRkqt3"}),
        );
        assert_eq!(r, ["grant/redirect-uri-invalid"]);
        let r = rules_for(
            serde_json::json!({"parameters": "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb%23x&client_id=s6BhdRkqt3"}),
        );
        assert_eq!(r, ["grant/redirect-uri-invalid"]);
    }
}
