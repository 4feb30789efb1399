//! The per-request [`Context`]: decoded views built once and shared by
//! every rule.

use super::view::{dpop, jwt};
use super::{profile, Settings};
use crate::form::{self, Form, Pair};
use crate::jose::compact::Decoding;
use crate::request::TokenRequest;
use crate::source::Source;
use crate::span::{Span, Text};

/// Decoded views of one request, built once and shared by every rule.
pub struct Context<'a> {
    pub req: &'a TokenRequest,
    pub source: &'a Source,
    pub settings: &'a Settings,
    /// The decoded `parameters` (empty when there are none).
    pub form: Form,
    /// What to hide of each pair of `form` ([`crate::secrets::form_hides`]).
    hides: Vec<crate::secrets::Hide>,
    /// The decoded DPoP proof, when the request has one.
    pub dpop: Option<dpop::DpopView<'a>>,
    /// The DPoP profile in force.
    pub profile: &'static profile::Profile,
    /// `clientCertificate` and `clientCertificatePath`, parsed on first use.
    certs: std::cell::OnceCell<crate::x509::RequestCerts>,
    /// The client assertion, the attestation and its PoP, parsed on first use.
    pub(super) jwts: jwt::Cells,
    /// The HTTP capture the request came from (method, URL, headers), if any.
    pub capture: Option<&'a crate::request::capture::Capture>,
    /// The "did you mean" searches of this request, bounded in number.
    pub suggester: crate::text::Suggester,
}

impl<'a> Context<'a> {
    pub fn new(req: &'a TokenRequest, source: &'a Source, settings: &'a Settings) -> Self {
        let form = req
            .parameters
            .as_ref()
            .map(|p| form::decode(&p.value))
            .unwrap_or_default();
        let profile = profile::get_or_default(settings.profile.as_deref());
        let reading = dpop::Reading {
            decoding: match profile.b64url {
                profile::B64Policy::Strict => Decoding::Strict,
                profile::B64Policy::Forgiving => Decoding::Forgiving,
            },
            lenient_jwk: profile.jwk_import == profile::JwkImport::Webcrypto,
        };
        let hides = crate::secrets::form_hides(&form);
        let mut cx = Context {
            req,
            source,
            settings,
            form,
            hides,
            dpop: req
                .dpop
                .as_ref()
                .map(|t| dpop::DpopView::read_as(t, reading)),
            profile,
            certs: std::cell::OnceCell::new(),
            jwts: jwt::Cells::default(),
            capture: None,
            suggester: crate::text::Suggester::default(),
        };
        // The rest of a secret that a raw `&` split off ([`Context::splits`])
        // is secret, name and value, whatever its name looks like.
        for s in cx.splits() {
            if crate::secrets::is_secret_param(&cx.form.pairs[s.head].name) {
                if let Some(h) = cx.hides.get_mut(s.tail) {
                    *h = crate::secrets::Hide::Pair;
                }
            }
        }
        cx
    }

    /// The request's certificates, scanned and parsed once per request.
    pub fn certs(&self) -> &crate::x509::RequestCerts {
        self.certs
            .get_or_init(|| crate::x509::RequestCerts::of(self.req))
    }

    /// The DPoP algorithms the server allows: configured, else the profile's.
    pub fn dpop_algs(&self) -> &[String] {
        self.settings
            .dpop_algs
            .as_deref()
            .unwrap_or(&self.profile.algs)
    }

    pub fn allows_dpop_alg(&self, alg: &str) -> bool {
        self.dpop_algs().iter().any(|a| a == alg)
    }

    /// Whether the server requires a DPoP nonce, and where the request says
    /// so: the request's `dpopNonceRequired`, else the configuration's
    /// (no span); `None` when nothing says.
    pub fn dpop_nonce_required(&self) -> Option<(bool, Option<Span>)> {
        match &self.req.dpop_nonce_required {
            Some(r) => Some((r.value, Some(r.span))),
            None => self.settings.dpop_nonce_required.map(|r| (r, None)),
        }
    }

    /// The `iat` window in force: (past, future) seconds.
    pub fn iat_window(&self) -> (i64, i64) {
        self.settings
            .iat_window
            .unwrap_or((self.profile.iat_past, self.profile.iat_future))
    }

    fn params_text(&self) -> &Text {
        self.req
            .parameters
            .as_ref()
            .expect("a form pair exists only when parameters do")
    }

    /// The first parameter of this name with a non-empty value: RFC 6749
    /// §3.2 says a parameter sent without a value is treated as omitted.
    pub fn param(&self, name: &str) -> Option<&Pair> {
        self.form
            .pairs
            .iter()
            .find(|p| p.name == name && !p.value.is_empty())
    }

    pub fn has_param(&self, name: &str) -> bool {
        self.param(name).is_some()
    }

    pub fn param_value(&self, name: &str) -> Option<&str> {
        self.param(name).map(|p| p.value.as_str())
    }

    /// The grant type as sent, if any.
    pub fn grant_type(&self) -> Option<&str> {
        self.param_value("grant_type")
    }

    /// Span of a range of raw bytes of the encoded `parameters` string.
    pub fn raw_params_span(&self, raw: std::ops::Range<usize>) -> Span {
        self.params_text().sub_span(raw)
    }

    pub fn name_span(&self, p: &Pair) -> Span {
        self.raw_params_span(p.name_raw.clone())
    }

    pub fn value_span(&self, p: &Pair) -> Span {
        if p.value_raw.is_empty() {
            // Nothing to underline: point at the whole pair instead.
            return self.pair_span(p);
        }
        self.raw_params_span(p.value_raw.clone())
    }

    pub fn pair_span(&self, p: &Pair) -> Span {
        self.raw_params_span(p.raw.clone())
    }

    /// Span of a byte range of a parameter's decoded value.
    pub fn value_sub_span(&self, p: &Pair, dec: std::ops::Range<usize>) -> Span {
        self.raw_params_span(p.value_raw_range(dec))
    }

    /// Span of the `parameters` field itself, for findings about a missing parameter.
    pub fn parameters_span(&self) -> Span {
        self.req
            .parameters
            .as_ref()
            .map_or(Span::default(), |p| p.span)
    }

    /// Spans of the parameters' secrets to mask in any display (see
    /// [`crate::secrets::form_hides`]), the rest of a split secret included.
    pub fn secret_param_spans(&self) -> Vec<Span> {
        if self.req.parameters.is_none() {
            return Vec::new();
        }
        crate::secrets::hidden_ranges(&self.form, &self.hides)
            .into_iter()
            .map(|r| self.raw_params_span(r))
            .collect()
    }

    /// The decoded values of the parameters' secrets, for the report's
    /// [`crate::secrets::Redactor`].
    pub fn secret_param_values(&self) -> Vec<&str> {
        crate::secrets::hidden_values(&self.form, &self.hides)
    }

    /// What to hide of a pair of `form`: a message quotes a name only when
    /// it is not part of a secret, a value only when it is not secret.
    pub fn hide(&self, p: &Pair) -> crate::secrets::Hide {
        // Pairs are in source order and do not overlap: binary search.
        let pairs = &self.form.pairs;
        let i = pairs.partition_point(|q| q.raw.start < p.raw.start);
        let i = Some(i).filter(|&i| pairs.get(i).is_some_and(|q| q.raw == p.raw));
        i.and_then(|i| self.hides.get(i).copied())
            .unwrap_or(crate::secrets::Hide::Nothing)
    }

    /// Whether a message may quote the bytes of a pair's value.
    pub fn value_quotable(&self, p: &Pair) -> bool {
        self.hide(p) == crate::secrets::Hide::Nothing
    }

    /// Whether a message may quote a pair's name.
    pub fn name_quotable(&self, p: &Pair) -> bool {
        self.hide(p) != crate::secrets::Hide::Pair
    }
}
