//! What the proof binds the token to, beside other bindings of the same
//! request (a client certificate, RFC 8705).

use super::Checker;
use crate::lint::{Finding, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Dpop;
    WITH_MTLS = "dpop/with-mtls", Warning, "RFC 9449 §1; RFC 8705 §3",
        "The request has both a DPoP proof and a client certificate";
}

impl Checker<'_, '_> {
    pub(super) fn with_mtls(&self, sink: &mut Sink) {
        let Some(cert) = &self.cx.req.client_certificate else {
            return;
        };
        if !cert.value.trim().is_empty() {
            sink.push(with_mtls(cert.span, self.view.text.span));
        }
    }
}

fn with_mtls(cert: Span, proof: Span) -> Finding {
    Finding::new(
        &WITH_MTLS,
        "the request has both a DPoP proof and a client certificate: if the client is \
        registered for certificate-bound tokens (tls_client_certificate_bound_access_tokens), \
        the token cannot be bound twice and node-oidc-provider rejects it ('multiple \
        proof-of-possession mechanisms are not allowed')",
    )
    .field("clientCertificate")
    .label(cert, "client certificate")
    .label(proof, "DPoP proof")
    .help(
        "mTLS client authentication with DPoP-bound tokens is fine; binding the token to both \
        the certificate and the DPoP key is not: pick one binding in the client registration",
    )
}
