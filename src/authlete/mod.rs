//! Authlete's `/auth/token` API: servers, the request sent, the response and
//! its `action`, what the token endpoint must answer for each action, and the
//! result codes (`rules/authlete/result-codes.toml`), which [`relate`] ties
//! to a request's findings. The HTTP client is in [`client`]; nothing here
//! prints.

use serde_json::{json, Map, Value};

pub mod client;
pub mod relate;
pub mod result_codes;

/// The API v3 servers, in the OpenAPI `servers` order (`--server 0..3`).
pub const SERVERS: &[(&str, &str)] = &[
    ("us", "https://us.authlete.com"),
    ("jp", "https://jp.authlete.com"),
    ("eu", "https://eu.authlete.com"),
    ("br", "https://br.authlete.com"),
];

/// The base URL: `server_url` wins, then `server` (name or index), then `us`.
pub fn base_url(server: Option<&str>, server_url: Option<&str>) -> Result<String, String> {
    if let Some(u) = server_url {
        let u = u.trim_end_matches('/');
        let scheme = u.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        if !matches!(scheme.as_deref(), Some("https" | "http")) {
            return Err(format!(
                "`{}` is not an http(s) URL such as https://us.authlete.com",
                u.escape_debug()
            ));
        }
        return Ok(u.to_owned());
    }
    let Some(s) = server else {
        return Ok(SERVERS[0].1.to_owned());
    };
    let found = SERVERS
        .iter()
        .enumerate()
        .find(|(i, (name, _))| name.eq_ignore_ascii_case(s) || i.to_string() == s);
    match found {
        Some((_, (_, url))) => Ok((*url).to_owned()),
        None => Err(format!(
            "unknown --server `{s}`: use us, jp, eu, br or 0..3 (or --server-url)"
        )),
    }
}

/// The host of a plain `http://` URL that is not loopback, where a bearer
/// token would cross the network in clear; `None` for `https://` and for
/// `localhost`, 127.0.0.0/8 and `::1`. The URL is read by the parser the
/// HTTP client connects with, so both see the same host.
pub fn insecure_host(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).ok()?;
    if u.scheme() != "http" {
        return None;
    }
    let host = u.host_str()?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => a.is_loopback(),
        Ok(std::net::IpAddr::V6(a)) => {
            a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => bare.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    };
    (!loopback).then(|| host.to_owned())
}

/// `{base}/api/{serviceId}/auth/token`; the service id must be a plain token.
pub fn token_url(base: &str, service_id: &str) -> Result<String, String> {
    if service_id.is_empty()
        || !service_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "the service ID `{}` is not a valid Authlete service ID (digits, e.g. 715948317)",
            service_id.escape_debug()
        ));
    }
    Ok(format!("{base}/api/{service_id}/auth/token"))
}

/// The `action` of a token response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Ok,
    BadRequest,
    InvalidClient,
    InternalServerError,
    Password,
    TokenExchange,
    JwtBearer,
    NativeSso,
    IdTokenReissuable,
    Other(String),
}

/// Exit codes of `token process --send` (README "Exit codes").
pub mod exit {
    /// Sent; Authlete answered OK, ID_TOKEN_REISSUABLE, or an action that
    /// needs a follow-up call (PASSWORD, TOKEN_EXCHANGE, JWT_BEARER, NATIVE_SSO).
    pub const OK: u8 = 0;
    /// Not sent: error findings (without --force).
    pub const REFUSED: u8 = 1;
    /// Usage: no bearer token, no service ID, a bad flag.
    pub const USAGE: u8 = 2;
    /// Sent; Authlete answered BAD_REQUEST, INVALID_CLIENT or INTERNAL_SERVER_ERROR
    /// (or an action tokenlint does not know).
    pub const ACTION_ERROR: u8 = 3;
    /// The Authlete API itself refused the call (HTTP 4xx/5xx, resultCode/resultMessage).
    pub const API_ERROR: u8 = 4;
    /// No answer: connection, TLS or timeout error.
    pub const TRANSPORT: u8 = 5;
}

impl Action {
    pub fn parse(s: &str) -> Action {
        match s {
            "OK" => Action::Ok,
            "BAD_REQUEST" => Action::BadRequest,
            "INVALID_CLIENT" => Action::InvalidClient,
            "INTERNAL_SERVER_ERROR" => Action::InternalServerError,
            "PASSWORD" => Action::Password,
            "TOKEN_EXCHANGE" => Action::TokenExchange,
            "JWT_BEARER" => Action::JwtBearer,
            "NATIVE_SSO" => Action::NativeSso,
            "ID_TOKEN_REISSUABLE" => Action::IdTokenReissuable,
            other => Action::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Action::Ok => "OK",
            Action::BadRequest => "BAD_REQUEST",
            Action::InvalidClient => "INVALID_CLIENT",
            Action::InternalServerError => "INTERNAL_SERVER_ERROR",
            Action::Password => "PASSWORD",
            Action::TokenExchange => "TOKEN_EXCHANGE",
            Action::JwtBearer => "JWT_BEARER",
            Action::NativeSso => "NATIVE_SSO",
            Action::IdTokenReissuable => "ID_TOKEN_REISSUABLE",
            Action::Other(s) => s,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Action::Ok
            | Action::IdTokenReissuable
            | Action::Password
            | Action::TokenExchange
            | Action::JwtBearer
            | Action::NativeSso => exit::OK,
            _ => exit::ACTION_ERROR,
        }
    }
}

/// What the token endpoint must send its client for a response.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointAnswer {
    /// `None` when the endpoint decides after a follow-up call.
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    /// `responseContent` (masked), when the endpoint returns it as the body.
    pub body: Option<String>,
    /// What to do before answering.
    pub next: Option<String>,
}

/// What a token endpoint must answer for Authlete's response. `basic` is
/// whether the client authenticated with the Authorization header (then
/// INVALID_CLIENT is 401 with WWW-Authenticate, RFC 6749 §5.2).
pub fn endpoint_answer(resp: &Value, basic: bool, service_id: &str) -> EndpointAnswer {
    let action = Action::parse(resp["action"].as_str().unwrap_or(""));
    let content = resp["responseContent"].as_str().map(mask_response_content);
    let mut headers = answer_headers(resp);
    let api = Api { service_id };
    let (status, next) = match action {
        Action::Ok => (Some(200), None),
        Action::BadRequest => (Some(400), None),
        Action::InternalServerError => (Some(500), None),
        Action::InvalidClient if basic => {
            headers.push(("WWW-Authenticate".into(), "Basic realm=\"token\"".into()));
            (Some(401), None)
        }
        Action::InvalidClient => (Some(400), Some(next::INVALID_CLIENT_WITHOUT_BASIC.into())),
        Action::IdTokenReissuable => (Some(200), Some(next::id_token_reissuable(&api))),
        Action::Password => (None, Some(next::password(&api))),
        Action::TokenExchange => (None, Some(next::token_exchange(&api))),
        Action::JwtBearer => (None, Some(next::jwt_bearer(&api))),
        Action::NativeSso => (None, Some(next::native_sso(&api))),
        Action::Other(_) => (Some(500), Some(next::UNKNOWN_ACTION.into())),
    };
    let body = match action {
        // A bare 500 for an action nobody knows: its content could carry tokens.
        Action::TokenExchange
        | Action::JwtBearer
        | Action::NativeSso
        | Action::Password
        | Action::Other(_) => None,
        _ => content,
    };
    EndpointAnswer {
        status,
        headers,
        body,
        next,
    }
}

/// The headers of every token response, and the nonce and challenge
/// Authlete asks the endpoint to pass on.
fn answer_headers(resp: &Value) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("Cache-Control".to_owned(), "no-store".to_owned()),
        ("Pragma".to_owned(), "no-cache".to_owned()),
    ];
    if let Some(n) = resp["dpopNonce"].as_str() {
        headers.push(("DPoP-Nonce".into(), n.to_owned()));
    }
    if let Some(c) = resp["attestationChallenge"].as_str() {
        headers.push(("OAuth-Client-Attestation-Challenge".into(), c.to_owned()));
    }
    headers
}

/// The service's Authlete API, for naming the follow-up call.
struct Api<'a> {
    service_id: &'a str,
}

impl Api<'_> {
    fn call(&self, path: &str) -> String {
        format!("POST /api/{}{path}", self.service_id)
    }
}

/// What the token endpoint does before it answers, per action.
mod next {
    use super::Api;

    pub(super) const INVALID_CLIENT_WITHOUT_BASIC: &str = "400 (or 401): the client did not use \
        the Authorization header, so WWW-Authenticate is not required (RFC 6749 §5.2)";

    pub(super) const UNKNOWN_ACTION: &str = "an action tokenlint does not know: answer a bare \
        500, without responseContent (which could carry tokens), as authlete-java-jaxrs does \
        for an action it does not know (AuthleteApiCaller.unknownAction); then look the action \
        up in Authlete's TokenResponse documentation";

    /// How the endpoint builds the response when Authlete leaves it null.
    const BUILD_IT: &str = "and build the response (authlete-java-jaxrs by default answers 400 \
        unsupported_grant_type)";

    pub(super) fn id_token_reissuable(api: &Api) -> String {
        format!(
            "either answer as for OK (200, responseContent), or issue a new ID token with {} \
             and answer with its response",
            api.call("/idtoken/reissue")
        )
    }

    pub(super) fn password(api: &Api) -> String {
        format!(
            "check the resource owner's username and password (response fields `username`, \
             `password`); if valid, {} with the `ticket` and the user's `subject` and answer \
             with its response; if not, {} with reason INVALID_RESOURCE_OWNER_CREDENTIALS \
             (result A067301)",
            api.call("/auth/token/issue"),
            api.call("/auth/token/fail")
        )
    }

    pub(super) fn token_exchange(api: &Api) -> String {
        format!(
            "responseContent is null: validate the subject_token (and actor_token) yourself \
             (response fields subjectTokenInfo, actorTokenInfo), then issue the token, e.g. \
             with {}, {BUILD_IT}",
            api.call("/auth/token/create")
        )
    }

    pub(super) fn jwt_bearer(api: &Api) -> String {
        format!(
            "responseContent is null and Authlete did NOT verify the assertion's signature: \
             verify it against the issuer's keys, then issue the token, e.g. with {}, {BUILD_IT}",
            api.call("/auth/token/create")
        )
    }

    /// After authlete-java-common's TokenResponse Javadoc, "NATIVE_SSO".
    pub(super) fn native_sso(api: &Api) -> String {
        format!(
            "check that the `sessionId` is still a valid session (Authlete cannot; if not, \
             answer invalid_grant). With authorization_code or refresh_token: when \
             `deviceSecret` is present, check it and keep it; when it is absent or not valid, \
             generate a new device secret (not an error). With token exchange: verify the \
             binding between `deviceSecret` (the actor_token) and `deviceSecretHash` (the \
             subject_token ID token's ds_hash) by your own rule, and answer invalid_grant when \
             it fails. Then call {} with `accessToken` set to the response's `jwtAccessToken` \
             when it has one, otherwise to its `accessToken`, with the device secret, and \
             answer with its response (authlete-java-jaxrs by default answers 400 \
             invalid_grant)",
            api.call("/nativesso")
        )
    }
}

/// Response fields shown though they look sensitive, because the call after
/// this one needs them, and why.
const SHOWN_FIELDS: &[(&str, &str)] = &[
    (
        "ticket",
        "shown: /auth/token/issue (or /auth/token/fail) takes it next; it is usable only \
         with this service's API token, once, and briefly",
    ),
    (
        "sessionId",
        "shown: the session to check before /nativesso; it names a session, it does not \
         open one",
    ),
    (
        "deviceSecretHash",
        "shown: a hash, to check the device secret's binding before /nativesso",
    ),
];

/// Why each of [`SHOWN_FIELDS`] in the response is shown.
pub fn shown_fields(resp: &Value) -> Value {
    let shown: Map<String, Value> = SHOWN_FIELDS
        .iter()
        .filter(|(name, _)| resp.get(*name).is_some_and(|v| !v.is_null()))
        .map(|(name, why)| ((*name).to_owned(), Value::String((*why).to_owned())))
        .collect();
    Value::Object(shown)
}

/// The response's fields beyond its result and action, credentials masked,
/// for a person to read: each name and its value as text.
pub fn response_fields(resp: &Value) -> Vec<(String, String)> {
    const SHOWN_ELSEWHERE: &[&str] = &["resultCode", "resultMessage", "action", "responseContent"];
    let Value::Object(m) = mask_response(resp) else {
        return Vec::new();
    };
    m.into_iter()
        .filter(|(k, v)| !v.is_null() && !SHOWN_ELSEWHERE.contains(&k.as_str()))
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

/// The nonce to retry with, when Authlete's answer is the client's
/// `use_dpop_nonce` error with a fresh `dpopNonce` (RFC 9449 §8).
pub fn nonce_retry(resp: &Value) -> Option<String> {
    let nonce = resp["dpopNonce"].as_str()?;
    let content: Value = serde_json::from_str(resp["responseContent"].as_str()?).ok()?;
    (content["error"] == "use_dpop_nonce").then(|| nonce.to_owned())
}

/// Authlete's response with every credential masked: the members
/// [`crate::secrets`] classifies as secret (`accessToken`, `refreshToken`,
/// `idToken`, `deviceSecret`, …) except [`SHOWN_FIELDS`], and the tokens in
/// `responseContent`. With an action tokenlint does not know,
/// `responseContent` is masked whole: its shape, and so where a token sits
/// in it, is unknown.
pub fn mask_response(resp: &Value) -> Value {
    let Some(obj) = resp.as_object() else {
        return crate::secrets::mask_json(resp);
    };
    let unknown_action = resp["action"]
        .as_str()
        .is_some_and(|a| matches!(Action::parse(a), Action::Other(_)));
    let mut out = Map::new();
    for (k, v) in obj {
        let shown = SHOWN_FIELDS.iter().any(|(name, _)| name == k);
        let masked = match (k.as_str(), v.as_str()) {
            ("responseContent", Some(s)) if unknown_action => {
                Value::String(crate::source::redact(s))
            }
            ("responseContent", Some(s)) => Value::String(mask_response_content(s)),
            _ if shown => v.clone(),
            _ => crate::secrets::mask_member(k, v),
        };
        out.insert(k.clone(), masked);
    }
    Value::Object(out)
}

/// The client-facing token response with its tokens masked.
pub fn mask_response_content(content: &str) -> String {
    match serde_json::from_str::<Value>(content) {
        Ok(Value::Object(m)) => {
            let masked = crate::secrets::mask_json(&Value::Object(m));
            serde_json::to_string(&masked).unwrap_or_default()
        }
        // Not JSON: it cannot be inspected, so it is not shown.
        _ if content.contains("token") => crate::source::redact(content),
        _ => content.to_owned(),
    }
}

/// A result code found in a response, an error_description or any text:
/// the first `A` + 6 digits in brackets, else a `resultCode` member.
pub fn find_result_code(text: &str) -> Option<String> {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if let Some(c) = v["resultCode"]
            .as_str()
            .filter(|c| result_codes::is_code(c))
        {
            return Some(c.to_owned());
        }
    }
    let b = text.as_bytes();
    (0..b.len()).find_map(|i| {
        let w = b.get(i..i + 9)?;
        (w[0] == b'[' && w[1] == b'A' && w[8] == b']' && w[2..8].iter().all(u8::is_ascii_digit))
            .then(|| String::from_utf8_lossy(&w[1..8]).into_owned())
    })
}

/// The JSON form of an endpoint answer.
pub fn answer_json(a: &EndpointAnswer) -> Value {
    json!({
        "status": a.status,
        "headers": a
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect::<Map<_, _>>(),
        "body": a.body,
        "next": a.next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_by_name_and_index() {
        assert_eq!(
            base_url(Some("jp"), None).unwrap(),
            "https://jp.authlete.com"
        );
        assert_eq!(
            base_url(Some("3"), None).unwrap(),
            "https://br.authlete.com"
        );
        assert_eq!(base_url(None, None).unwrap(), "https://us.authlete.com");
        assert!(base_url(Some("xx"), None).is_err());
        assert_eq!(
            base_url(Some("jp"), Some("http://127.0.0.1:9/")).unwrap(),
            "http://127.0.0.1:9"
        );
        assert!(token_url("https://x", "12/../3").is_err());
        assert_eq!(
            base_url(None, Some("HTTPS://EU.authlete.com")).unwrap(),
            "HTTPS://EU.authlete.com"
        );
        assert!(base_url(None, Some("ftp://x")).is_err());
    }

    #[test]
    fn plain_http_is_insecure_off_loopback() {
        for ok in [
            "https://as.example.com",
            "http://127.0.0.1:8080/x",
            "http://127.1.2.3",
            "http://localhost:9",
            "http://LOCALHOST./",
            "http://[::1]:80",
            "http://[::ffff:127.0.0.1]",
        ] {
            assert_eq!(insecure_host(ok), None, "{ok}");
        }
        for bad in [
            "http://as.example.com",
            "HTTP://Example.COM",
            "http://10.0.0.1:8080",
            "http://localhost.evil.com",
            "http://evil.com\\@127.0.0.1/",
            "http://[::2]",
        ] {
            assert!(insecure_host(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn invalid_client_with_basic_is_401_with_challenge() {
        let r =
            json!({"action":"INVALID_CLIENT","responseContent":"{\"error\":\"invalid_client\"}"});
        let a = endpoint_answer(&r, true, "1");
        assert_eq!(a.status, Some(401));
        assert!(a.headers.iter().any(|(k, _)| k == "WWW-Authenticate"));
        assert_eq!(endpoint_answer(&r, false, "1").status, Some(400));
    }

    #[test]
    fn masks_tokens() {
        let token = "abcdefghijklmnopqrstuvwxyz";
        let content = json!({"access_token": token, "token_type": "DPoP"}).to_string();
        let r = json!({"action": "OK", "accessToken": token, "responseContent": content});
        let s = mask_response(&r).to_string();
        assert!(!s.contains(token), "{s}");
        assert!(s.contains("DPoP"));
    }

    #[test]
    fn finds_codes() {
        assert_eq!(
            find_result_code(
                r#"{"error":"invalid_grant","error_description":"[A050312] The token request…"}"#
            )
            .as_deref(),
            Some("A050312")
        );
        assert_eq!(
            find_result_code(r#"{"resultCode":"A001202","resultMessage":"x"}"#).as_deref(),
            Some("A001202")
        );
        assert_eq!(find_result_code("nothing"), None);
    }
}
