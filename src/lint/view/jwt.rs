//! The JWTs a request carries besides the DPoP proof (the client assertion,
//! the client attestation and its PoP), each parsed once per request in the
//! [`Context`] and shared by the `client-auth/` and `attestation/` rules.
//!
//! [`Context`]: crate::lint::Context

use std::cell::OnceCell;
use std::ops::Range;

use crate::form::Pair;
use crate::jose::compact::{self, CompactError, CompactJws, JsonPart};
use crate::lint::rules::input::jws_over_limit;
use crate::lint::Context;
use crate::span::{Span, Text};

/// One parse of a compact JWS.
pub type Parse = Result<CompactJws, CompactError>;

/// The parses, made on first use. The client assertion's is `None` when it
/// is over the JWS size limit: `input/jws-too-large` reports it and no other
/// rule looks inside.
#[derive(Default)]
pub struct Cells {
    assertion: OnceCell<Option<Parse>>,
    grant_assertion: OnceCell<Option<Parse>>,
    attestation: OnceCell<Parse>,
    attestation_pop: OnceCell<Parse>,
}

impl Context<'_> {
    /// The `client_assertion` parameter, parsed once; `None` when there is
    /// none or it is over the JWS size limit (`input/jws-too-large`).
    pub fn client_assertion(&self) -> Option<JwtView<'_>> {
        let field = "parameters.client_assertion";
        self.param_jwt("client_assertion", field, &self.jwts.assertion)
    }

    /// The JWT bearer grant's `assertion` parameter (RFC 7523 §2.1), parsed
    /// once; `None` when the grant is another one, when there is none, or
    /// when it is over the JWS size limit (`input/jws-too-large`).
    pub fn grant_assertion(&self) -> Option<JwtView<'_>> {
        if self.grant_type() != Some(JWT_BEARER_GRANT) {
            return None; // a SAML 2.0 bearer assertion is XML
        }
        let field = "parameters.assertion";
        self.param_jwt("assertion", field, &self.jwts.grant_assertion)
    }

    /// The form parameter `name` as a JWT that findings call `field`, parsed
    /// once into `cell`; `None` when it is absent or over the JWS size limit.
    fn param_jwt<'c>(
        &'c self,
        name: &str,
        field: &'static str,
        cell: &'c OnceCell<Option<Parse>>,
    ) -> Option<JwtView<'c>> {
        let pair = self.param(name)?;
        let params = self.req.parameters.as_ref()?;
        let jws = cell.get_or_init(|| {
            let over = jws_over_limit(&pair.value, &self.settings.limits);
            (!over).then(|| compact::parse(&pair.value))
        });
        Some(JwtView::param(field, params, pair, jws.as_ref()?))
    }

    /// `oauthClientAttestation`, parsed once.
    pub fn attestation(&self) -> Option<JwtView<'_>> {
        let text = self.req.oauth_client_attestation.as_ref()?;
        let jws = parse_once(&self.jwts.attestation, text);
        Some(JwtView::field("oauthClientAttestation", text, jws))
    }

    /// `oauthClientAttestationPop`, parsed once.
    pub fn attestation_pop(&self) -> Option<JwtView<'_>> {
        let text = self.req.oauth_client_attestation_pop.as_ref()?;
        let jws = parse_once(&self.jwts.attestation_pop, text);
        Some(JwtView::field("oauthClientAttestationPop", text, jws))
    }
}

/// The JWT bearer grant type (RFC 7523 §2.1).
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn parse_once<'c>(cell: &'c OnceCell<Parse>, text: &Text) -> &'c Parse {
    cell.get_or_init(|| compact::parse(&text.value))
}

/// Where the compact string sits in the source.
#[derive(Clone, Copy)]
enum Place<'c> {
    /// A field of its own (a header such as `OAuth-Client-Attestation`).
    Field(&'c Text),
    /// A form parameter: decoded offsets go back through its escapes.
    Param { params: &'c Text, pair: &'c Pair },
}

/// A JWT of the request as sent: parsed or not, with its place.
#[derive(Clone, Copy)]
pub struct JwtView<'c> {
    /// The field, as findings name it (`parameters.client_assertion`, …).
    pub field: &'static str,
    pub jws: &'c Parse,
    place: Place<'c>,
}

impl<'c> JwtView<'c> {
    /// A JWT carried in a field of its own.
    pub fn field(field: &'static str, text: &'c Text, jws: &'c Parse) -> Self {
        JwtView {
            field,
            jws,
            place: Place::Field(text),
        }
    }

    /// A JWT carried in the form parameter `pair` of the `parameters` text.
    pub fn param(field: &'static str, params: &'c Text, pair: &'c Pair, jws: &'c Parse) -> Self {
        JwtView {
            field,
            jws,
            place: Place::Param { params, pair },
        }
    }

    /// The compact string, decoded from its carrier.
    pub fn value(&self) -> &'c str {
        match self.place {
            Place::Field(t) => &t.value,
            Place::Param { pair, .. } => &pair.value,
        }
    }

    /// The form parameter that carries it, if it is one.
    pub fn pair(&self) -> Option<&'c Pair> {
        match self.place {
            Place::Field(_) => None,
            Place::Param { pair, .. } => Some(pair),
        }
    }

    /// The source span of a byte range of the compact string.
    pub fn span(&self, raw: Range<usize>) -> Span {
        match self.place {
            Place::Field(t) => t.sub_span(raw),
            Place::Param { params, pair } => params.sub_span(pair.value_raw_range(raw)),
        }
    }

    /// The source span of the whole value (the whole pair when it is empty).
    pub fn whole_span(&self) -> Span {
        match self.place {
            Place::Field(t) => t.span,
            Place::Param { params, pair } if pair.value_raw.is_empty() => {
                params.sub_span(pair.raw.clone())
            }
            Place::Param { params, pair } => params.sub_span(pair.value_raw.clone()),
        }
    }

    /// The parsed JWS, when the value is one.
    pub fn parsed(&self) -> Option<Jwt<'c>> {
        let jws = self.jws.as_ref().ok()?;
        Some(Jwt { view: *self, jws })
    }
}

/// A JWT of the request that parses as a compact JWS.
#[derive(Clone, Copy)]
pub struct Jwt<'c> {
    pub view: JwtView<'c>,
    pub jws: &'c CompactJws,
}

impl<'c> Jwt<'c> {
    pub fn field(&self) -> &'static str {
        self.view.field
    }

    pub fn value(&self) -> &'c str {
        self.view.value()
    }

    pub fn header(&self) -> &'c JsonPart {
        &self.jws.header
    }

    pub fn claims(&self) -> &'c JsonPart {
        &self.jws.payload
    }

    pub fn header_span(&self) -> Span {
        self.view.span(self.jws.header.raw.clone())
    }

    pub fn payload_span(&self) -> Span {
        self.view.span(self.jws.payload.raw.clone())
    }

    pub fn sig_span(&self) -> Span {
        self.view.span(self.jws.signature_raw.clone())
    }

    /// A numeric claim: `Err` when present but not a number.
    pub fn time(&self, key: &str) -> Option<Result<i64, ()>> {
        let v = self.claims().get(key)?;
        Some(v.as_f64().map(|f| f as i64).ok_or(()))
    }

    /// What is wrong with `exp` at `now`; `required`: whether a JWT without
    /// one is wrong. The signature has nothing to do with it: an unverified
    /// JWT's claims are still what the server reads.
    pub fn exp_problem(&self, now: i64, required: bool) -> Option<ExpProblem> {
        match self.time("exp") {
            None if required => Some(ExpProblem::Missing),
            None => None,
            Some(Err(())) => Some(ExpProblem::NotNumber),
            Some(Ok(exp)) if exp <= now => Some(ExpProblem::Expired { exp, now }),
            Some(Ok(_)) => None,
        }
    }

    /// What is wrong with `iat` and `nbf` at `now`: not numbers, later than
    /// [`TIME_SKEW`] ahead of it, or an `iat` not before `exp`.
    pub fn iat_nbf_problems(&self, now: i64) -> Vec<TimeProblem> {
        let mut problems = Vec::new();
        for claim in ["iat", "nbf"] {
            match self.time(claim) {
                Some(Err(())) => problems.push(TimeProblem::NotNumber(claim)),
                Some(Ok(at)) if at > now.saturating_add(TIME_SKEW) => {
                    problems.push(TimeProblem::Future { claim, at, now })
                }
                _ => {}
            }
        }
        if let (Some(Ok(iat)), Some(Ok(exp))) = (self.time("iat"), self.time("exp")) {
            if iat >= exp {
                problems.push(TimeProblem::IatNotBeforeExp { iat, exp });
            }
        }
        problems
    }
}

/// How far `iat` and `nbf` may be ahead of the check time (Spring's
/// default clock skew, and node-oidc-provider's tolerance order).
pub const TIME_SKEW: i64 = 60;

/// What is wrong with a JWT's `exp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpProblem {
    Missing,
    NotNumber,
    Expired { exp: i64, now: i64 },
}

/// What is wrong with a JWT's `iat` or `nbf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeProblem {
    NotNumber(&'static str),
    /// Beyond the allowed clock skew.
    Future {
        claim: &'static str,
        at: i64,
        now: i64,
    },
    IatNotBeforeExp {
        iat: i64,
        exp: i64,
    },
}

#[cfg(test)]
mod tests {
    use crate::lint::{Context, Settings};
    use crate::span::Span;

    const JWS: &str = "eyJhbGciOiJub25lIn0.e30.AA";

    /// Runs `check` on the context of a request with this (form-encoded)
    /// client assertion and an attestation, and the request's source.
    fn with_assertion(value: &str, check: impl Fn(&Context, &dyn Fn(Span) -> String)) {
        let fixture = format!(
            r#"{{"parameters": "client_assertion={value}", "oauthClientAttestation": "{JWS}"}}"#
        );
        let loaded = crate::request::fixture::load_str("t.json", &fixture);
        let mut settings = Settings::with_now(0);
        settings.limits.jws = 64;
        let under = |s: Span| fixture[s.offset..s.end()].to_owned();
        check(
            &Context::new(&loaded.request, &loaded.source, &settings),
            &under,
        );
    }

    #[test]
    fn each_jwt_is_parsed_once_and_spans_point_into_the_source() {
        let encoded = JWS.replace('.', "%2E");
        with_assertion(&encoded, |cx, under| {
            let a = cx.client_assertion().unwrap();
            assert!(std::ptr::eq(a.jws, cx.client_assertion().unwrap().jws));
            let att = cx.attestation().unwrap();
            assert!(std::ptr::eq(att.jws, cx.attestation().unwrap().jws));
            assert!(cx.attestation_pop().is_none());
            assert_eq!(under(a.parsed().unwrap().payload_span()), "e30");
            assert_eq!(under(a.whole_span()), encoded);
            assert_eq!(under(att.parsed().unwrap().sig_span()), "AA");
        });
    }

    #[test]
    fn an_oversized_assertion_has_no_view() {
        let value = "A".repeat(65);
        with_assertion(&value, |cx, _| assert!(cx.client_assertion().is_none()));
    }
}
