//! `grant/`: the grant type and what it requires, per the grant table
//! (`rules/grant/grants.toml`).
//!
//! One file per concern, named after its rules: `grant_type`, `parameters`,
//! `password`, `client_authentication`, `client_id`, `redirect_uri`, and
//! `assertion` (the JWT bearer grant's JWT). The
//! findings' prose is in `diags` (its name-keyed help tables in `advice`),
//! the near-miss suggestions in `names`.

mod advice;
mod assertion;
mod assertion_diags;
mod client_authentication;
mod client_id;
mod diags;
mod grant_type;
mod names;
mod parameters;
mod password;
mod redirect_uri;
pub mod table;

/// `params/empty-value` leaves an empty required parameter to these.
pub use grant_type::MISSING_GRANT_TYPE;
pub use parameters::MISSING_PARAMETER;

use crate::lint::{Context, Sink};

/// The `Grant` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Grant,
    rules: &[
        grant_type::RULES,
        parameters::RULES,
        password::RULES,
        client_authentication::RULES,
        redirect_uri::RULES,
        client_id::RULES,
        assertion::RULES,
    ],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    if cx.req.parameters.is_none() {
        return; // input/missing-parameters says so
    }
    let Some(gt) = cx.param("grant_type") else {
        grant_type::check_missing(cx, sink);
        return;
    };
    let Some(grant) = table::table().get(&gt.value) else {
        grant_type::check_unknown(cx, gt, sink);
        return;
    };
    parameters::check_missing(cx, gt, grant, sink);
    parameters::check_unpaired(cx, grant, sink);
    parameters::check_unknown(cx, grant, sink);
    password::check(cx, gt, grant, sink);
    client_authentication::check(cx, gt, grant, sink);
    client_id::check(cx, gt, grant, sink);
    redirect_uri::check(cx, grant, sink);
    assertion::check(cx, sink);
}

#[cfg(test)]
mod tests {
    use crate::lint::Settings;

    fn rules_for(body: serde_json::Value) -> Vec<&'static str> {
        crate::lint::rule_ids(
            &body.to_string(),
            &Settings::with_now(1_767_225_600),
            "grant/",
        )
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

    /// The lint of a request with these parameters and no other field.
    fn rules_for_params(params: &str) -> Vec<&'static str> {
        rules_for(serde_json::json!({ "parameters": params }))
    }

    #[test]
    fn client_policies() {
        let r = rules_for_params("grant_type=client_credentials&client_id=s6BhdRkqt3");
        assert_eq!(r, ["grant/client-authentication-required"]);
        let r = rules_for_params("grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA");
        assert_eq!(r, ["grant/client-id-missing"]);
        let r = rules_for_params(concat!(
            "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA",
            "&client_id=s6BhdRkqt3"
        ));
        assert!(r.is_empty());
    }

    #[test]
    fn parameters() {
        let r = rules_for_params(concat!(
            "grant_type=refresh_token&refreshToken=tGzv3JOkF0XG5Qx2TlKWIA",
            "&client_id=s6BhdRkqt3"
        ));
        assert_eq!(r, ["grant/missing-parameter"]);
        let r = rules_for_params(concat!(
            "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA",
            "&redirect_uri=%2Fcb&client_id=s6BhdRkqt3"
        ));
        assert_eq!(r, ["grant/redirect-uri-invalid"]);
        let r = rules_for_params(concat!(
            "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA",
            "&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb%23x&client_id=s6BhdRkqt3"
        ));
        assert_eq!(r, ["grant/redirect-uri-invalid"]);
    }

    /// The JWT bearer grant's assertion is read: an encrypted one is said
    /// to be unreadable, a SAML one is not a JWT, and one over the JWS size
    /// limit is an input/ finding and nothing else.
    #[test]
    fn jwt_bearer_assertions() {
        let jwt_bearer = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";
        let jwe = "eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn";
        let r = rules_for_params(&format!("grant_type={jwt_bearer}&assertion={jwe}"));
        assert_eq!(r, ["grant/assertion-unverified"]);
        let saml = "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer";
        let r = rules_for_params(&format!("grant_type={saml}&assertion=PHNhbWw-"));
        assert!(r.is_empty(), "{r:?}");
        let body = serde_json::json!({
            "parameters": format!("grant_type={jwt_bearer}&assertion={}", "A".repeat(20_000))
        });
        let mut settings = Settings::with_now(1_767_225_600);
        settings.limits.jws = 16_384;
        let all = crate::lint::rule_ids(&body.to_string(), &settings, "");
        assert_eq!(all, ["input/jws-too-large"]);
    }
}
