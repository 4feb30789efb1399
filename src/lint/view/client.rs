//! Which client authentication a request presents, and where (shared by the
//! `client-auth/` and `grant/` rules).

use crate::lint::Context;
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    /// `Authorization: Basic` (Authlete's `clientId` + `clientSecret` fields).
    ClientSecretBasic,
    /// `client_secret` in the form body.
    ClientSecretPost,
    /// `client_assertion` (private_key_jwt or client_secret_jwt).
    ClientAssertion,
    /// `OAuth-Client-Attestation` header (attest_jwt_client_auth).
    Attestation,
    /// A TLS client certificate (tls_client_auth / self_signed_tls_client_auth).
    /// It may also be there only to bind tokens (RFC 8705 §3), so it does not
    /// count towards "more than one method".
    TlsCertificate,
}

impl AuthMethod {
    pub fn name(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic (Authorization: Basic)",
            AuthMethod::ClientSecretPost => "client_secret_post (client_secret in the body)",
            AuthMethod::ClientAssertion => "a client assertion (client_assertion)",
            AuthMethod::Attestation => "client attestation (OAuth-Client-Attestation)",
            AuthMethod::TlsCertificate => "a TLS client certificate",
        }
    }

    /// The name in a label under where the method is presented.
    pub fn short_name(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::ClientAssertion => "client assertion",
            AuthMethod::Attestation => "client attestation",
            AuthMethod::TlsCertificate => "TLS client certificate",
        }
    }

    /// The request field that carries it, as findings name it.
    pub fn field(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "clientSecret",
            AuthMethod::ClientSecretPost => "parameters.client_secret",
            AuthMethod::ClientAssertion => "parameters.client_assertion",
            AuthMethod::Attestation => "oauthClientAttestation",
            AuthMethod::TlsCertificate => "clientCertificate",
        }
    }
}

/// One authentication method present in the request, with where it is.
#[derive(Clone, Copy, Debug)]
pub struct Presented {
    pub method: AuthMethod,
    pub span: Span,
}

impl Context<'_> {
    /// Every client authentication method the request carries, in a fixed order.
    pub fn client_auth(&self) -> Vec<Presented> {
        let mut out = Vec::new();
        if let Some(s) = &self.req.client_secret {
            out.push(Presented {
                method: AuthMethod::ClientSecretBasic,
                span: s.span,
            });
        }
        if let Some(p) = self.param("client_secret") {
            out.push(Presented {
                method: AuthMethod::ClientSecretPost,
                span: self.pair_span(p),
            });
        }
        if let Some(p) = self.param("client_assertion") {
            out.push(Presented {
                method: AuthMethod::ClientAssertion,
                span: self.pair_span(p),
            });
        }
        if let Some(a) = &self.req.oauth_client_attestation {
            out.push(Presented {
                method: AuthMethod::Attestation,
                span: a.span,
            });
        }
        if let Some(c) = &self.req.client_certificate {
            out.push(Presented {
                method: AuthMethod::TlsCertificate,
                span: Span::new(c.span.offset, c.span.len.min(27)),
            });
        }
        out
    }

    /// Whether the client authenticates in any way.
    pub fn client_authenticates(&self) -> bool {
        !self.client_auth().is_empty()
    }

    /// Whether anything identifies the client: a client ID (header or body),
    /// or an authentication method that carries one (assertion, attestation).
    pub fn client_identified(&self) -> bool {
        self.req.client_id.is_some()
            || self.has_param("client_id")
            || self.has_param("client_assertion")
            || self.req.oauth_client_attestation.is_some()
    }

    /// The client ID the request names: the body's `client_id`, else the
    /// Basic header's `clientId`.
    pub fn client_id(&self) -> Option<&str> {
        self.param_value("client_id")
            .or_else(|| self.req.client_id.as_ref().map(|t| t.value.as_str()))
            .filter(|s| !s.is_empty())
    }
}
