//! `jwt/`: the RFC 8725 attacks that apply to every JWT a token request
//! carries (the DPoP proof, a `client_assertion`, the client attestation and
//! its PoP) where the carrier's own area has no rule for them: `crit`
//! abuse, a private key in the header, `jku`/`x5u` pointing elsewhere, an
//! oversized `jti`, duplicate members. (DPoP has `dpop/crit`,
//! `dpop/jwk-private` and `dpop/duplicate-member`; those are not repeated
//! here for the proof.)

use std::ops::Range;

use crate::jose::compact::{self, CompactJws, JsonPart};
use crate::jose::jwk::PRIVATE_MEMBERS;
use crate::lint::{Context, Decoded, Finding, Label, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Jwt;
    CRIT_UNSUPPORTED = "jwt/crit-unsupported", Error, "RFC 7515 §4.1.11; RFC 8725 §3.1",
        "A client assertion or attestation marks header parameters as critical (`crit`)";
    PRIVATE_KEY_IN_HEADER = "jwt/private-key-in-header", Error, "RFC 7517 §9.2; RFC 8725 §3.10",
        "A client assertion or attestation carries a private key in its header `jwk`";
    KEY_URL = "jwt/key-url", Error, "RFC 8725 §3.10; RFC 7515 §4.1.2, §4.1.5",
        "A JWT's `jku` or `x5u` points at a host other than the authorization server's";
    JTI_OVERSIZED = "jwt/jti-oversized", Error, "RFC 8725 §3.10; RFC 9449 §11.1",
        "A JWT's `jti` is over 1 KiB: an attack on the server's replay cache";
    DUPLICATE_MEMBER = "jwt/duplicate-member", Error, "RFC 7515 §4; RFC 7519 §4",
        "A client assertion or attestation has the same member twice in its header or claims";
}

/// Longer than this, a `jti` is not an identifier but a payload: replay
/// caches key on it (node-oidc-provider and Authlete store every jti until
/// the proof expires), so one request can make the server store kilobytes.
pub const MAX_JTI: usize = 1024;

/// One JWT of the request.
struct Jwt<'j> {
    /// The field, as findings name it (`dpop`, `parameters.client_assertion`, …).
    field: &'static str,
    /// What it is, for messages.
    what: &'static str,
    jws: CompactJws,
    /// Maps a byte range of the compact JWS to a span in the source.
    span: Box<dyn Fn(Range<usize>) -> Span + 'j>,
    /// DPoP proofs have their own rules for some checks.
    dpop: bool,
}

fn jwts<'c>(cx: &'c Context) -> Vec<Jwt<'c>> {
    let mut out = Vec::new();
    let req = cx.req;
    let texts = [
        ("dpop", "the DPoP proof", req.dpop.as_ref(), true),
        (
            "oauthClientAttestation",
            "the client attestation",
            req.oauth_client_attestation.as_ref(),
            false,
        ),
        (
            "oauthClientAttestationPop",
            "the client attestation PoP",
            req.oauth_client_attestation_pop.as_ref(),
            false,
        ),
    ];
    for (field, what, t, dpop) in texts {
        let Some(t) = t else { continue };
        if let Ok(jws) = compact::parse(&t.value) {
            out.push(Jwt {
                field,
                what,
                jws,
                span: Box::new(move |r| t.sub_span(r)),
                dpop,
            });
        }
    }
    if let Some(p) = cx.param("client_assertion") {
        if !super::input::jws_over_limit(&p.value, &cx.settings.limits) {
            if let Ok(jws) = compact::parse(&p.value) {
                out.push(Jwt {
                    field: "parameters.client_assertion",
                    what: "the client assertion",
                    jws,
                    span: Box::new(move |r| cx.value_sub_span(p, r)),
                    dpop: false,
                });
            }
        }
    }
    out
}

fn decoded(title: &str, part: &JsonPart, span: Span, label: &str) -> Option<Decoded> {
    Some(Decoded {
        title: title.to_owned(),
        text: part.text.clone(),
        labels: vec![Label {
            span,
            text: label.to_owned(),
        }],
    })
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
fn own_hosts(cx: &Context) -> Vec<String> {
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

/// The `Jwt` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Jwt,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    let own = own_hosts(cx);
    for j in jwts(cx) {
        let header_span = (j.span)(j.jws.header.raw.clone());
        let payload_span = (j.span)(j.jws.payload.raw.clone());
        let header = &j.jws.header;
        let title = format!("{} header", j.what);
        if !j.dpop {
            if let Some(m) = header.value.get("crit") {
                sink.push(
                    Finding::new(
                        &CRIT_UNSUPPORTED,
                        format!(
                            "{} marks header parameters as critical (`crit`): no client authentication profile defines an extension, so a server MUST reject it, and one that ignores `crit` lets the sender switch off checks it does not know",
                            j.what
                        ),
                    )
                    .field(format!("{}.crit", j.field))
                    .label(header_span, "header with `crit`")
                    .decoded(decoded(&title, header, m.key_span.cover(m.value.span), "`crit`"))
                    .help("remove `crit` and the extension parameters it names"),
                );
            }
            if let Some(m) = header.value.get("jwk") {
                let private: Vec<&str> = PRIVATE_MEMBERS
                    .iter()
                    .copied()
                    .filter(|p| m.value.get(p).is_some())
                    .collect();
                if !private.is_empty() {
                    sink.push(
                        Finding::new(
                            &PRIVATE_KEY_IN_HEADER,
                            format!(
                                "{}'s header `jwk` holds private key members ({}): the private key has been sent to the server and everyone on the way, and must be considered compromised",
                                j.what,
                                private.join(", ")
                            ),
                        )
                        .field(format!("{}.jwk", j.field))
                        .label(header_span, "header with a private key")
                        .decoded(decoded(&title, header, m.key_span.cover(m.value.span), "private key"))
                        .help("never put a key in the header of a client assertion or attestation (the server has the client's or attester's keys); generate a new key pair and retire this one"),
                    );
                }
            }
            for part in [header, &j.jws.payload] {
                for m in part.duplicate_names() {
                    let which = if std::ptr::eq(part, header) {
                        "header"
                    } else {
                        "claims"
                    };
                    sink.push(
                        Finding::new(
                            &DUPLICATE_MEMBER,
                            format!(
                                "{}'s {which} has `{}` more than once: parsers disagree on which one counts (the first, the last, or reject), so a check and the code after it may see different values",
                                j.what, m.key.value
                            ),
                        )
                        .field(format!("{}.{}", j.field, m.key.value))
                        .label(if which == "header" { header_span } else { payload_span }, format!("duplicate `{}`", m.key.value))
                        .decoded(decoded(&format!("{} {which}", j.what), part, m.key_span, "again here"))
                        .help("each member name once (RFC 7515 §4: a recipient MUST reject duplicates or take the last)"),
                    );
                }
            }
        }
        for name in ["jku", "x5u"] {
            let Some(m) = header.value.get(name) else {
                continue;
            };
            let url = m.value.as_str().map(|t| t.value.as_str()).unwrap_or("");
            let url_host = host(url);
            let elsewhere = match &url_host {
                Some(h) => !own.iter().any(|o| o == h),
                None => true,
            };
            if !elsewhere {
                continue;
            }
            let target =
                url_host.map_or_else(|| "an unparsable URL".to_owned(), |h| format!("`{h}`"));
            sink.push(
                Finding::new(
                    &KEY_URL,
                    format!(
                        "{}'s `{name}` points at {target}, not at the authorization server: a server that fetches it verifies the JWT with a key the sender chose (and makes a request wherever the sender says)",
                        j.what
                    ),
                )
                .field(format!("{}.{name}", j.field))
                .label(header_span, format!("header with `{name}`"))
                .decoded(decoded(&title, header, m.key_span.cover(m.value.span), &format!("`{name}`")))
                .help("remove it: the server takes the key from its own configuration (the client's registered jwks, the trusted attesters, or the proof's `jwk`), never from a URL in the token"),
            );
        }
        if let Some(m) = j.jws.payload.value.get("jti") {
            let n = m.value.as_str().map_or(m.value.span.len, |t| t.value.len());
            if n > MAX_JTI {
                sink.push(
                    Finding::new(
                        &JTI_OVERSIZED,
                        format!(
                            "{}'s `jti` is {n} bytes, over {MAX_JTI}: servers store every jti to detect replays, so an oversized one makes each request cost the server memory (a jti needs only 16 random bytes)",
                            j.what
                        ),
                    )
                    .field(format!("{}.jti", j.field))
                    .label(payload_span, format!("{n}-byte jti"))
                    .decoded(decoded(&format!("{} claims", j.what), &j.jws.payload, m.value.span, "oversized"))
                    .help("use a random identifier of 16 octets, base64url-encoded (22 characters), or a UUIDv4"),
                );
            }
        }
    }
}
