//! The JWTs of a request, parsed for the `jwt/` rules.

use crate::jose::compact::{self, CompactJws, JsonPart};
use crate::lint::{Context, Decoded, Label};
use crate::request::TokenRequest;
use crate::span::{Span, Text};

/// One JWT of the request.
pub(super) struct Jwt {
    /// The field, as findings name it (`dpop`, `parameters.client_assertion`, …).
    pub field: &'static str,
    /// What it is, for messages.
    pub what: &'static str,
    pub jws: CompactJws,
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

impl Jwt {
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
        Some(Decoded {
            title: format!("{} {}", self.what, segment.name()),
            text: self.part(segment).text.clone(),
            labels: vec![Label {
                span,
                text: label.to_owned(),
            }],
        })
    }
}

/// A request field that holds a JWT.
struct JwtField {
    field: &'static str,
    what: &'static str,
    text: fn(&TokenRequest) -> Option<&Text>,
    dpop: bool,
}

const JWT_FIELDS: [JwtField; 3] = [
    JwtField {
        field: "dpop",
        what: "the DPoP proof",
        text: |r| r.dpop.as_ref(),
        dpop: true,
    },
    JwtField {
        field: "oauthClientAttestation",
        what: "the client attestation",
        text: |r| r.oauth_client_attestation.as_ref(),
        dpop: false,
    },
    JwtField {
        field: "oauthClientAttestationPop",
        what: "the client attestation PoP",
        text: |r| r.oauth_client_attestation_pop.as_ref(),
        dpop: false,
    },
];

/// The request's JWTs that parse as compact JWS: the fields', then the
/// `client_assertion` parameter's unless it is over the JWS limit.
pub(super) fn jwts(cx: &Context) -> Vec<Jwt> {
    let mut out = Vec::new();
    for f in &JWT_FIELDS {
        let Some(t) = (f.text)(cx.req) else { continue };
        if let Ok(jws) = compact::parse(&t.value) {
            out.push(Jwt {
                field: f.field,
                what: f.what,
                header_span: t.sub_span(jws.header.raw.clone()),
                payload_span: t.sub_span(jws.payload.raw.clone()),
                jws,
                dpop: f.dpop,
            });
        }
    }
    if let Some(p) = cx.param("client_assertion") {
        if !crate::lint::rules::input::jws_over_limit(&p.value, &cx.settings.limits) {
            if let Ok(jws) = compact::parse(&p.value) {
                out.push(Jwt {
                    field: "parameters.client_assertion",
                    what: "the client assertion",
                    header_span: cx.value_sub_span(p, jws.header.raw.clone()),
                    payload_span: cx.value_sub_span(p, jws.payload.raw.clone()),
                    jws,
                    dpop: false,
                });
            }
        }
    }
    out
}
