//! The fields of Authlete's token request body, as data: JSON name, flag name,
//! expected type, whether the value is a secret.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    String,
    StringArray,
    Bool,
    Integer,
    /// Any JSON; shape checked by rules.
    Json,
}

impl FieldKind {
    pub fn expected(self) -> &'static str {
        match self {
            FieldKind::String => "a string",
            FieldKind::StringArray => "an array of strings",
            FieldKind::Bool => "a boolean",
            FieldKind::Integer => "an integer",
            FieldKind::Json => "JSON",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// camelCase name in the JSON body.
    pub json: &'static str,
    /// `authlete token process` flag, without the leading `--`.
    pub flag: &'static str,
    pub kind: FieldKind,
    /// Masked in every output.
    pub secret: bool,
}

const fn f(json: &'static str, flag: &'static str, kind: FieldKind, secret: bool) -> Field {
    Field {
        json,
        flag,
        kind,
        secret,
    }
}

/// Every field of `TokenRequest` (authlete-java-common, 17 fields).
pub const FIELDS: &[Field] = &[
    f("parameters", "parameters", FieldKind::String, false),
    f("clientId", "client-id", FieldKind::String, false),
    f("clientSecret", "client-secret", FieldKind::String, true),
    f(
        "clientCertificate",
        "client-certificate",
        FieldKind::String,
        false,
    ),
    f(
        "clientCertificatePath",
        "client-certificate-path",
        FieldKind::StringArray,
        false,
    ),
    f("dpop", "dpop", FieldKind::String, false),
    f("htm", "htm", FieldKind::String, false),
    f("htu", "htu", FieldKind::String, false),
    f(
        "dpopNonceRequired",
        "dpop-nonce-required",
        FieldKind::Bool,
        false,
    ),
    f("accessToken", "access-token", FieldKind::String, true),
    f(
        "accessTokenDuration",
        "access-token-duration",
        FieldKind::Integer,
        false,
    ),
    f(
        "refreshTokenDuration",
        "refresh-token-duration",
        FieldKind::Integer,
        false,
    ),
    f("properties", "properties", FieldKind::Json, false),
    f("jwtAtClaims", "jwt-at-claims", FieldKind::String, false),
    f(
        "oauthClientAttestation",
        "oauth-client-attestation",
        FieldKind::String,
        false,
    ),
    f(
        "oauthClientAttestationPop",
        "oauth-client-attestation-pop",
        FieldKind::String,
        false,
    ),
    f("cimdOptions", "cimd-options", FieldKind::Json, false),
];

pub fn by_json_name(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.json == name)
}

/// The field a misspelt or differently-cased key most likely meant:
/// `client_id` → `clientId`, `ClientID` → `clientId`, `dpopNonce` → none.
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::text::suggest(name, FIELDS.iter().map(|f| f.json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("client_id"), Some("clientId"));
        assert_eq!(suggest("ClientSecret"), Some("clientSecret"));
        assert_eq!(suggest("parameter"), Some("parameters"));
        assert_eq!(suggest("dpop_nonce_required"), Some("dpopNonceRequired"));
        assert_eq!(suggest("somethingElse"), None);
    }

    #[test]
    fn seventeen_fields() {
        assert_eq!(FIELDS.len(), 17);
    }
}
