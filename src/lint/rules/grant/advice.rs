//! Advice keyed by name: what a required parameter should hold, and what
//! an unknown grant type or parameter was probably meant to be. The help
//! texts of `diags` draw on these tables.

use super::names::{norm, suggest_grant};
use super::table::{self as grants, Grant};
use crate::form::Pair;
use crate::lint::Context;

/// Help for a `grant_type` the server will not accept.
pub(super) fn unknown_grant_type_help(v: &str) -> String {
    match norm(v).as_str() {
        "implicit" | "token" | "id_token" | "id_token token" => {
            "the implicit flow (response_type=token) gets its token from the authorization \
             endpoint and never calls the token endpoint; RFC 9700 §2.1.2 says not to use it. Use \
             grant_type=authorization_code with PKCE"
                .to_owned()
        }
        "code" => {
            "`code` is the response_type of the authorization request; the token request that \
             redeems the code uses grant_type=authorization_code"
                .to_owned()
        }
        _ => match suggest_grant(v) {
            Some(s) => format!("did you mean `{s}`? Grant types are exact, case-sensitive strings"),
            None => format!(
                "use one of {}, or an extension grant's absolute URI; the server answers \
                 unsupported_grant_type (RFC 6749 §5.2)",
                known_grants_list()
            ),
        },
    }
}

/// Every grant of the table: "authorization_code, refresh_token, …".
fn known_grants_list() -> String {
    grants::table()
        .grants
        .iter()
        .map(|g| g.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a required parameter should hold, for the help text.
pub(super) fn expected_value(param: &str) -> &'static str {
    match param {
        "code" => {
            "the authorization code the authorization server sent to your redirect_uri (`?code=…`)"
        }
        "refresh_token" => "the refresh token from an earlier token response",
        "username" => "the resource owner's username",
        "password" => "the resource owner's password",
        "device_code" => "the device_code from the device authorization response (RFC 8628 §3.2)",
        "subject_token" => {
            "the token that represents the party on whose behalf the request is made"
        }
        "subject_token_type" => {
            "the type of subject_token as a URI, \
             e.g. urn:ietf:params:oauth:token-type:access_token (RFC 8693 §3)"
        }
        "assertion" => {
            "the assertion itself: a single signed JWT (RFC 7523) or a base64url-encoded SAML 2.0 \
             assertion (RFC 7522)"
        }
        "auth_req_id" => "the auth_req_id from the backchannel authentication response (CIBA §7.3)",
        "pre-authorized_code" => {
            "the pre-authorized_code from the credential offer (OpenID4VCI §4.1.1)"
        }
        _ => "the value the grant's specification defines",
    }
}

/// Help for a parameter the grant does not define. `prev`: the pair before
/// it, whose value may have held the raw `&` that began it.
pub(super) fn unknown_parameter_help(
    cx: &Context,
    grant: &Grant,
    name: &str,
    prev: Option<&Pair>,
) -> String {
    let defined = grant
        .required
        .iter()
        .chain(&grant.optional)
        .chain(&grants::table().common)
        .map(String::as_str);
    if let Some(s) = cx.suggester.suggest(name, defined) {
        return format!("did you mean `{s}`? Parameter names are exact and case-sensitive");
    }
    if let Some(prev) = prev.filter(|q| q.value.contains('?') && !q.value.contains('&')) {
        return format!(
            "was this part of `{}`? An `&` inside a value must be encoded as %26, otherwise it \
             starts a new parameter",
            prev.name
        );
    }
    match name {
        "code_challenge" | "code_challenge_method" => {
            "this belongs to the authorization request; the token request sends only code_verifier \
             (RFC 7636 §4.5)"
                .to_owned()
        }
        "response_type" | "state" | "nonce" | "prompt" | "response_mode" => {
            "this is an authorization request parameter; the token endpoint ignores it".to_owned()
        }
        "redirect_uri" => "only the authorization_code grant uses redirect_uri".to_owned(),
        "audience" => {
            "`audience` is a token exchange parameter (RFC 8693 §2.1); some servers (Auth0, \
             Keycloak) accept it elsewhere as their own extension"
                .to_owned()
        }
        _ => {
            "the server ignores parameters it does not recognize (RFC 6749 §3.2); remove it unless \
             your server defines it as an extension"
                .to_owned()
        }
    }
}
