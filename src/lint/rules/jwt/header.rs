//! The header of a JWT: `crit` extensions, a private key in `jwk`, keys
//! fetched from `jku`/`x5u` URLs.

use super::diags;
use super::jwts::Jwt;
use crate::jose::jwk::PRIVATE_MEMBERS;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Jwt;
    CRIT_UNSUPPORTED = "jwt/crit-unsupported", Error, "RFC 7515 §4.1.11; RFC 8725 §3.1",
        "A client assertion or attestation marks header parameters as critical (`crit`)";
    PRIVATE_KEY_IN_HEADER = "jwt/private-key-in-header", Error,
        "RFC 7517 §9.2; RFC 8725 §3.10",
        "A client assertion or attestation carries a private key in its header `jwk`";
    KEY_URL = "jwt/key-url", Error, "RFC 8725 §3.10; RFC 7515 §4.1.2, §4.1.5",
        "A JWT's `jku` or `x5u` points at a host other than the authorization server's";
    B64_WITHOUT_CRIT = "jwt/b64-without-crit", Error, "RFC 7797 §3, §6",
        "A JWT's header has `b64` but its `crit` does not list it";
}

/// RFC 7797 §6: "b64" MUST be listed in `crit` wherever it is used, so that
/// a recipient that does not understand it rejects the JWS instead of
/// verifying other bytes than were signed.
pub(super) fn check_b64(cx: &Context, jwt: &Jwt, sink: &mut Sink) {
    let Some(b64) = jwt.jws.header.value.get("b64") else {
        return;
    };
    let listed = jwt
        .jws
        .header
        .value
        .get("crit")
        .and_then(|c| c.value.as_array())
        .is_some_and(|items| {
            items
                .iter()
                .any(|i| i.as_str().is_some_and(|t| t.value == "b64"))
        });
    if !listed {
        sink.push(diags::b64_without_crit(jwt, b64, cx.profile));
    }
}

pub(super) fn check_crit(jwt: &Jwt, sink: &mut Sink) {
    if let Some(crit) = jwt.jws.header.value.get("crit") {
        sink.push(diags::crit_unsupported(jwt, crit));
    }
}

pub(super) fn check_private_key(jwt: &Jwt, sink: &mut Sink) {
    let Some(jwk) = jwt.jws.header.value.get("jwk") else {
        return;
    };
    let private: Vec<&str> = PRIVATE_MEMBERS
        .iter()
        .copied()
        .filter(|p| jwk.value.get(p).is_some())
        .collect();
    if !private.is_empty() {
        sink.push(diags::private_key_in_header(jwt, jwk, &private));
    }
}

/// `own`: the hosts of the authorization server ([`own_hosts`]).
pub(super) fn check_key_urls(jwt: &Jwt, own: &[String], sink: &mut Sink) {
    for name in ["jku", "x5u"] {
        let Some(m) = jwt.jws.header.value.get(name) else {
            continue;
        };
        let url = m.value.as_str().map(|t| t.value.as_str()).unwrap_or("");
        let url_host = host(url);
        let elsewhere = match &url_host {
            Some(h) => !own.iter().any(|o| o == h),
            None => true,
        };
        if elsewhere {
            sink.push(diags::key_url(jwt, name, m, url_host.as_deref()));
        }
    }
}

/// The host of an absolute URL, lowercased.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if host.starts_with('[') {
        host.split(']').next()?.trim_start_matches('[')
    } else {
        host.split(':').next()?
    };
    Some(host.to_ascii_lowercase())
}

/// The hosts that are the authorization server's own: the issuer's, the
/// token endpoint's, the request's `htu`.
pub(super) fn own_hosts(cx: &Context) -> Vec<String> {
    [
        cx.settings.issuer.as_deref(),
        cx.settings.token_endpoint.as_deref(),
        cx.req.htu.as_ref().map(|t| t.value.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter_map(host)
    .collect()
}
