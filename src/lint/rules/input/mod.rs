//! `input/`: problems reading the input itself, before any OAuth rule runs.
//! The area takes part in three stages besides the request check, through
//! its [`Hooks`]: loading (`load`), the size limits (`limits`) and the
//! `expect-errors` expectation (`expect`).

pub mod capture;
mod diags;
mod expect;
pub mod limits;
mod load;
mod suppressed;

pub use limits::{check_limits, jws_over_limit, unchecked_secret_spans};

use crate::lint::rules::{AreaRules, Hooks, Trimmed};
use crate::lint::{Area, Context, Limits, Sink};
use crate::request::Loaded;

crate::lint::declare_rules! {
    area: Input;
    FIELD_TOO_LARGE = "input/field-too-large", Error, "RFC 9110 §15.5.14",
        "A field is larger than the field size limit; it is not checked";
    JWS_TOO_LARGE = "input/jws-too-large", Error, "RFC 8725 §2.1",
        "A JWS (DPoP proof, client assertion, attestation) is larger than the JWS size limit; \
        it is not checked";
    PEM_TOO_LARGE = "input/pem-too-large", Error, "RFC 8705 §2",
        "The client certificates together are larger than the PEM bundle limit; \
        they are not checked";
    CERT_PATH_TOO_LONG = "input/cert-path-too-long", Error, "RFC 8705 §2; RFC 5280 §6.1",
        "`clientCertificatePath` holds more certificates than the path limit; it is not checked";
}

/// The `Input` area: its rules, the check that runs them, and its hooks.
pub static AREA: AreaRules = AreaRules {
    area: Area::Input,
    rules: &[
        load::RULES,
        RULES,
        expect::RULES,
        capture::RULES,
        suppressed::RULES,
    ],
    check: check_all,
    hooks: Hooks::NONE
        .with_load(load::check)
        .with_limit(limit)
        .with_unmet_expectation(expect::UNMET)
        .with_suppressed(suppressed::HOOK),
};

/// The area's checks: this file's and its concern files'.
fn check_all(cx: &Context, sink: &mut Sink) {
    check(cx, sink);
    capture::check(cx, sink);
}

/// After loading: JWS values inside `parameters` over the JWS limit (the
/// other `input/` rules come from the loader and [`check_limits`]).
pub fn check(cx: &Context, sink: &mut Sink) {
    limits::check_oversized_params(cx, sink);
}

/// The area's limit hook: [`check_limits`], and the secrets in what it
/// left out.
fn limit(loaded: &Loaded, limits: &Limits, sink: &mut Sink) -> Trimmed {
    let request = check_limits(&loaded.request, limits, sink);
    let checked = request.as_ref().unwrap_or(&loaded.request);
    let secrets = unchecked_secret_spans(&loaded.request, checked, &loaded.source);
    Trimmed { request, secrets }
}
