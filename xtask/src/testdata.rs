//! Writes every fixture under `testdata/good`, `testdata/bad` and
//! `testdata/broken`, and the manifest `testdata/expected.txt`, from the
//! table in this file. Deterministic, offline, no Python:
//!
//! ```text
//! cargo xtask testdata                   # (re)write testdata/
//! cargo xtask testdata --check           # exit 1 if testdata/ is stale
//! cargo xtask testdata --corpus DIR [N]  # N parameter-only fixtures (bench)
//! ```
//!
//! To add a fixture, add a row to [`table`] and run the first command. The
//! manifest lists, for every fixture, the rule ids it must raise; the tests
//! in `tests/it/fixtures.rs` hold the linter to it. Every fixture is valid at
//! the pinned clock `now = 1767225600` (2026-01-01T00:00:00Z).
//!
//! It also writes the key sets under `testdata/jwks/` that `tokenlint.toml`
//! gives the fixtures that need one. Files in `testdata/` other than
//! `good/`, `bad/`, `broken/`, `jwks/` and the manifest (for example
//! `testdata/dpop/`) belong to other generators and are left alone.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Value};

mod bearer;
mod certs;
#[path = "../../bench/corpus.rs"]
mod corpus;
mod keys;
mod signed;

/// The clock every fixture is valid at: 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;

/// The folders this generator owns (every `*.json` in them comes from the table).
const OWNED: &[&str] = &["good", "bad", "broken", "jwks"];
/// The folders of fixtures (the manifest lists each of their files).
const FIXTURE_DIRS: &[&str] = &["good", "bad", "broken"];
const MANIFEST: &str = "expected.txt";

// ---------------------------------------------------------------------------
// Values used across fixtures (from the RFCs' own examples where they have one)

/// RFC 6749 §2.3.1 / §4.1.3 example client.
const CLIENT_ID: &str = "s6BhdRkqt3";
const CLIENT_SECRET: &str = "7Fjfp0ZBr1KtDRbnfVdmIw";
/// RFC 6749 §4.1.3 example code and redirect URI.
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";
const REDIRECT: &str = "https%3A%2F%2Fclient.example.org%2Fcb";
/// RFC 7636 Appendix B verifier (its S256 challenge is
/// E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM).
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// RFC 6749 §6 example refresh token.
const REFRESH: &str = "tGzv3JOkF0XG5Qx2TlKWIA";
const AS_ISSUER: &str = "https://as.example.com";
const TOKEN_ENDPOINT: &str = "https://as.example.com/token";
const JWT_BEARER_TYPE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer";

/// What a fixture file holds.
enum Body {
    /// A JSON document, pretty-printed with keys in the order written.
    Json(Value),
    /// Exact bytes (for inputs that are not valid JSON or not UTF-8).
    Raw(Vec<u8>),
}

struct Fixture {
    /// Relative to `testdata/`.
    path: String,
    /// One line: what the fixture is and why it is good or bad.
    about: String,
    /// Rule ids the linter must raise for it (for `good/`: the warnings and
    /// infos it raises by design; it must raise no error).
    expect: Vec<&'static str>,
    body: Body,
}

fn fx(path: &str, about: &str, expect: &[&'static str], body: Body) -> Fixture {
    Fixture {
        path: path.to_owned(),
        about: about.to_owned(),
        expect: expect.to_vec(),
        body,
    }
}

/// A request authenticated with client_secret_basic (Authlete's `clientId`
/// and `clientSecret` fields carry the Authorization header's credentials).
fn basic(parameters: &str) -> Value {
    json!({
        "parameters": parameters,
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
    })
}

/// A request with nothing but the form body.
fn only(parameters: &str) -> Value {
    json!({ "parameters": parameters })
}

/// `base` with more members appended (in order).
fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A compact JWS with the given header and claims and a fixed, fake 64-byte
/// ES256 signature (the shape is real; the signature verifies against no key).
fn jws(header: Value, claims: Value, seed: u8) -> String {
    let sig: Vec<u8> = (0..64u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(seed.wrapping_mul(101)))
        .collect();
    format!(
        "{}.{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes()),
        b64(&sig)
    )
}

/// A private_key_jwt client assertion (RFC 7523 §3) for `client_id`, valid
/// at [`NOW`].
fn client_assertion(client_id: &str, jti: &str) -> String {
    jws(
        json!({"alg": "ES256", "typ": "JWT", "kid": "client-key-2025"}),
        json!({
            "iss": client_id,
            "sub": client_id,
            "aud": AS_ISSUER,
            "jti": jti,
            "iat": NOW - 30,
            "exp": NOW + 270,
        }),
        1,
    )
}

/// Form-encodes a value (RFC 6749 Appendix B) for use inside `parameters`.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn auth_code(extra: &str) -> String {
    format!(
        "grant_type=authorization_code&code={CODE}&redirect_uri={REDIRECT}&code_verifier={VERIFIER}{extra}"
    )
}

const GT_DEVICE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code";
const GT_TOKEN_EXCHANGE: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange";
const GT_JWT_BEARER: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";
const GT_SAML2_BEARER: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer";
const GT_CIBA: &str = "urn%3Aopenid%3Aparams%3Agrant-type%3Aciba";
const GT_PRE_AUTH: &str = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code";
const TT_ACCESS_TOKEN: &str = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token";
const TT_JWT: &str = "urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt";

// ---------------------------------------------------------------------------
// The table

fn table() -> Vec<Fixture> {
    let mut t = Vec::new();
    good(&mut t);
    bad(&mut t);
    signed::bad(&mut t);
    keys::bad(&mut t);
    bearer::good(&mut t);
    bearer::bad(&mut t);
    certs::fixtures(&mut t);
    broken(&mut t);
    t
}

fn good(t: &mut Vec<Fixture>) {
    use Body::Json;
    t.push(fx(
        "good/authorization-code-pkce.json",
        "authorization code with the RFC 7636 App. B verifier, client_secret_basic, token properties",
        &[],
        Json(with(
            basic(&auth_code("")),
            json!({"properties": [
                {"key": "example_parameter", "value": "example_value", "hidden": false},
                {"key": "tenant", "value": "acme", "hidden": true},
            ]}),
        )),
    ));
    t.push(fx(
        "good/authorization-code-public-client.json",
        "a native app (public client): client_id in the body, PKCE, a private-use redirect URI and a resource indicator",
        &[],
        Json(only(&format!(
            "grant_type=authorization_code&code=Hcx9nF3-kPq2LrY7uT5wZg&redirect_uri=com.example.app%3A%2Foauth2redirect&code_verifier=M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag&client_id=mobile-app-7&resource={}",
            enc("https://api.example.com/")
        ))),
    ));
    t.push(fx(
        "good/refresh-token.json",
        "refresh token (RFC 6749 §6) narrowing the scope, with token durations",
        &[],
        Json(with(
            basic(&format!(
                "grant_type=refresh_token&refresh_token={REFRESH}&scope=openid+profile"
            )),
            json!({"accessTokenDuration": 3600, "refreshTokenDuration": 2_592_000}),
        )),
    ));
    t.push(fx(
        "good/client-credentials-basic.json",
        "client credentials with client_secret_basic, two resource indicators, jwtAtClaims and properties",
        &[],
        Json(with(
            basic(&format!(
                "grant_type=client_credentials&scope=api.read+api.write&resource={}&resource={}",
                enc("https://api.example.com/"),
                enc("https://reports.example.com/v1")
            )),
            json!({
                "accessTokenDuration": 600,
                "properties": [{"key": "tenant", "value": "acme", "hidden": false}],
                "jwtAtClaims": "{\"roles\":[\"reader\",\"auditor\"],\"tenant\":\"acme\"}",
            }),
        )),
    ));
    t.push(fx(
        "good/client-credentials-private-key-jwt.json",
        "client credentials with private_key_jwt (RFC 7523 §2.2) and client_id in the body",
        &[],
        Json(only(&format!(
            "grant_type=client_credentials&scope=api.read&client_id={CLIENT_ID}&client_assertion_type={JWT_BEARER_TYPE}&client_assertion={}",
            client_assertion(CLIENT_ID, "0f2c7a4e-9d1b-4c1e-8f5e-3b7d2a6c9e10")
        ))),
    ));
    let cimd_id = "https://client.example.net/oauth/metadata.json";
    t.push(fx(
        "good/client-credentials-cimd.json",
        "a CIMD client (client_id is its metadata URL) with private_key_jwt and cimdOptions",
        &[],
        Json(with(
            only(&format!(
                "grant_type=client_credentials&scope=api.read&client_id={}&client_assertion_type={JWT_BEARER_TYPE}&client_assertion={}",
                enc(cimd_id),
                client_assertion(cimd_id, "5b0d1c7e-2f3a-4e8b-9c6d-7a1e0f4b2d93")
            )),
            json!({"cimdOptions": {"alwaysRetrieved": true, "httpPermitted": false, "queryPermitted": false}}),
        )),
    ));
    t.push(fx(
        "good/client-credentials-post.json",
        "client credentials with client_secret_post: works, but RFC 6749 §2.3.1 does not recommend it (info)",
        &["client-auth/secret-in-body"],
        Json(only(&format!(
            "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}&scope=api.read"
        ))),
    ));
    t.push(fx(
        "good/device-code.json",
        "device authorization grant (RFC 8628 §3.4 example)",
        &[],
        Json(only(&format!(
            "grant_type={GT_DEVICE}&device_code=GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS&client_id=1406020730"
        ))),
    ));
    t.push(fx(
        "good/token-exchange.json",
        "token exchange (RFC 8693 §2.3 example) with client_secret_basic",
        &[],
        Json(basic(&format!(
            "grant_type={GT_TOKEN_EXCHANGE}&resource={}&subject_token=accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC&subject_token_type={TT_ACCESS_TOKEN}",
            enc("https://backend.example.com/api")
        ))),
    ));
    let actor = jws(
        json!({"alg": "ES256", "kid": "svc-key-1"}),
        json!({"iss": "https://service16.example.com", "sub": "service16", "aud": AS_ISSUER, "iat": NOW - 60, "exp": NOW + 600}),
        2,
    );
    t.push(fx(
        "good/token-exchange-delegation.json",
        "token exchange for delegation: actor_token with its type, and audience repeated (RFC 8693 §2.1 allows it)",
        &[],
        Json(basic(&format!(
            "grant_type={GT_TOKEN_EXCHANGE}&subject_token=accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC&subject_token_type={TT_ACCESS_TOKEN}&actor_token={actor}&actor_token_type={TT_JWT}&audience=urn%3Aexample%3Acooperation-context&audience=billing-service&requested_token_type={TT_ACCESS_TOKEN}"
        ))),
    ));
    let grant_assertion = jws(
        json!({"alg": "ES256", "kid": "16"}),
        json!({"iss": "https://jwt-idp.example.com", "sub": "mailto:mike@example.com", "aud": TOKEN_ENDPOINT, "nbf": NOW - 60, "iat": NOW - 60, "exp": NOW + 3600, "jti": "f0a8c6d2-jwt-grant"}),
        3,
    );
    t.push(fx(
        "good/jwt-bearer.json",
        "JWT bearer authorization grant (RFC 7523 §2.1) without client authentication",
        &[],
        Json(only(&format!(
            "grant_type={GT_JWT_BEARER}&assertion={grant_assertion}&scope=openid+profile"
        ))),
    ));
    let saml = b64(
        b"<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a75adf55-01d7-40cc-929f-dbd8372ebdfc\" IssueInstant=\"2025-12-31T23:59:00Z\" Version=\"2.0\"><saml:Issuer>https://saml-idp.example.com</saml:Issuer><saml:Subject><saml:NameID>brian@example.com</saml:NameID></saml:Subject></saml:Assertion>",
    );
    t.push(fx(
        "good/saml2-bearer.json",
        "SAML 2.0 bearer grant (RFC 7522 §2.1), assertion base64url-encoded, client_secret_basic",
        &[],
        Json(basic(&format!(
            "grant_type={GT_SAML2_BEARER}&assertion={saml}"
        ))),
    ));
    t.push(fx(
        "good/ciba.json",
        "CIBA poll-mode token request (OpenID CIBA Core §10.1) with client_secret_basic",
        &[],
        Json(basic(&format!(
            "grant_type={GT_CIBA}&auth_req_id=1c266114-a1be-4252-8ad1-04986c5b9ac1"
        ))),
    ));
    t.push(fx(
        "good/pre-authorized-code.json",
        "OpenID4VCI pre-authorized code grant with a transaction code",
        &[],
        Json(only(&format!(
            "grant_type={GT_PRE_AUTH}&pre-authorized_code=SplxlOBeZQQYbYS6WxSbIA&tx_code=493536"
        ))),
    ));
    t.push(fx(
        "good/password.json",
        "resource owner password credentials (RFC 6749 §4.3.2 example): valid, but RFC 9700 §2.4 says MUST NOT (warning)",
        &["grant/password-deprecated"],
        Json(basic("grant_type=password&username=johndoe&password=A3ddj3w")),
    ));
}

fn bad(t: &mut Vec<Fixture>) {
    use Body::{Json, Raw};
    let cc = "grant_type=client_credentials";

    // --- params/ ---------------------------------------------------------
    t.push(fx(
        "bad/params-bad-percent-encoding.json",
        "`%3r` is not an escape: `%` must be followed by two hex digits",
        &["params/bad-percent-encoding"],
        Json(basic(&format!("{cc}&scope=reports%3read"))),
    ));
    t.push(fx(
        "bad/params-unescaped-character.json",
        "a raw space in the form body (hand-written curl -d): must be `+` or %20",
        &["params/unescaped-character"],
        Json(basic(&format!("{cc}&scope=api.read api.write"))),
    ));
    t.push(fx(
        "bad/params-invalid-utf8.json",
        "`audience` percent-encoded from Latin-1 (%FC) instead of UTF-8 (%C3%BC)",
        &["params/invalid-utf8"],
        Json(basic(&format!(
            "grant_type={GT_TOKEN_EXCHANGE}&subject_token=accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC&subject_token_type={TT_ACCESS_TOKEN}&audience=j%FCrgen-service"
        ))),
    ));
    t.push(fx(
        "bad/params-duplicate.json",
        "`scope` sent twice (RFC 6749 §3.2: MUST NOT be included more than once)",
        &["params/duplicate"],
        Json(basic(&format!("{cc}&scope=api.read&scope=api.write"))),
    ));
    t.push(fx(
        "bad/params-empty-value.json",
        "`scope=` with no value counts as omitted (RFC 6749 §3.2)",
        &["params/empty-value"],
        Json(basic(&format!("{cc}&scope="))),
    ));
    t.push(fx(
        "bad/params-scope-syntax.json",
        "two spaces between scope tokens (RFC 6749 §3.3)",
        &["params/scope-syntax"],
        Json(basic(&format!("{cc}&scope=api.read%20%20api.write"))),
    ));
    t.push(fx(
        "bad/params-resource-invalid.json",
        "`resource` without a scheme (RFC 8707 §2: an absolute URI)",
        &["params/resource-invalid"],
        Json(basic(&format!("{cc}&resource=api.example.com"))),
    ));
    t.push(fx(
        "bad/params-resource-invalid-fragment.json",
        "`resource` with a fragment (RFC 8707 §2: MUST NOT)",
        &["params/resource-invalid"],
        Json(basic(&format!(
            "{cc}&resource={}",
            enc("https://api.example.com/#v2")
        ))),
    ));
    t.push(fx(
        "bad/params-resource-query.json",
        "`resource` with a query (RFC 8707 §2: SHOULD NOT)",
        &["params/resource-query"],
        Json(basic(&format!(
            "{cc}&resource={}",
            enc("https://api.example.com/?version=2")
        ))),
    ));
    t.push(fx(
        "bad/params-split-value-redirect-uri.json",
        "a redirect URI with a query sent unencoded: its `&` starts a new parameter, so the \
         redirect_uri the server compares is cut short (invalid_grant)",
        &["params/split-value"],
        Json(only(&format!(
            "grant_type=authorization_code&code={CODE}&redirect_uri=https://client.example.org/cb?tenant=acme&lang=en&code_verifier={VERIFIER}&client_id={CLIENT_ID}"
        ))),
    ));
    t.push(fx(
        "bad/params-split-value-client-secret.json",
        "a client secret with a raw `&`: the server checks the part before it (invalid_client)",
        &["params/split-value", "client-auth/secret-in-body"],
        Json(only(&format!(
            "{cc}&client_id={CLIENT_ID}&client_secret=7Fjfp0Z&Br1KtDRbnfVdmIw&scope=api.read"
        ))),
    ));
    t.push(fx(
        "bad/params-plus-as-space.json",
        "a refresh token with a raw `+`, which the server reads as a space",
        &["params/plus-as-space"],
        Json(basic(
            "grant_type=refresh_token&refresh_token=8xLOxBtZp8+yD3bsQ9rFLQ",
        )),
    ));

    // --- grant/ ----------------------------------------------------------
    t.push(fx(
        "bad/grant-missing-grant-type.json",
        "no grant_type at all",
        &["grant/missing-grant-type"],
        Json(basic("scope=api.read")),
    ));
    t.push(fx(
        "bad/grant-unknown-grant-type.json",
        "`client_credential` (typo): not a registered grant and not an absolute URI",
        &["grant/unknown-grant-type"],
        Json(basic("grant_type=client_credential&scope=api.read")),
    ));
    t.push(fx(
        "bad/grant-missing-parameter.json",
        "authorization_code without `code`",
        &["grant/missing-parameter"],
        Json(only(&format!(
            "grant_type=authorization_code&redirect_uri={REDIRECT}&code_verifier={VERIFIER}&client_id={CLIENT_ID}"
        ))),
    ));
    t.push(fx(
        "bad/grant-unpaired-parameter.json",
        "token exchange with `actor_token` but no `actor_token_type` (RFC 8693 §2.1)",
        &["grant/unpaired-parameter"],
        Json(basic(&format!(
            "grant_type={GT_TOKEN_EXCHANGE}&subject_token=accVkjcJyb4BWCxGsndESCJQbdFMogUC5PbRDqceLTC&subject_token_type={TT_ACCESS_TOKEN}&actor_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhY3RvciJ9."
        ))),
    ));
    t.push(fx(
        "bad/grant-unknown-parameter.json",
        "a refresh request carrying the authorization code's `redirect_uri` (copy-paste)",
        &["grant/unknown-parameter"],
        Json(basic(&format!(
            "grant_type=refresh_token&refresh_token={REFRESH}&redirect_uri={REDIRECT}"
        ))),
    ));
    t.push(fx(
        "bad/grant-password-deprecated.json",
        "the password grant (RFC 9700 §2.4: MUST NOT be used)",
        &["grant/password-deprecated"],
        Json(basic(
            "grant_type=password&username=johndoe&password=A3ddj3w&scope=openid",
        )),
    ));
    t.push(fx(
        "bad/grant-client-authentication-required.json",
        "client credentials from a client that only names itself (RFC 6749 §4.4.2: MUST authenticate)",
        &["grant/client-authentication-required"],
        Json(only(&format!(
            "{cc}&client_id={CLIENT_ID}&scope=api.read"
        ))),
    ));
    t.push(fx(
        "bad/grant-redirect-uri-invalid.json",
        "a relative `redirect_uri` (RFC 6749 §3.1.2: an absolute URI)",
        &["grant/redirect-uri-invalid"],
        Json(only(&format!(
            "grant_type=authorization_code&code={CODE}&redirect_uri=%2Fcallback&code_verifier={VERIFIER}&client_id={CLIENT_ID}"
        ))),
    ));
    t.push(fx(
        "bad/grant-client-id-missing.json",
        "authorization code from a client that neither authenticates nor sends client_id (RFC 6749 §4.1.3)",
        &["grant/client-id-missing"],
        Json(only(&auth_code(""))),
    ));

    // --- client-auth/ ----------------------------------------------------
    t.push(fx(
        "bad/client-auth-client-id-mismatch.json",
        "the Basic header names one client, the body's client_id another",
        &["client-auth/client-id-mismatch"],
        Json(basic(&auth_code("&client_id=web-portal"))),
    ));
    t.push(fx(
        "bad/client-auth-multiple-methods.json",
        "client_secret_basic and client_secret_post in the same request, an old secret left \
         in the body (RFC 6749 §2.3; Authlete refuses credentials that differ)",
        &["client-auth/multiple-methods"],
        Json(basic(&format!(
            "{cc}&client_id={CLIENT_ID}&client_secret=rotated-0ld-s3cret&scope=api.read"
        ))),
    ));
    t.push(fx(
        "bad/client-auth-secret-without-client-id.json",
        "client_secret in the body with no client_id anywhere",
        &["client-auth/secret-without-client-id"],
        Json(only(&format!(
            "{cc}&client_secret={CLIENT_SECRET}&scope=api.read"
        ))),
    ));
    t.push(fx(
        "bad/client-auth-basic-secret-without-client-id.json",
        "`clientSecret` without `clientId`: a Basic header cannot carry one without the other",
        &["client-auth/secret-without-client-id"],
        Json(json!({
            "parameters": format!("{cc}&scope=api.read"),
            "clientSecret": CLIENT_SECRET,
        })),
    ));
    t.push(fx(
        "bad/client-auth-secret-in-body.json",
        "client_secret_post (info: RFC 6749 §2.3.1 does not recommend it)",
        &["client-auth/secret-in-body"],
        Json(only(&auth_code(&format!(
            "&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        )))),
    ));
    let assertion = client_assertion(CLIENT_ID, "a1b2c3d4-0000-4000-8000-000000000001");
    t.push(fx(
        "bad/client-auth-assertion-type-missing.json",
        "client_assertion without client_assertion_type (RFC 7521 §4.2)",
        &["client-auth/assertion-type-missing"],
        Json(only(&format!(
            "{cc}&client_id={CLIENT_ID}&client_assertion={assertion}"
        ))),
    ));
    t.push(fx(
        "bad/client-auth-assertion-type-invalid.json",
        "client_assertion_type set to the jwt-bearer *grant* URN instead of the client-assertion-type URN",
        &["client-auth/assertion-type-invalid"],
        Json(only(&format!(
            "{cc}&client_id={CLIENT_ID}&client_assertion_type={GT_JWT_BEARER}&client_assertion={assertion}"
        ))),
    ));
    t.push(fx(
        "bad/client-auth-assertion-missing.json",
        "client_assertion_type with no client_assertion",
        &["client-auth/assertion-missing"],
        Json(only(&auth_code(&format!(
            "&client_id={CLIENT_ID}&client_assertion_type={JWT_BEARER_TYPE}"
        )))),
    ));
    let two_parts = assertion
        .rsplit_once('.')
        .map_or(assertion.as_str(), |(a, _)| a);
    t.push(fx(
        "bad/client-auth-assertion-malformed.json",
        "client_assertion with its signature part cut off (two parts, not a compact JWS)",
        &["client-auth/assertion-malformed"],
        Json(only(&format!(
            "{cc}&client_id={CLIENT_ID}&client_assertion_type={JWT_BEARER_TYPE}&client_assertion={two_parts}"
        ))),
    ));

    // --- options/ --------------------------------------------------------
    let cc_basic = || basic(&format!("{cc}&scope=api.read"));
    t.push(fx(
        "bad/options-duration-not-positive.json",
        "accessTokenDuration 0 and refreshTokenDuration -3600: Authlete ignores them",
        &["options/duration-not-positive"],
        Json(with(
            cc_basic(),
            json!({"accessTokenDuration": 0, "refreshTokenDuration": -3600}),
        )),
    ));
    t.push(fx(
        "bad/options-properties-shape.json",
        "properties as a JSON string (the old OpenAPI schema's bug), not an array",
        &["options/properties-shape"],
        Json(with(
            cc_basic(),
            json!({"properties": "[{\"key\":\"tenant\",\"value\":\"acme\",\"hidden\":false}]"}),
        )),
    ));
    t.push(fx(
        "bad/options-properties-shape-member.json",
        "a property whose value is a number and hidden a string, and one without a key",
        &["options/properties-shape"],
        Json(with(
            cc_basic(),
            json!({"properties": [
                {"key": "tenant_id", "value": 42, "hidden": "yes"},
                {"value": "orphan"},
            ]}),
        )),
    ));
    t.push(fx(
        "bad/options-properties-reserved-key.json",
        "a property named `scope`, a key Authlete reserves (and ignores)",
        &["options/properties-reserved-key"],
        Json(with(
            cc_basic(),
            json!({"properties": [{"key": "scope", "value": "admin", "hidden": false}]}),
        )),
    ));
    t.push(fx(
        "bad/options-properties-too-large.json",
        "70,000 bytes of properties: over Authlete's 65,535-byte limit once encrypted",
        &["options/properties-too-large"],
        Json(with(
            cc_basic(),
            json!({"properties": [{"key": "profile", "value": "x".repeat(70_000), "hidden": true}]}),
        )),
    ));
    t.push(fx(
        "bad/options-properties-ignored.json",
        "properties on a password-grant request, where Authlete ignores them",
        &["options/properties-ignored", "grant/password-deprecated"],
        Json(with(
            basic("grant_type=password&username=johndoe&password=A3ddj3w"),
            json!({"properties": [{"key": "tenant", "value": "acme", "hidden": false}]}),
        )),
    ));
    t.push(fx(
        "bad/options-jwt-at-claims-invalid.json",
        "jwtAtClaims written as a JavaScript object literal, not JSON",
        &["options/jwt-at-claims-invalid"],
        Json(with(
            cc_basic(),
            json!({"jwtAtClaims": "{roles: ['reader']}"}),
        )),
    ));
    t.push(fx(
        "bad/options-jwt-at-claims-not-object.json",
        "jwtAtClaims holding a JSON array, not an object",
        &["options/jwt-at-claims-invalid"],
        Json(with(cc_basic(), json!({"jwtAtClaims": "[\"reader\"]"}))),
    ));
    t.push(fx(
        "bad/options-jwt-at-claims-ignored.json",
        "jwtAtClaims on an authorization-code request: it only takes effect for client_credentials",
        &["options/jwt-at-claims-ignored"],
        Json(with(
            basic(&auth_code("")),
            json!({"jwtAtClaims": "{\"roles\":[\"reader\"]}"}),
        )),
    ));
    t.push(fx(
        "bad/options-cimd-options-shape.json",
        "cimdOptions with a string where a boolean belongs, and a misspelt member",
        &["options/cimd-options-shape"],
        Json(with(
            cc_basic(),
            json!({"cimdOptions": {"alwaysRetrieved": "true", "httpPermited": true}}),
        )),
    ));

    // --- pkce/ -----------------------------------------------------------
    let ac_public = |verifier: &str| {
        only(&format!(
            "grant_type=authorization_code&code={CODE}&redirect_uri={REDIRECT}&code_verifier={verifier}&client_id={CLIENT_ID}"
        ))
    };
    t.push(fx(
        "bad/pkce-verifier-length.json",
        "a 22-character code_verifier (RFC 7636 §4.1: 43 to 128)",
        &["pkce/verifier-length"],
        Json(ac_public("Zk3mQ9vT2xLp8RwY4nHs1c")),
    ));
    t.push(fx(
        "bad/pkce-verifier-charset.json",
        "the App. B verifier with base64 `=` padding added (%3D)",
        &["pkce/verifier-charset"],
        Json(ac_public(&format!("{VERIFIER}%3D"))),
    ));
    t.push(fx(
        "bad/pkce-verifier-low-entropy.json",
        "a 48-character verifier made of 8 repeating digits",
        &["pkce/verifier-low-entropy"],
        Json(ac_public(&"01234567".repeat(6))),
    ));
    t.push(fx(
        "bad/pkce-verifier-unexpected.json",
        "code_verifier sent with a refresh_token request",
        &["pkce/verifier-unexpected"],
        Json(basic(&format!(
            "grant_type=refresh_token&refresh_token={REFRESH}&code_verifier={VERIFIER}"
        ))),
    ));

    // --- input/ (readable, but not what Authlete takes) ----------------------
    t.push(fx(
        "bad/input-unknown-field.json",
        "`client_id` as a top-level field (the body field is `clientId`)",
        &["input/unknown-field"],
        Json(json!({
            "parameters": auth_code(&format!("&client_id={CLIENT_ID}")),
            "client_id": CLIENT_ID,
        })),
    ));
    t.push(fx(
        "bad/input-duplicate-field.json",
        "`clientSecret` twice in the body; JSON parsers disagree on which wins",
        &["input/duplicate-field"],
        Raw(format!(
            "{{\n  \"parameters\": \"grant_type=client_credentials&scope=api.read\",\n  \"clientId\": \"{CLIENT_ID}\",\n  \"clientSecret\": \"{CLIENT_SECRET}\",\n  \"clientSecret\": \"{CLIENT_SECRET}\"\n}}\n"
        )
        .into_bytes()),
    ));
    t.push(fx(
        "bad/input-wrong-type.json",
        "accessTokenDuration as a string",
        &["input/wrong-type"],
        Json(with(cc_basic(), json!({"accessTokenDuration": "3600"}))),
    ));
    t.push(fx(
        "bad/input-null-parameters.json",
        "`parameters` is null: Authlete's JSON binding reads it as absent, so nothing is checked",
        &["input/wrong-type"],
        Json(json!({"parameters": null, "clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET})),
    ));
    t.push(fx(
        "bad/input-null-field.json",
        "`dpop` is null: Authlete reads it as absent, so the token is not DPoP-bound",
        &["input/wrong-type"],
        Json(with(cc_basic(), json!({"dpop": null}))),
    ));
    t.push(fx(
        "bad/input-missing-parameters.json",
        "client credentials but no `parameters` (the one field Authlete requires)",
        &["input/missing-parameters"],
        Json(json!({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET})),
    ));

    // --- several problems at once, as they happen ----------------------------
    t.push(fx(
        "bad/multi-postman-plus.json",
        "Postman-style body: raw `+` in a base64 client secret and a standard-base64 verifier",
        &[
            "params/plus-as-space",
            "pkce/verifier-charset",
            "client-auth/secret-in-body",
        ],
        Json(only(&format!(
            "grant_type=authorization_code&code={CODE}&redirect_uri={REDIRECT}&code_verifier=dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk&client_id={CLIENT_ID}&client_secret=gX1fBat3bV+k9sQ2L0/yZ8="
        ))),
    ));
    t.push(fx(
        "bad/multi-duplicate-grant-type.json",
        "grant_type both in a preset body and added by hand",
        &["params/duplicate"],
        Json(basic(&format!(
            "{cc}&scope=api.read&grant_type=client_credentials"
        ))),
    ));
    t.push(fx(
        "bad/multi-client-id-mismatch.json",
        "Basic header for one client, a differently-cased client_id and a body secret",
        &[
            "client-auth/client-id-mismatch",
            "client-auth/multiple-methods",
        ],
        Json(basic(&format!(
            "{cc}&client_id=S6BHDRKQT3&client_secret={CLIENT_SECRET}&scope=api.read"
        ))),
    ));
}

fn broken(t: &mut Vec<Fixture>) {
    use Body::{Json, Raw};
    let raw = |s: &str| Raw(s.as_bytes().to_vec());
    let cc = "grant_type=client_credentials&scope=api.read";
    t.push(fx(
        "broken/invalid-json.json",
        "an unquoted string value",
        &["input/invalid-json"],
        raw(&format!(
            "{{\"parameters\": \"{cc}\", \"clientId\": {CLIENT_ID}}}\n"
        )),
    ));
    t.push(fx(
        "broken/trailing-comma.json",
        "a trailing comma (RFC 8259 has none)",
        &["input/invalid-json"],
        raw(&format!("{{\n  \"parameters\": \"{cc}\",\n}}\n")),
    ));
    t.push(fx(
        "broken/comments.json",
        "JSON with comments (JSONC), as an editor might save it",
        &["input/invalid-json"],
        raw(&format!(
            "{{\n  // the token request\n  \"parameters\": \"{cc}\"\n}}\n"
        )),
    ));
    t.push(fx(
        "broken/single-quotes.json",
        "a Python dict repr, not JSON",
        &["input/invalid-json"],
        raw(&format!("{{'parameters': '{cc}'}}\n")),
    ));
    t.push(fx(
        "broken/truncated.json",
        "a file cut off in the middle of a string",
        &["input/invalid-json"],
        raw("{\"parameters\": \"grant_type=authorization_code&code=Spl"),
    ));
    t.push(fx(
        "broken/form-body.json",
        "the bare form body saved as .json",
        &["input/invalid-json"],
        raw(&format!("{cc}\n")),
    ));
    t.push(fx(
        "broken/empty.json",
        "an empty file",
        &["input/invalid-json"],
        Raw(Vec::new()),
    ));
    t.push(fx(
        "broken/whitespace-only.json",
        "only whitespace",
        &["input/invalid-json"],
        raw("\n  \t\n"),
    ));
    t.push(fx(
        "broken/not-an-object.json",
        "a JSON array holding the form body",
        &["input/not-an-object"],
        Json(json!([cc])),
    ));
    t.push(fx(
        "broken/null.json",
        "the JSON literal null",
        &["input/not-an-object"],
        raw("null\n"),
    ));
    t.push(fx(
        "broken/parameters-not-string.json",
        "`parameters` as a JSON object instead of the form-encoded string",
        &["input/wrong-type"],
        Json(json!({"parameters": {"grant_type": "client_credentials", "scope": "api.read"}})),
    ));
    let mut latin1 = b"{\"parameters\": \"grant_type=password&username=j".to_vec();
    latin1.push(0xFC); // ü in Latin-1
    latin1.extend_from_slice(b"rgen&password=A3ddj3w\", \"clientId\": \"s6BhdRkqt3\", \"clientSecret\": \"7Fjfp0ZBr1KtDRbnfVdmIw\"}\n");
    t.push(fx(
        "broken/latin1.json",
        "a file saved as Latin-1: the byte 0xFC (ü) is not UTF-8",
        &["input/invalid-utf8"],
        Raw(latin1),
    ));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("{{\"parameters\": \"{cc}\"}}")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    t.push(fx(
        "broken/utf16.json",
        "a file saved as UTF-16LE with a byte order mark (Windows PowerShell's default)",
        &["input/invalid-utf8", "input/invalid-json"],
        Raw(utf16),
    ));
    t.push(fx(
        "broken/nul-byte.json",
        "a raw NUL byte inside a string (control characters must be escaped)",
        &["input/invalid-json"],
        Raw(format!("{{\"parameters\": \"{cc}\u{0}\"}}\n").into_bytes()),
    ));
    t.push(fx(
        "broken/lone-surrogate.json",
        "a \\ud800 escape with no low surrogate after it",
        &["input/invalid-json"],
        raw("{\"parameters\": \"grant_type=client_credentials&scope=\\ud800\"}\n"),
    ));
    let depth = 100_000;
    t.push(fx(
        "broken/deeply-nested.json",
        "100,000 nested arrays in `properties` (a stack-exhaustion probe)",
        &["input/invalid-json"],
        Raw(format!(
            "{{\"parameters\": \"{cc}\", \"properties\": {}{}}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        )
        .into_bytes()),
    ));
    t.push(fx(
        "broken/deeply-nested-unclosed.json",
        "100,000 unclosed `[` at the top level",
        &["input/invalid-json"],
        Raw("[".repeat(depth).into_bytes()),
    ));
    // 2 MB of parameters: the same pair repeated, which also exercises the
    // duplicate detector and the reports with many labels.
    // Just under the 1 MiB field limit (`limits.field`), so it is still parsed.
    let mut huge = format!("grant_type=client_credentials&client_id={CLIENT_ID}");
    while huge.len() < 1000 * 1024 {
        huge.push_str("&scope=api.read");
    }
    t.push(fx(
        "broken/huge-parameters.json",
        "a 1000 KiB `parameters` field (the same scope repeated ~68,000 times)",
        &["params/duplicate"],
        Json(with(
            only(&huge),
            json!({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}),
        )),
    ));
    // Over the field limit: reported, not parsed.
    while huge.len() < 2 * 1024 * 1024 {
        huge.push_str("&scope=api.read");
    }
    t.push(fx(
        "broken/oversized-parameters.json",
        "a 2 MiB `parameters` field, over the 1 MiB field limit",
        &["input/field-too-large"],
        Json(with(
            only(&huge),
            json!({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}),
        )),
    ));
}

// ---------------------------------------------------------------------------
// Writing

fn bytes_of(body: &Body) -> Vec<u8> {
    match body {
        Body::Raw(b) => b.clone(),
        Body::Json(v) => {
            let mut s = serde_json::to_string_pretty(v).expect("a JSON value serializes");
            s.push('\n');
            s.into_bytes()
        }
    }
}

fn manifest(table: &[Fixture]) -> String {
    let mut s = String::from(
        "# Generated by `cargo xtask testdata` (xtask/src/testdata.rs); do not edit.\n\
         # Every fixture under good/, bad/ and broken/, the rule ids it must raise (`-` for none),\n\
         # and what it is. good/ fixtures raise no error; the rules listed for them are the\n\
         # warnings and infos they raise by design. All are valid at now=1767225600\n\
         # (2026-01-01T00:00:00Z).\n",
    );
    let width = table.iter().map(|f| f.path.len()).max().unwrap_or(0);
    for f in table {
        let rules = if f.expect.is_empty() {
            "-".to_owned()
        } else {
            f.expect.join(",")
        };
        let _ = writeln!(s, "{:<width$}  {rules}  # {}", f.path, f.about);
    }
    s
}

/// Every file this generator writes: path relative to `testdata/`, bytes.
fn outputs() -> Vec<(String, Vec<u8>)> {
    let mut table = table();
    table.sort_by(|a, b| a.path.cmp(&b.path));
    let mut seen = BTreeSet::new();
    for f in &table {
        assert!(
            seen.insert(f.path.clone()),
            "{} is in the table twice",
            f.path
        );
        assert!(
            FIXTURE_DIRS
                .iter()
                .any(|d| f.path.starts_with(&format!("{d}/"))),
            "{} is outside good/, bad/, broken/",
            f.path
        );
        if f.path.starts_with("bad/") || f.path.starts_with("broken/") {
            assert!(!f.expect.is_empty(), "{} expects no rule", f.path);
        }
    }
    let mut out: Vec<(String, Vec<u8>)> = table
        .iter()
        .map(|f| (f.path.clone(), bytes_of(&f.body)))
        .collect();
    out.push((MANIFEST.to_owned(), manifest(&table).into_bytes()));
    for (path, jwks) in keys::key_sets().into_iter().chain(bearer::key_sets()) {
        out.push((path, bytes_of(&Body::Json(jwks))));
    }
    out
}

/// `*.json` files in the owned folders that the table does not produce.
fn stale(root: &Path, outputs: &[(String, Vec<u8>)]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in OWNED {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let rel = format!("{dir}/{}", e.file_name().to_string_lossy());
            if rel.ends_with(".json") && !outputs.iter().any(|(p, _)| *p == rel) {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn write_corpus(dir: &Path, n: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for i in 0..n {
        std::fs::write(dir.join(corpus::file_name(i)), corpus::fixture(i))?;
    }
    Ok(())
}

/// What `cargo xtask testdata` does.
pub enum Mode {
    /// (Re)write the fixtures and the manifest, removing files not in the table.
    Write,
    /// Exit 1 if a file differs from the table, is missing, or is not in it.
    Check,
    /// Write `n` parameter-only fixtures to `dir` (the bench corpus).
    Corpus { dir: PathBuf, n: Option<usize> },
}

pub fn run(mode: Mode) {
    let root = crate::root().join("testdata");
    match mode {
        Mode::Corpus { dir, n } => {
            let n = n.unwrap_or(corpus::COUNT);
            if let Err(e) = write_corpus(&dir, n) {
                eprintln!("xtask testdata: {}: {e}", dir.display());
                std::process::exit(1);
            }
            println!("wrote {n} parameter-only fixtures to {}", dir.display());
        }
        Mode::Check => check(&root),
        Mode::Write => write(&root),
    }
}

fn check(root: &Path) {
    let outputs = outputs();
    let mut problems: Vec<String> = Vec::new();
    for (rel, bytes) in &outputs {
        match std::fs::read(root.join(rel)) {
            Ok(b) if b == *bytes => {}
            Ok(_) => problems.push(format!("{rel} differs")),
            Err(_) => problems.push(format!("{rel} is missing")),
        }
    }
    for p in stale(root, &outputs) {
        problems.push(format!("{} is not in the table", p.display()));
    }
    if problems.is_empty() {
        println!("testdata/ is up to date ({} files)", outputs.len());
    } else {
        eprintln!(
            "testdata/ is stale; run `cargo xtask testdata`:\n  {}",
            problems.join("\n  ")
        );
        std::process::exit(1);
    }
}

fn write(root: &Path) {
    let outputs = outputs();
    for p in stale(root, &outputs) {
        if let Err(e) = std::fs::remove_file(&p) {
            eprintln!("xtask testdata: cannot remove {}: {e}", p.display());
            std::process::exit(1);
        }
        println!("removed {}", p.display());
    }
    for (rel, bytes) in &outputs {
        let path = root.join(rel);
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes));
        if let Err(e) = result {
            eprintln!("xtask testdata: {}: {e}", path.display());
            std::process::exit(1);
        }
    }
    println!("wrote {} files under {}", outputs.len(), root.display());
}
