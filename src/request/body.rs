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
            } else if mask {
                mask_private_parts(&t.value)
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
                .map(|t| if mask {
                    mask_private_parts(&t.value)
                } else {
                    t.value.clone()
                })
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

/// A value with its private keys masked: the body of each PEM private-key
/// block, and the header of a JWS whose `jwk` carries private members.
pub fn mask_private_parts(value: &str) -> String {
    let mut out = value.to_owned();
    if value.contains("PRIVATE KEY") {
        let scan = crate::x509::scan(value);
        for item in scan.items.iter().rev() {
            let private = match item.label.as_deref() {
                Some(l) => l.contains("PRIVATE KEY"),
                None => value
                    .get(item.range.clone())
                    .is_some_and(|s| s.contains("PRIVATE KEY")),
            };
            if private && out.is_char_boundary(item.range.start) && item.range.end <= out.len() {
                out.replace_range(item.range.clone(), "(a private key, masked)");
            }
        }
        if scan.items.is_empty() {
            return "(a private key, masked)".into();
        }
        return out;
    }
    // A compact JWS: `header.payload.signature`.
    let Some((header, rest)) = value.split_once('.') else {
        return out;
    };
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    let private = decoded
        .as_ref()
        .and_then(|h| h.get("jwk"))
        .and_then(Value::as_object)
        .is_some_and(|jwk| {
            ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
                .iter()
                .any(|m| jwk.contains_key(*m))
        });
    if private {
        out = format!("(a JWS header holding a private key, masked).{rest}");
    }
    out
}
