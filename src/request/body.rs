//! The request as the JSON body Authlete's `/auth/token` takes: camelCase
//! keys, absent fields omitted, `properties` as an array.

use serde_json::{json, Map, Value};

use super::TokenRequest;
use crate::source::redact;

/// The body; with `mask`, secret values are replaced by a redacted form.
pub fn to_json(req: &TokenRequest, mask: bool) -> Value {
    let mut m = Map::new();
    let mut put_str = |key: &str, v: &Option<crate::span::Text>, secret: bool| {
        if let Some(t) = v {
            let s = if secret && mask {
                redact(&t.value)
            } else {
                t.value.clone()
            };
            m.insert(key.to_owned(), Value::String(s));
        }
    };
    let params_masked = req.parameters.as_ref().map(|p| {
        if mask {
            mask_params(&p.value)
        } else {
            p.value.clone()
        }
    });
    if let Some(p) = params_masked {
        put_str(
            "parameters",
            &Some(crate::span::Text::verbatim(p, 0)),
            false,
        );
    }
    put_str("clientId", &req.client_id, false);
    put_str("clientSecret", &req.client_secret, true);
    put_str("clientCertificate", &req.client_certificate, false);
    put_str("dpop", &req.dpop, false);
    put_str("htm", &req.htm, false);
    put_str("htu", &req.htu, false);
    put_str("accessToken", &req.access_token, true);
    put_str("jwtAtClaims", &req.jwt_at_claims, false);
    put_str(
        "oauthClientAttestation",
        &req.oauth_client_attestation,
        false,
    );
    put_str(
        "oauthClientAttestationPop",
        &req.oauth_client_attestation_pop,
        false,
    );
    if !req.client_certificate_path.is_empty() {
        m.insert(
            "clientCertificatePath".into(),
            json!(req
                .client_certificate_path
                .iter()
                .map(|t| t.value.clone())
                .collect::<Vec<_>>()),
        );
    }
    if let Some(b) = req.dpop_nonce_required {
        m.insert("dpopNonceRequired".into(), json!(b.value));
    }
    if let Some(n) = req.access_token_duration {
        m.insert("accessTokenDuration".into(), json!(n.value));
    }
    if let Some(n) = req.refresh_token_duration {
        m.insert("refreshTokenDuration".into(), json!(n.value));
    }
    if let Some(p) = &req.properties {
        m.insert("properties".into(), p.to_json());
    }
    if let Some(c) = &req.cimd_options {
        m.insert("cimdOptions".into(), c.to_json());
    }
    Value::Object(m)
}

/// The form body with the values of secret parameters masked.
pub fn mask_params(encoded: &str) -> String {
    let form = crate::form::decode(encoded);
    let mut out = encoded.to_owned();
    // Replace from the end so earlier ranges stay valid.
    for p in form.pairs.iter().rev() {
        if crate::lint::SECRET_PARAMS.contains(&p.name.as_str()) && !p.value_raw.is_empty() {
            out.replace_range(p.value_raw.clone(), "****");
        }
    }
    out
}
