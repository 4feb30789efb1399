//! The fields of Authlete's token request body, as data: one row per field
//! gives its JSON name, its `token process` flag, its JSON kind, the size
//! limit it is held to and where it lives in [`TokenRequest`] and
//! [`FlagInput`]. The loaders, the body serializer and the size-limit check
//! are loops over [`FIELDS`]; whether a field is secret is asked of
//! [`crate::secrets`].

use super::flags::FlagInput;
use super::{Spanned, TokenRequest};
use crate::json;
use crate::span::Text;

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

/// The size limit (`[limits]` in `tokenlint.toml`) a field's value is held
/// to before any rule parses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    /// A number or a boolean: nothing to bound.
    None,
    /// `limits.field`.
    Field,
    /// `limits.field`, then `limits.jws`: the value is a compact JWS that
    /// rules decode and verify.
    Jws,
    /// `limits.pem` for all the certificates together (they are parsed as
    /// one bundle), and `limits.field` for a single value.
    Pem,
}

/// Read and write access to one member of [`TokenRequest`].
#[derive(Debug)]
pub struct Slot<T: 'static> {
    pub get: fn(&TokenRequest) -> &T,
    pub get_mut: fn(&mut TokenRequest) -> &mut T,
}

// Not derived: a derive would ask `T: Copy`, and only the pointers are copied.
impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Slot<T> {}

/// A field's member of [`TokenRequest`], by its type.
#[derive(Clone, Copy, Debug)]
pub enum Access {
    Text(Slot<Option<Text>>),
    Texts(Slot<Vec<Text>>),
    Bool(Slot<Option<Spanned<bool>>>),
    Integer(Slot<Option<Spanned<i64>>>),
    Json(Slot<Option<json::Lazy>>),
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// camelCase name in the JSON body.
    pub json: &'static str,
    /// `authlete token process` flag, without the leading `--`.
    pub flag: &'static str,
    /// The HTTP header that carries the field in a captured request.
    pub header: Option<&'static str>,
    pub limit: LimitKind,
    pub access: Access,
    /// The values given for the field's flag, as the flag text shows them.
    pub given: fn(&FlagInput) -> Vec<String>,
}

impl Field {
    pub fn kind(&self) -> FieldKind {
        match self.access {
            Access::Text(_) => FieldKind::String,
            Access::Texts(_) => FieldKind::StringArray,
            Access::Bool(_) => FieldKind::Bool,
            Access::Integer(_) => FieldKind::Integer,
            Access::Json(_) => FieldKind::Json,
        }
    }

    /// The JSON type Authlete's `TokenRequest` binds the field to, in words
    /// ("a string", "an array of {key, value, hidden} objects").
    pub fn expected(&self) -> &'static str {
        match (self.access, self.json) {
            (Access::Json(_), "properties") => "an array of {key, value, hidden} objects",
            (Access::Json(_), "cimdOptions") => "an object of booleans",
            _ => self.kind().expected(),
        }
    }

    /// Masked in every output.
    pub fn is_secret(&self) -> bool {
        crate::secrets::is_secret_field(self.json)
    }

    /// The field's string values in a request: none, one, or (for an array
    /// of strings) each item.
    pub fn texts<'r>(&self, req: &'r TokenRequest) -> Vec<&'r Text> {
        match self.access {
            Access::Text(s) => (s.get)(req).iter().collect(),
            Access::Texts(s) => (s.get)(req).iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The field's value when it is a single string.
    pub fn text<'r>(&self, req: &'r TokenRequest) -> Option<&'r Text> {
        match self.access {
            Access::Text(s) => (s.get)(req).as_ref(),
            _ => None,
        }
    }

    /// Copies the field's value from one request to another.
    pub fn copy(&self, from: &TokenRequest, to: &mut TokenRequest) {
        match self.access {
            Access::Text(s) => *(s.get_mut)(to) = (s.get)(from).clone(),
            Access::Texts(s) => *(s.get_mut)(to) = (s.get)(from).clone(),
            Access::Bool(s) => *(s.get_mut)(to) = *(s.get)(from),
            Access::Integer(s) => *(s.get_mut)(to) = *(s.get)(from),
            Access::Json(s) => *(s.get_mut)(to) = *(s.get)(from),
        }
    }
}

/// One row of [`FIELDS`]: the member of [`TokenRequest`] and of
/// [`FlagInput`] share a name.
macro_rules! field {
    ($json:literal, $flag:literal, $access:ident($member:ident), $limit:ident
     $(, header $header:literal)?) => {
        Field {
            json: $json,
            flag: $flag,
            header: field!(@header $($header)?),
            limit: LimitKind::$limit,
            access: Access::$access(Slot {
                get: |r| &r.$member,
                get_mut: |r| &mut r.$member,
            }),
            given: |input| super::flags::Given::texts(&input.$member),
        }
    };
    (@header) => { None };
    (@header $header:literal) => { Some($header) };
}

/// Every field of `TokenRequest` (authlete-java-common, 17 fields).
#[rustfmt::skip]
pub const FIELDS: &[Field] = &[
    field!("parameters", "parameters", Text(parameters), Field),
    field!("clientId", "client-id", Text(client_id), Field),
    field!("clientSecret", "client-secret", Text(client_secret), Field),
    field!("clientCertificate", "client-certificate", Text(client_certificate), Pem),
    field!("clientCertificatePath", "client-certificate-path",
        Texts(client_certificate_path), Pem),
    field!("dpop", "dpop", Text(dpop), Jws, header "DPoP"),
    field!("htm", "htm", Text(htm), Field),
    field!("htu", "htu", Text(htu), Field),
    field!("dpopNonceRequired", "dpop-nonce-required", Bool(dpop_nonce_required), None),
    field!("accessToken", "access-token", Text(access_token), Field),
    field!("accessTokenDuration", "access-token-duration",
        Integer(access_token_duration), None),
    field!("refreshTokenDuration", "refresh-token-duration",
        Integer(refresh_token_duration), None),
    field!("properties", "properties", Json(properties), Field),
    field!("jwtAtClaims", "jwt-at-claims", Text(jwt_at_claims), Field),
    field!("oauthClientAttestation", "oauth-client-attestation",
        Text(oauth_client_attestation), Jws, header "OAuth-Client-Attestation"),
    field!("oauthClientAttestationPop", "oauth-client-attestation-pop",
        Text(oauth_client_attestation_pop), Jws, header "OAuth-Client-Attestation-PoP"),
    field!("cimdOptions", "cimd-options", Json(cimd_options), Field),
];

pub fn by_json_name(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.json == name)
}

/// The field a captured request's header carries (case-insensitive).
pub fn by_header(name: &str) -> Option<&'static Field> {
    FIELDS
        .iter()
        .find(|f| f.header.is_some_and(|h| h.eq_ignore_ascii_case(name)))
}

/// The fields of one kind, in table order.
pub fn of_kind(kind: FieldKind) -> impl Iterator<Item = &'static Field> {
    FIELDS.iter().filter(move |f| f.kind() == kind)
}

/// The field a misspelt or differently-cased key most likely meant:
/// `client_id` → `clientId`, `ClientID` → `clientId`, `dpopNonce` → none.
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::text::suggest(name, FIELDS.iter().map(|f| f.json))
}

/// [`suggest`] within the budget of one input's suggestions.
pub fn suggest_within(suggester: &crate::text::Suggester, name: &str) -> Option<&'static str> {
    suggester.suggest(name, FIELDS.iter().map(|f| f.json))
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

    /// The flag is the JSON name in kebab case, and every secret field is one.
    #[test]
    fn names_agree() {
        for f in FIELDS {
            let mut kebab = String::new();
            for c in f.json.chars() {
                if c.is_ascii_uppercase() {
                    kebab.push('-');
                }
                kebab.push(c.to_ascii_lowercase());
            }
            assert_eq!(f.flag, kebab);
        }
        for name in crate::secrets::SECRET_FIELDS {
            assert!(by_json_name(name).is_some(), "{name}");
        }
    }

    /// Each accessor reaches its own member: a value set through one field
    /// is seen by that field only.
    #[test]
    fn accessors_reach_their_members() {
        for f in FIELDS {
            let mut req = TokenRequest::default();
            match f.access {
                Access::Text(s) => *(s.get_mut)(&mut req) = Some(Text::verbatim("x", 0)),
                Access::Texts(s) => (s.get_mut)(&mut req).push(Text::verbatim("x", 0)),
                Access::Bool(s) => *(s.get_mut)(&mut req) = Some(spanned(true)),
                Access::Integer(s) => *(s.get_mut)(&mut req) = Some(spanned(1)),
                Access::Json(s) => {
                    *(s.get_mut)(&mut req) = Some(json::Lazy {
                        span: crate::span::Span::new(0, 2),
                    })
                }
            }
            let body = super::super::body::to_json(&req, "{}", false);
            let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
            assert_eq!(keys, [f.json]);
        }
    }

    fn spanned<T>(value: T) -> Spanned<T> {
        Spanned {
            value,
            span: crate::span::Span::new(0, 0),
        }
    }
}
