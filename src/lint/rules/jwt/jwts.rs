//! The JWTs of a request, parsed for the `jwt/` rules.

use crate::jose::compact::{CompactJws, JsonPart};
use crate::lint::{Context, Decoded, Label};
use crate::span::Span;

/// One JWT of the request.
pub(super) struct Jwt<'c> {
    /// The field, as findings name it (`dpop`, `parameters.client_assertion`, …).
    pub field: &'static str,
    /// What it is, for messages.
    pub what: &'static str,
    pub jws: &'c CompactJws,
    /// The header and payload segments in the source.
    header_span: Span,
    payload_span: Span,
    /// DPoP proofs have their own rules for some checks.
    pub dpop: bool,
}

/// A JSON segment of a JWT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Segment {
    Header,
    Claims,
}

impl Segment {
    pub fn name(self) -> &'static str {
        match self {
            Segment::Header => "header",
            Segment::Claims => "claims",
        }
    }
}

impl Jwt<'_> {
    pub fn part(&self, segment: Segment) -> &JsonPart {
        match segment {
            Segment::Header => &self.jws.header,
            Segment::Claims => &self.jws.payload,
        }
    }

    /// The segment in the source.
    pub fn span(&self, segment: Segment) -> Span {
        match segment {
            Segment::Header => self.header_span,
            Segment::Claims => self.payload_span,
        }
    }

    /// The segment decoded, titled "the client assertion header" (…), with
    /// `span` (into the decoded text) labelled.
    pub fn decoded(&self, segment: Segment, span: Span, label: &str) -> Option<Decoded> {
        // A private key in the header's `jwk` (or a secret anywhere) is
        // masked byte for byte, so the labels' spans still fit.
        let part = self.part(segment);
        let mut secrets = Vec::new();
        if let Ok(doc) = crate::json::validate(&part.text, 0) {
            crate::secrets::json_spans(doc, &mut secrets);
        }
        Some(Decoded {
            title: format!("{} {}", self.what, segment.name()),
            text: crate::source::mask(&part.text, &secrets),
            labels: vec![Label {
                span,
                text: label.to_owned(),
            }],
        })
    }
}

/// The request's JWTs that parse as compact JWS, from the views the
/// [`Context`] parsed once: the DPoP proof, the attestation and its PoP,
/// then the `client_assertion` parameter and the JWT bearer grant's
/// `assertion` (no view when one is over the JWS limit).
pub(super) fn jwts<'c>(cx: &'c Context) -> Vec<Jwt<'c>> {
    let mut out = Vec::new();
    if let Some(view) = &cx.dpop {
        if let Ok(jws) = &view.jws {
            out.push(Jwt {
                field: "dpop",
                what: "the DPoP proof",
                header_span: view.span(jws.header.raw.clone()),
                payload_span: view.span(jws.payload.raw.clone()),
                jws,
                dpop: true,
            });
        }
    }
    let others = [
        (cx.attestation(), "the client attestation"),
        (cx.attestation_pop(), "the client attestation PoP"),
        (cx.client_assertion(), "the client assertion"),
        (cx.grant_assertion(), "the JWT bearer assertion"),
    ];
    for (view, what) in others {
        if let Some(jwt) = view.as_ref().and_then(|v| v.parsed()) {
            out.push(Jwt {
                field: jwt.field(),
                what,
                header_span: jwt.header_span(),
                payload_span: jwt.payload_span(),
                jws: jwt.jws,
                dpop: false,
            });
        }
    }
    out
}
