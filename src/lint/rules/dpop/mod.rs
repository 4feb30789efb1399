//! `dpop/`: the DPoP proof (`dpop`, with `htm`, `htu`, `dpopNonceRequired`)
//! of RFC 9449, checked as RFC 9449 §4.3 lists and as the profile's server
//! does it. Every finding points at the header or payload segment of the
//! compact proof and shows the decoded JSON with the member underlined.

mod replay;

use crate::clock::format_rfc3339;
use crate::jose::compact::CompactError;
use crate::jose::jwk::{self, AlgKind, KeyError};
use crate::json::{Member, Node};
use crate::lint::profile::{HtmMatch, NoncePolicy, QueryPolicy, TypMatch};
use crate::lint::view::dpop::{member_span, DpopView, Part, Verification};
use crate::lint::view::htu::{self, Comparison, HtuCompare};
use crate::lint::{Context, Finding, RuleMeta, Severity, Sink};
use crate::span::Span;
use crate::text::edit_distance;

crate::lint::declare_rules! {
    area: Dpop;
    MALFORMED = "dpop/malformed", Error, "RFC 9449 §4.3 (1) (2); RFC 7515 §7.1",
        "The DPoP value is not one compact JWS with JSON-object header and payload";
    B64URL = "dpop/b64url", Error, "RFC 7515 §2; RFC 7515 §7.1",
        "A part of the DPoP proof is not base64url without padding";
    DUPLICATE_MEMBER = "dpop/duplicate-member", Error, "RFC 7515 §4; RFC 7519 §4; RFC 8725 §3.7",
        "A header parameter or claim appears twice in the DPoP proof";
    TYP = "dpop/typ", Error, "RFC 9449 §4.2, §4.3 (4), §11.5",
        "The proof's `typ` is missing or not `dpop+jwt`";
    TYP_NONCANONICAL = "dpop/typ-noncanonical", Warning, "RFC 9449 §4.2; RFC 7515 §4.1.9",
        "`typ` matches `dpop+jwt` only ignoring case or the `application/` prefix";
    ALG_NONE = "dpop/alg-none", Error, "RFC 9449 §4.2, §11.6; RFC 8725 §3.2",
        "The proof is unsigned (`alg` is `none`)";
    ALG_SYMMETRIC = "dpop/alg-symmetric", Error, "RFC 9449 §4.2",
        "The proof uses a MAC (`HS256`…), not an asymmetric signature";
    ALG_NOT_ALLOWED = "dpop/alg-not-allowed", Error, "RFC 9449 §4.3 (5), §5.1",
        "`alg` is missing, unregistered, or not one the server accepts";
    CRIT = "dpop/crit", Error, "RFC 7515 §4.1.11",
        "The header's `crit` lists extensions a DPoP server does not understand";
    JWK_MISSING = "dpop/jwk-missing", Error, "RFC 9449 §4.2",
        "The header has no `jwk` (or it is not a JSON object)";
    JWK_PRIVATE = "dpop/jwk-private", Error, "RFC 9449 §4.2, §4.3 (7)",
        "The embedded `jwk` contains a private or symmetric key";
    JWK_ALG_MISMATCH = "dpop/jwk-alg-mismatch", Error, "RFC 7518 §3.1; RFC 8037 §3.1; RFC 7517 §4.2, §4.4",
        "The `jwk`'s `kty`/`crv` (or its `use`/`alg`) do not fit the header's `alg`";
    JWK_INVALID = "dpop/jwk-invalid", Error, "RFC 7518 §6.2.1, §3.3; RFC 8725 §3.4",
        "The `jwk` is not a valid public key (point off the curve, RSA < 2048 bits, bad member)";
    KEY_REFERENCE = "dpop/key-reference", Warning, "RFC 9449 §4.2; RFC 8725 §3.10",
        "The header names a key by `kid`, `jku`, `x5u` or `x5c` besides `jwk`";
    SIGNATURE = "dpop/signature", Error, "RFC 9449 §4.3 (6)",
        "The proof's signature does not verify with its embedded `jwk`";
    CLAIM_MISSING = "dpop/claim-missing", Error, "RFC 9449 §4.2, §4.3 (3)",
        "A required claim (`jti`, `htm`, `htu`, `iat`) is missing or of the wrong type";
    JTI_TOO_LONG = "dpop/jti-too-long", Warning, "RFC 9449 §11.1",
        "`jti` is unreasonably long (more than 256 characters)";
    JTI_WEAK = "dpop/jti-weak", Warning, "RFC 9449 §4.2",
        "`jti` carries less than 96 bits of randomness and is not a UUIDv4";
    REPLAY = "dpop/replay", Error, "RFC 9449 §4.3, §11.1",
        "The same `jti` is used by two requests of one run";
    HTM_MISMATCH = "dpop/htm-mismatch", Error, "RFC 9449 §4.3 (8); RFC 9110 §9.1",
        "`htm` is not the request's method";
    HTU_INVALID = "dpop/htu-invalid", Error, "RFC 9449 §4.2; RFC 9110 §7.1",
        "`htu` is not an absolute http(s) URI";
    HTU_QUERY = "dpop/htu-query", Error, "RFC 9449 §4.2",
        "`htu` has a query or fragment";
    HTU_MISMATCH = "dpop/htu-mismatch", Error, "RFC 9449 §4.3 (9); RFC 3986 §6.2.2, §6.2.3",
        "`htu` is not the URI of the token endpoint";
    HTU_NOT_NORMALIZED = "dpop/htu-not-normalized", Warning, "RFC 9449 §4.3; RFC 3986 §6.2.2, §6.2.3",
        "`htu` equals the token endpoint only after URI normalization";
    HTU_UNKNOWN_TARGET = "dpop/htu-unknown-target", Warning, "RFC 9449 §4.3 (9); Authlete API: TokenRequest.htu",
        "No target URI is known to compare `htu` with";
    IAT_OUT_OF_WINDOW = "dpop/iat-out-of-window", Error, "RFC 9449 §4.3 (11), §11.1",
        "`iat` is outside the server's acceptance window around now";
    IAT_FRACTIONAL = "dpop/iat-fractional", Warning, "RFC 7519 §2 (NumericDate)",
        "`iat` has a fractional part";
    EXPIRED = "dpop/expired", Error, "RFC 7519 §4.1.4",
        "The proof has an `exp` in the past";
    NONCE_MISSING = "dpop/nonce-missing", Error, "RFC 9449 §4.2, §8, §11.3",
        "`dpopNonceRequired` is true but the proof has no `nonce`";
    NONCE_SYNTAX = "dpop/nonce-syntax", Error, "RFC 9449 §8.1",
        "`nonce` is not a string of 1*NQCHAR";
    NONCE_UNEXPECTED = "dpop/nonce-unexpected", Warning, "RFC 9449 §8",
        "The proof carries a `nonce` that the request does not ask for";
    ATH_AT_TOKEN_ENDPOINT = "dpop/ath-at-token-endpoint", Warning, "RFC 9449 §4.2, §5",
        "The proof has an `ath`, which belongs to resource requests, not the token endpoint";
    WITH_MTLS = "dpop/with-mtls", Warning, "RFC 9449 §1; RFC 8705 §3",
        "The request has both a DPoP proof and a client certificate";
}

/// Longest `jti` before it is called absurd (several verifiers cap here).
pub const MAX_JTI: usize = 256;

/// The `Dpop` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE.with_replay(replay::replay_finding),
    area: crate::lint::Area::Dpop,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    if let Some(view) = &cx.dpop {
        Checker { cx, view }.run(sink);
    }
}

struct Checker<'c, 'a> {
    cx: &'c Context<'a>,
    view: &'c DpopView<'a>,
}

impl Checker<'_, '_> {
    fn profile_name(&self) -> &str {
        &self.cx.profile.name
    }

    /// A finding about a member of the header or payload: the segment is
    /// underlined in the source and the member in the decoded view.
    fn at(
        &self,
        rule: &'static RuleMeta,
        part: Part,
        message: String,
        member: Option<Span>,
        label: &str,
    ) -> Finding {
        let seg_label = match part {
            Part::Header => "proof header (base64url)",
            Part::Payload => "proof payload (base64url)",
        };
        // Without a member to point at, underline the whole object.
        let whole = self.view.part(part).map(|p| p.value.span);
        let label = if member.is_none() && label.is_empty() {
            "here"
        } else {
            label
        };
        let decoded_labels: Vec<(Span, &str)> =
            member.or(whole).map(|s| (s, label)).into_iter().collect();
        Finding::new(rule, message)
            .field("dpop")
            .label(self.view.part_span(part), seg_label)
            .decoded(self.view.decoded(part, &decoded_labels))
    }

    fn run(&self, sink: &mut Sink) {
        let jws = match &self.view.jws {
            Ok(j) => j,
            Err(e) => {
                if self.unsigned(e, sink) {
                    return;
                }
                return self.malformed(e, sink);
            }
        };
        for part in [Part::Header, Part::Payload] {
            let p = if part == Part::Header {
                &jws.header
            } else {
                &jws.payload
            };
            for m in p.duplicate_names() {
                let what = if part == Part::Header {
                    "header parameter"
                } else {
                    "claim"
                };
                sink.push(
                    self.at(
                        &DUPLICATE_MEMBER,
                        part,
                        format!("the {what} `{}` appears more than once in the proof; RFC 7515 §4 lets a parser reject it or keep the last, so servers disagree", m.key.value),
                        Some(member_span(m)),
                        "again here",
                    )
                    .help("serialize the header and payload from a map, so each name appears once"),
                );
            }
        }
        self.typ(sink);
        let alg = self.alg(sink);
        self.crit(sink);
        let key_ok = self.jwk(alg, sink);
        self.key_refs(sink);
        if key_ok {
            self.signature(sink);
        }
        self.claims(sink);
        self.with_mtls(sink);
    }

    /// `header.payload.` with `alg: none`: an unsigned JWS. Reported as
    /// `dpop/alg-none` rather than as a malformed value.
    fn unsigned(&self, e: &CompactError, sink: &mut Sink) -> bool {
        let CompactError::EmptyPart {
            part: crate::jose::compact::PartName::Signature,
            ..
        } = e
        else {
            return false;
        };
        let padded = format!("{}AA", self.view.text.value);
        let Ok(j) = crate::jose::compact::parse(&padded) else {
            return false;
        };
        let Some(m) = j.header.value.get("alg") else {
            return false;
        };
        let Some(a) = m
            .value
            .as_str()
            .filter(|a| a.value.eq_ignore_ascii_case("none"))
        else {
            return false;
        };
        sink.push(
            Finding::new(&ALG_NONE, format!("`alg` is \"{}\" and the signature part is empty: the proof is unsigned, so it proves possession of nothing", a.value))
                .field("dpop")
                .label(self.view.span(j.header.raw.clone()), "proof header (base64url)")
                .help("sign the proof with the private key whose public half is in `jwk`, e.g. ES256 (`tokenlint dpop proof`)"),
        );
        true
    }

    fn malformed(&self, e: &CompactError, sink: &mut Sink) {
        let value = &self.view.text.value;
        let whole = self.view.text.span;
        if let CompactError::Base64 { .. } = e {
            let raw = e.raw(value.len());
            let trimmed = value.trim();
            let help = if trimmed.len() != value.len() {
                "remove the whitespace around the proof".to_owned()
            } else if value.starts_with("DPoP ") {
                "give the DPoP header's value only, without the `DPoP ` prefix".to_owned()
            } else {
                "encode each part with base64url (`-` and `_`) and strip the `=` padding (RFC 7515 §2)".to_owned()
            };
            sink.push(
                Finding::new(
                    &B64URL,
                    format!("the DPoP proof is not valid compact JWS: {}", e.describe()),
                )
                .field("dpop")
                .label(self.view.span(raw), "not base64url")
                .help(help),
            );
            return;
        }
        let (message, help) = if value.contains(',') {
            (
                format!(
                    "the DPoP value holds {} comma-separated values: several DPoP header fields were joined; a request must carry exactly one proof (RFC 9449 §4.3 (1))",
                    value.split(',').count()
                ),
                "send exactly one DPoP header with one proof".to_owned(),
            )
        } else if value.trim() != value.as_str() || value.starts_with("DPoP ") {
            (
                format!("the DPoP value is not a compact JWS: {}", e.describe()),
                "give only the proof (header.payload.signature), without whitespace or a `DPoP ` prefix".to_owned(),
            )
        } else {
            (
                format!("the DPoP value is not a compact JWS: {}", e.describe()),
                "a DPoP proof is a signed JWT in compact form: base64url(header).base64url(payload).base64url(signature); make one with `tokenlint dpop proof`".to_owned(),
            )
        };
        let mut f = Finding::new(&MALFORMED, message)
            .field("dpop")
            .label(
                if matches!(e, CompactError::Empty) {
                    whole
                } else {
                    self.view.span(e.raw(value.len()))
                },
                "here",
            )
            .help(help);
        if let CompactError::NotJson {
            part,
            text,
            message,
            offset,
            ..
        } = e
        {
            f = f.decoded(Some(crate::lint::Decoded {
                title: format!("DPoP proof {} (decoded)", part.as_str()),
                text: text.clone(),
                labels: vec![crate::lint::Label {
                    span: Span::new((*offset).min(text.len()), 0),
                    text: message.clone(),
                }],
            }));
        }
        sink.push(f);
    }

    fn typ(&self, sink: &mut Sink) {
        let Some(m) = self.view.header("typ") else {
            sink.push(
                self.at(&TYP, Part::Header, "the proof header has no `typ`; a DPoP proof must say `\"typ\": \"dpop+jwt\"`".into(), None, "")
                    .help("add \"typ\": \"dpop+jwt\" to the JWS header (explicit typing keeps other JWTs from being accepted as proofs, RFC 9449 §11.5)"),
            );
            return;
        };
        let Some(t) = m.value.as_str() else {
            sink.push(
                self.at(
                    &TYP,
                    Part::Header,
                    format!("`typ` is {}, not the string \"dpop+jwt\"", m.value.kind()),
                    Some(member_span(m)),
                    "not a string",
                )
                .help("set \"typ\": \"dpop+jwt\""),
            );
            return;
        };
        let t = t.value.as_str();
        let p = self.cx.profile;
        if p.typ_matches(t) {
            if t != "dpop+jwt" {
                sink.push(
                    self.at(&TYP_NONCANONICAL, Part::Header, format!("`typ` is \"{t}\", which {} accepts, but Keycloak compares it exactly and Nimbus/Spring do not strip `application/`", self.profile_name()), Some(member_span(m)), "write \"dpop+jwt\"")
                        .help("write exactly \"typ\": \"dpop+jwt\": every server accepts that form"),
                );
            }
            return;
        }
        let why = if t.eq_ignore_ascii_case("jwt+dpop") {
            " (the two halves are swapped)".to_owned()
        } else if t.eq_ignore_ascii_case("jwt") {
            " (that is a plain JWT; a proof needs its own type)".to_owned()
        } else if t.eq_ignore_ascii_case("dpop+jwt")
            || t.eq_ignore_ascii_case("application/dpop+jwt")
        {
            match p.typ {
                TypMatch::Exact => format!(
                    " ({} compares typ exactly, case included)",
                    self.profile_name()
                ),
                _ => format!(
                    " ({} does not strip the `application/` prefix)",
                    self.profile_name()
                ),
            }
        } else {
            String::new()
        };
        sink.push(
            self.at(
                &TYP,
                Part::Header,
                format!("`typ` is \"{t}\", not \"dpop+jwt\"{why}"),
                Some(member_span(m)),
                "expected \"dpop+jwt\"",
            )
            .help("set \"typ\": \"dpop+jwt\" in the JWS header"),
        );
    }

    /// Checks `alg`; returns it when it is a registered asymmetric algorithm.
    fn alg(&self, sink: &mut Sink) -> Option<&'static jwk::Alg> {
        let Some(m) = self.view.header("alg") else {
            sink.push(
                self.at(&ALG_NOT_ALLOWED, Part::Header, "the proof header has no `alg`".into(), None, "")
                    .help("sign the proof with an asymmetric algorithm and name it in `alg` (ES256 is accepted everywhere)"),
            );
            return None;
        };
        let Some(a) = m.value.as_str() else {
            sink.push(
                self.at(
                    &ALG_NOT_ALLOWED,
                    Part::Header,
                    format!("`alg` is {}, not a string", m.value.kind()),
                    Some(member_span(m)),
                    "not a string",
                )
                .help("set `alg` to the signing algorithm, e.g. \"ES256\""),
            );
            return None;
        };
        let a = a.value.as_str();
        let span = Some(member_span(m));
        if a.eq_ignore_ascii_case("none") {
            sink.push(
                self.at(&ALG_NONE, Part::Header, format!("`alg` is \"{a}\": the proof is unsigned, so it proves possession of nothing"), span, "unsigned")
                    .help("sign the proof with the private key whose public half is in `jwk`, e.g. ES256 (`tokenlint dpop proof`)"),
            );
            return None;
        }
        let found = jwk::find_alg(a);
        if let Some(alg) = found {
            if alg.kind == AlgKind::Mac {
                sink.push(
                    self.at(&ALG_SYMMETRIC, Part::Header, format!("`alg` is {a}, a MAC: a shared secret cannot prove possession of a key the server can check, so RFC 9449 forbids symmetric algorithms"), span, "symmetric")
                        .help("use an asymmetric key pair (ES256, EdDSA, PS256, RS256…) and put the public key in `jwk`"),
                );
                return None;
            }
        }
        let p = self.cx.profile;
        match found {
            None => {
                let close = jwk::ALGS
                    .iter()
                    .find(|x| x.name.eq_ignore_ascii_case(a))
                    .map(|x| {
                        format!(
                            "; algorithm names are case-sensitive: did you mean {}?",
                            x.name
                        )
                    })
                    .unwrap_or_default();
                sink.push(
                    self.at(
                        &ALG_NOT_ALLOWED,
                        Part::Header,
                        format!("`alg` \"{a}\" is not a registered JWS algorithm{close}"),
                        span,
                        "unknown algorithm",
                    )
                    .help(format!("use one of {}", p.algs.join(", "))),
                );
                None
            }
            Some(alg) if !p.allows_alg(a) => {
                sink.push(
                    self.at(&ALG_NOT_ALLOWED, Part::Header, format!("`alg` {a} is not accepted by the {} profile (it accepts {})", p.name, p.algs.join(", ")), span, "not accepted here")
                        .help("ES256 is the one algorithm every server accepts by default; check the server's dpop_signing_alg_values_supported"),
                );
                Some(alg)
            }
            Some(alg) => Some(alg),
        }
    }

    fn crit(&self, sink: &mut Sink) {
        let Some(m) = self.view.header("crit") else {
            return;
        };
        let names: Vec<String> = match m.value.as_array() {
            Some(items) if !items.is_empty() => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map_or_else(|| format!("({})", v.kind()), |t| format!("`{}`", t.value))
                })
                .collect(),
            Some(_) => vec!["nothing (an empty list, which RFC 7515 forbids)".into()],
            None => vec![format!("{} instead of a list", m.value.kind())],
        };
        sink.push(
            self.at(&CRIT, Part::Header, format!("`crit` lists {}: a DPoP server understands no JWS extensions and MUST reject a critical one it does not know", names.join(", ")), Some(member_span(m)), "critical extension")
                .help("remove `crit` (and the extension it marks) from the proof header"),
        );
    }

    /// Checks `jwk`; returns whether it is usable to verify the signature.
    fn jwk(&self, alg: Option<&'static jwk::Alg>, sink: &mut Sink) -> bool {
        let Some(m) = self.view.header("jwk") else {
            let kid = if self.view.header("kid").is_some() {
                " (a `kid` alone does not work: the server has no key set for DPoP proofs)"
            } else {
                ""
            };
            sink.push(
                self.at(&JWK_MISSING, Part::Header, format!("the proof header has no `jwk`: the public key must be embedded in the proof{kid}"), None, "")
                    .help("put the public key as a JWK in the header's `jwk` (`tokenlint dpop proof` does it)"),
            );
            return false;
        };
        let Some(members) = m.value.as_object() else {
            sink.push(
                self.at(
                    &JWK_MISSING,
                    Part::Header,
                    format!("`jwk` is {}, not a JSON object (a JWK)", m.value.kind()),
                    Some(member_span(m)),
                    "not a JWK object",
                )
                .help("`jwk` must be the JWK object itself, not a string holding it or a JWK Set"),
            );
            return false;
        };
        let private = self.view.private_member_spans();
        let kty = members
            .iter()
            .find(|x| x.key.value == "kty")
            .and_then(|x| x.value.as_str())
            .map(|t| t.value.clone());
        if !private.is_empty() {
            let names: Vec<String> = private
                .iter()
                .map(|x| format!("`{}`", x.key.value))
                .collect();
            let message = if kty.as_deref() == Some("oct") {
                "`jwk` is a symmetric (kty oct) key: its `k` member is the secret itself, sent in clear to the server".to_owned()
            } else {
                format!("`jwk` contains the private key ({}): anyone who sees this proof can now sign proofs with the key", names.join(", "))
            };
            let labels: Vec<(Span, &str)> = private
                .iter()
                .map(|x| (member_span(x), "private key member"))
                .collect();
            sink.push(
                Finding::new(&JWK_PRIVATE, message)
                    .field("dpop")
                    .label(self.view.part_span(Part::Header), "proof header (masked: it holds a private key)")
                    .decoded(self.view.decoded(Part::Header, &labels))
                    .help("embed only the public key: for EC/OKP keep kty, crv, x, y; for RSA kty, n, e. Treat this key as compromised and generate a new one (`tokenlint dpop keygen`)"),
            );
            return false;
        }
        let Some(alg) = alg else {
            return false;
        };
        // `use` and `alg` inside the JWK (node-oidc-provider checks both).
        let checks: [(&str, MemberCheck); 2] = [("use", |v, _| v == "sig"), ("alg", |v, a| v == a)];
        for (name, ok) in checks {
            if let Some(x) = members.iter().find(|x| x.key.value == name) {
                let v = x.value.as_str().map(|t| t.value.as_str()).unwrap_or("");
                if !ok(v, alg.name) {
                    let want = if name == "use" {
                        "sig".to_owned()
                    } else {
                        alg.name.to_owned()
                    };
                    sink.push(
                        self.at(&JWK_ALG_MISMATCH, Part::Header, format!("the jwk's `{name}` is \"{v}\" but must be \"{want}\" when present (node-oidc-provider rejects it)"), Some(member_span(x)), "conflicts with the proof")
                            .help(format!("remove `{name}` from the embedded JWK, or set it to \"{want}\"")),
                    );
                }
            }
        }
        let Some(key) = self.view.public_key() else {
            return false;
        };
        match key {
            Ok(_) => true,
            Err(KeyError::Mismatch(msg)) => {
                let msg = msg.clone();
                let at = members
                    .iter()
                    .find(|x| x.key.value == "kty")
                    .map(member_span);
                let alg_m = self.view.header("alg").map(member_span);
                let mut labels: Vec<(Span, &str)> = Vec::new();
                if let Some(s) = alg_m {
                    labels.push((s, "this algorithm"));
                }
                if let Some(s) = at {
                    labels.push((s, "this key type"));
                }
                sink.push(
                    Finding::new(&JWK_ALG_MISMATCH, format!("the key does not fit the algorithm: {msg}"))
                        .field("dpop")
                        .label(self.view.part_span(Part::Header), "proof header (base64url)")
                        .decoded(self.view.decoded(Part::Header, &labels))
                        .help("ES256/384/512 need EC P-256/P-384/P-521 keys, ES256K secp256k1, RS*/PS* RSA, EdDSA an OKP Ed25519/Ed448 key: set `alg` to match the key that signed"),
                );
                false
            }
            Err(KeyError::NoPublicKey) => false,
            Err(e) => {
                let at = e
                    .member()
                    .and_then(|n| members.iter().find(|x| x.key.value == n))
                    .map(member_span)
                    .or(Some(member_span(m)));
                sink.push(
                    self.at(&JWK_INVALID, Part::Header, format!("the embedded jwk is not a valid {} public key: {}", kty.as_deref().unwrap_or("?"), e.describe()), at, "invalid")
                        .help("export the public key again from the key pair that signs (`tokenlint dpop keygen` prints one); RSA keys need at least 2048 bits"),
                );
                false
            }
        }
    }

    fn key_refs(&self, sink: &mut Sink) {
        for name in ["kid", "jku", "x5u", "x5c"] {
            if let Some(m) = self.view.header(name) {
                let why = match name {
                    "kid" => "servers ignore it at best; a DPoP key is identified by its thumbprint, not a kid",
                    "jku" | "x5u" => "a server that followed it would fetch a key from a URL the client chose",
                    _ => "a certificate chain adds nothing to a DPoP proof and servers do not validate it",
                };
                sink.push(
                    self.at(&KEY_REFERENCE, Part::Header, format!("the proof header has `{name}` besides `jwk`: {why}"), Some(member_span(m)), "key reference")
                        .help(format!("remove `{name}`: a DPoP proof carries its key only in `jwk` (RFC 9449 §4.2)")),
                );
            }
        }
    }

    fn signature(&self, sink: &mut Sink) {
        let Ok(jws) = &self.view.jws else {
            return;
        };
        let span = self.view.span(jws.signature_raw.clone());
        let tp = self
            .view
            .thumbprint()
            .map(|t| format!(" (jwk thumbprint {t})"))
            .unwrap_or_default();
        let (message, help) = match self.view.verification() {
            Verification::Valid | Verification::NotChecked => return,
            Verification::Invalid => (
                format!("the signature does not verify with the embedded jwk{tp}"),
                "the proof was changed after signing, or signed with another key than the one in `jwk`: sign header.payload with the private half of `jwk`, and do not re-encode the parts afterwards",
            ),
            Verification::Malformed(m) => (
                format!("the signature is malformed: {m}"),
                "JWS ECDSA signatures are the raw r || s octets (RFC 7518 §3.4), not DER; most JOSE libraries do this for you",
            ),
        };
        sink.push(
            Finding::new(&SIGNATURE, message)
                .field("dpop")
                .label(span, "signature")
                .help(help),
        );
    }

    fn claims(&self, sink: &mut Sink) {
        let payload_members: &[Member] = self
            .view
            .part(Part::Payload)
            .and_then(|p| p.value.as_object())
            .unwrap_or(&[]);
        let mut present = |name: &str, want: &str, ok: fn(&Node) -> bool| -> Option<&Member> {
            match self.view.claim(name) {
                Some(m) if ok(&m.value.node) => Some(m),
                Some(m) => {
                    sink.push(
                        self.at(
                            &CLAIM_MISSING,
                            Part::Payload,
                            format!(
                                "the `{name}` claim is {}, but must be {want}",
                                m.value.kind()
                            ),
                            Some(member_span(m)),
                            "wrong type",
                        )
                        .help(format!("give `{name}` as {want}")),
                    );
                    None
                }
                None => {
                    let typo = payload_members.iter().find(|m| {
                        let k = m.key.value.as_str();
                        !KNOWN_CLAIMS.contains(&k)
                            && (k.eq_ignore_ascii_case(name)
                                || edit_distance(k, name) <= 2 && k.len() >= 2)
                    });
                    let (msg, at) = match typo {
                        Some(t) => (
                            format!(
                                "the proof has no `{name}` claim; it has `{}` instead: a typo?",
                                t.key.value
                            ),
                            Some(member_span(t)),
                        ),
                        None => (
                            format!(
                                "the proof has no `{name}` claim, which RFC 9449 §4.2 requires"
                            ),
                            None,
                        ),
                    };
                    sink.push(
                        self.at(&CLAIM_MISSING, Part::Payload, msg, at, "did you mean this?")
                            .help(format!("add `{name}` ({want}) to the proof's claims: a DPoP proof needs jti, htm, htu and iat")),
                    );
                    None
                }
            }
        };
        let is_str = |n: &Node| matches!(n, Node::String(t) if !t.value.is_empty());
        let is_num = |n: &Node| matches!(n, Node::Number(_));
        let jti = present("jti", "a non-empty string", is_str);
        let htm = present("htm", "a non-empty string (the HTTP method)", is_str);
        let htu = present("htu", "a non-empty string (the target URI)", is_str);
        let iat = present("iat", "a number (seconds since the epoch)", is_num);
        if let Some(m) = jti {
            self.jti(m, sink);
        }
        if let Some(m) = htm {
            self.htm(m, sink);
        }
        if let Some(m) = htu {
            self.htu(m, sink);
        }
        if let Some(m) = iat {
            self.iat(m, sink);
        }
        self.exp(sink);
        self.nonce(sink);
        if let Some(m) = self.view.claim("ath") {
            sink.push(
                self.at(&ATH_AT_TOKEN_ENDPOINT, Part::Payload, "the proof has an `ath` (access-token hash), but a token request presents no access token to bind; RFC 9449 adds ath only for resource requests".into(), Some(member_span(m)), "not used here")
                    .help("make a separate proof for the token request, without ath; a proof reused from a resource request also has the wrong htm/htu"),
            );
        }
    }

    fn jti(&self, m: &Member, sink: &mut Sink) {
        let Some(t) = m.value.as_str() else { return };
        let jti = t.value.as_str();
        let n = jti.chars().count();
        if n > MAX_JTI {
            sink.push(
                self.at(&JTI_TOO_LONG, Part::Payload, format!("`jti` is {n} characters long; servers store jtis to detect replays and may reject one longer than {MAX_JTI} (RFC 9449 §11.1)"), Some(member_span(m)), format!("{n} characters").as_str())
                    .help("use 16 to 32 random octets, base64url-encoded (22 to 43 characters), or a UUIDv4"),
            );
            return;
        }
        if let Some(why) = weak_jti(jti) {
            sink.push(
                self.at(&JTI_WEAK, Part::Payload, format!("`jti` \"{jti}\" {why}; RFC 9449 §4.2 asks for at least 96 bits of pseudorandom data or a version 4 UUID"), Some(member_span(m)), "not random enough")
                    .help("generate it from a cryptographic random source: 16 random octets base64url-encoded (22 characters), or a UUIDv4"),
            );
        }
    }

    fn htm(&self, m: &Member, sink: &mut Sink) {
        let Some(t) = m.value.as_str() else { return };
        let claim = t.value.as_str();
        let (target, from) = match &self.cx.req.htm {
            Some(h) if !h.value.is_empty() => (h.value.as_str(), Some(h.span)),
            _ => ("POST", None),
        };
        if claim == target {
            return;
        }
        let only_case = claim.eq_ignore_ascii_case(target);
        let mut f = if only_case && self.cx.profile.htm == HtmMatch::CaseInsensitive {
            self.at(&HTM_MISMATCH, Part::Payload, format!("`htm` is \"{claim}\" and the request method is {target}: {} compares methods ignoring case, but HTTP methods are case-sensitive (RFC 9110 §9.1) and every other server rejects it", self.profile_name()), Some(member_span(m)), "wrong case")
                .severity(Severity::Warning)
        } else if only_case {
            self.at(&HTM_MISMATCH, Part::Payload, format!("`htm` is \"{claim}\" but the request method is {target}: methods are case-sensitive (RFC 9110 §9.1); only Spring accepts another case"), Some(member_span(m)), "wrong case")
        } else {
            let default = if from.is_none() {
                " (the default: Authlete's htm is POST unless the request says otherwise)"
            } else {
                ""
            };
            self.at(
                &HTM_MISMATCH,
                Part::Payload,
                format!("`htm` is \"{claim}\" but the request method is {target}{default}"),
                Some(member_span(m)),
                format!("expected {target}").as_str(),
            )
        };
        if let Some(s) = from {
            f = f.label(s, "the request's method");
        }
        sink.push(f.help(format!("make the proof for this request: htm must be exactly \"{target}\"; a token request is always POST")));
    }

    fn htu(&self, m: &Member, sink: &mut Sink) {
        let Some(t) = m.value.as_str() else { return };
        let claim = t.value.as_str();
        let parts = match htu::parse(claim) {
            Ok(p) => p,
            Err(why) => {
                sink.push(
                    self.at(&HTU_INVALID, Part::Payload, format!("`htu` \"{claim}\" is not an absolute http(s) URI: {why}"), Some(member_span(m)), "not an absolute URI")
                        .help("htu is the full URL the request is sent to, e.g. https://as.example.com/token, without query and fragment"),
                );
                return;
            }
        };
        let p = self.cx.profile;
        if let Some(r) = parts.query.clone().or(parts.fragment.clone()) {
            let what = if parts.query.is_some() {
                "a query"
            } else {
                "a fragment"
            };
            let start = r.start;
            let end = parts.fragment.as_ref().map_or(r.end, |f| f.end);
            let sub = t.sub_span(start..end);
            let (sev, servers) = match p.htu_query {
                QueryPolicy::Reject => (Severity::Error, format!("{} rejects it; node-oidc-provider and Keycloak strip it, Nimbus and Spring compare the whole string and reject it", p.name)),
                QueryPolicy::Ignore => (Severity::Warning, format!("{} strips it before comparing, but Nimbus and Spring compare the whole string and reject it", p.name)),
            };
            sink.push(
                self.at(&HTU_QUERY, Part::Payload, format!("`htu` has {what} (`{}`): RFC 9449 §4.2 says htu is the target URI without query and fragment; {servers}", &claim[start..end]), Some(sub), "remove this")
                    .severity(sev)
                    .help(format!("use `{}` as htu", htu::strip_query(claim))),
            );
        }
        let (target, target_span, from) = match &self.cx.req.htu {
            Some(h) if !h.value.is_empty() => (h.value.clone(), Some(h.span), "the request's htu"),
            _ => match &self.cx.settings.token_endpoint {
                Some(ep) => (
                    ep.clone(),
                    None,
                    "the token endpoint (tokenlint.toml token-endpoint)",
                ),
                None => {
                    sink.push(
                        self.at(&HTU_UNKNOWN_TARGET, Part::Payload, format!("no target URI is known, so `htu` \"{claim}\" was not compared: Authlete compares it with the request's htu or, when absent, the service's tokenEndpoint"), Some(member_span(m)), "not compared")
                            .help("give the URL the client called: `htu` in the fixture (--htu), or token-endpoint = \"https://…/token\" in tokenlint.toml"),
                    );
                    return;
                }
            },
        };
        let mode = p.htu;
        let with_target = |f: Finding| match target_span {
            Some(s) => f.label(s, "the request's URI"),
            None => f,
        };
        match htu::compare(claim, &target, mode, true) {
            Comparison::Equal => {}
            Comparison::EqualAfterNormalization { .. } => {
                let who = match mode {
                    HtuCompare::Normalized => format!(
                        "{} normalizes both (RFC 3986 §6.2.2/§6.2.3) and accepts it",
                        p.name
                    ),
                    HtuCompare::JavaUri => format!(
                        "{} (java.net.URI.equals) ignores the case of scheme, host and %-escapes",
                        p.name
                    ),
                    HtuCompare::Exact => String::new(),
                };
                sink.push(with_target(
                    self.at(&HTU_NOT_NORMALIZED, Part::Payload, format!("`htu` \"{}\" equals {from} `{target}` only after normalization: {who}, but Nimbus and Spring compare strings exactly", htu::strip_query(claim)), Some(member_span(m)), "not in normal form"))
                        .help(format!("write htu exactly as `{}`", htu::normalize(&target).unwrap_or(target.clone()))),
                );
            }
            Comparison::Differs { hint } => {
                sink.push(with_target(
                    self.at(&HTU_MISMATCH, Part::Payload, format!("`htu` \"{}\" does not match {from} `{target}`: {hint}", htu::strip_query(claim)), Some(member_span(m)), "not the token endpoint"))
                        .help("htu must be the URL the server sees the request at. Behind a proxy, configure the public URL (Authlete: the service's tokenEndpoint, or pass htu); in the client, build htu from the endpoint URL in the server's metadata"),
                );
            }
        }
    }

    fn iat(&self, m: &Member, sink: &mut Sink) {
        let Node::Number(raw) = &m.value.node else {
            return;
        };
        let Some(iat) = m.value.as_f64() else { return };
        if raw.contains(['.', 'e', 'E']) && iat.fract() != 0.0 {
            sink.push(
                self.at(&IAT_FRACTIONAL, Part::Payload, format!("`iat` is {raw}, with a fractional part: NumericDate allows it, but Keycloak reads iat as an integer and many libraries do too (josekit's set_issued_at writes fractions)"), Some(member_span(m)), "fractional")
                    .help("write whole seconds: iat = floor(now)"),
            );
        }
        let p = self.cx.profile;
        if p.iat_skipped_with_nonce && self.view.claim("nonce").is_some() {
            return; // the server relies on its nonce for freshness
        }
        let now = self.cx.settings.now;
        let (past, future) = self.cx.iat_window();
        let iat_s = iat.floor() as i64;
        // Far-off values must not overflow: clamp to ±100 years.
        let age = now
            .saturating_sub(iat_s)
            .clamp(-3_155_760_000, 3_155_760_000);
        let (outside, what) = if age > past {
            (
                age - past,
                format!(
                    "{} in the past; {} accepts proofs at most {past} s old",
                    duration(age),
                    p.name
                ),
            )
        } else if -age > future {
            (
                -age - future,
                format!(
                    "{} in the future; {} accepts at most {future} s of clock lead",
                    duration(-age),
                    p.name
                ),
            )
        } else {
            return;
        };
        sink.push(
            self.at(&IAT_OUT_OF_WINDOW, Part::Payload, format!("`iat` {iat_s} ({}) is {what}: {} outside the window (now is {})", format_rfc3339(iat_s), duration(outside), format_rfc3339(now)), Some(member_span(m)), "outside the window")
                .help("make a fresh proof right before each request; if the client's clock is off, fix its time sync (or derive the offset from the server's Date header). For saved fixtures, pin the clock with --now"),
        );
    }

    fn exp(&self, sink: &mut Sink) {
        let Some(m) = self.view.claim("exp") else {
            return;
        };
        let Some(exp) = m.value.as_f64() else { return };
        let now = self.cx.settings.now;
        let exp = exp.floor() as i64;
        if exp < now && now.checked_sub(exp).is_some() {
            sink.push(
                self.at(&EXPIRED, Part::Payload, format!("the proof expired at {} ({} before now, {})", format_rfc3339(exp), duration(now.saturating_sub(exp)), format_rfc3339(now)), Some(member_span(m)), "in the past")
                    .help("make a fresh proof for each request; exp is optional in a DPoP proof, and when present it must be in the future"),
            );
        }
    }

    fn nonce(&self, sink: &mut Sink) {
        let required = self.cx.req.dpop_nonce_required;
        let nonce = self.view.claim("nonce");
        let Some(m) = nonce else {
            if let Some(r) = required.filter(|r| r.value) {
                sink.push(
                    self.at(&NONCE_MISSING, Part::Payload, "the request sets dpopNonceRequired, but the proof has no `nonce`: the server answers use_dpop_nonce with a DPoP-Nonce header".into(), None, "")
                        .label(r.span, "nonce required here")
                        .help("retry with the nonce from the server's DPoP-Nonce response header in the proof's `nonce` claim (and a fresh jti and iat); browsers need the header exposed through CORS"),
                );
            }
            return;
        };
        match m.value.as_str() {
            Some(t) if !t.value.is_empty() && t.value.chars().all(is_nqchar) => {}
            Some(t) => {
                let bad: Vec<String> = t
                    .value
                    .chars()
                    .filter(|c| !is_nqchar(*c))
                    .take(4)
                    .map(|c| format!("{c:?}"))
                    .collect();
                let msg = if t.value.is_empty() {
                    "`nonce` is empty; RFC 9449 §8.1 requires 1*NQCHAR".to_owned()
                } else {
                    format!("`nonce` contains {}, outside NQCHAR (%x21 / %x23-5B / %x5D-7E: visible ASCII except `\"` and `\\`)", bad.join(", "))
                };
                sink.push(
                    self.at(
                        &NONCE_SYNTAX,
                        Part::Payload,
                        msg,
                        Some(member_span(m)),
                        "not 1*NQCHAR",
                    )
                    .help("copy the server's DPoP-Nonce header value unchanged into `nonce`"),
                );
            }
            None => {
                sink.push(
                    self.at(
                        &NONCE_SYNTAX,
                        Part::Payload,
                        format!("`nonce` is {}, not a string", m.value.kind()),
                        Some(member_span(m)),
                        "not a string",
                    )
                    .help("copy the server's DPoP-Nonce header value, as a string, into `nonce`"),
                );
            }
        }
        let required = required.map(|r| r.value);
        if required == Some(true) {
            return;
        }
        let p = self.cx.profile;
        let sev = match (p.nonce_unrequested, required) {
            (NoncePolicy::Reject, _) => Severity::Error,
            (NoncePolicy::Ignore, Some(false)) => Severity::Warning,
            (NoncePolicy::Ignore, _) => return,
        };
        let why = match p.nonce_unrequested {
            NoncePolicy::Reject => format!("{} rejects a nonce it did not issue", p.name),
            NoncePolicy::Ignore => format!("{} ignores it, but Nimbus rejects it as a prohibited claim and node-oidc-provider without nonce support answers 'DPoP nonces are not supported'", p.name),
        };
        let asked = if required == Some(false) {
            "the request says dpopNonceRequired: false"
        } else {
            "the request does not ask for one (dpopNonceRequired)"
        };
        sink.push(
            self.at(&NONCE_UNEXPECTED, Part::Payload, format!("the proof carries a `nonce` but {asked}: {why}"), Some(member_span(m)), "unrequested nonce")
                .severity(sev)
                .help("send a nonce only after the server gave one in a DPoP-Nonce header; or, when the server does require nonces, set dpopNonceRequired"),
        );
    }

    fn with_mtls(&self, sink: &mut Sink) {
        let Some(cert) = &self.cx.req.client_certificate else {
            return;
        };
        if cert.value.trim().is_empty() {
            return;
        }
        sink.push(
            Finding::new(&WITH_MTLS, "the request has both a DPoP proof and a client certificate: if the client is registered for certificate-bound tokens (tls_client_certificate_bound_access_tokens), the token cannot be bound twice and node-oidc-provider rejects it ('multiple proof-of-possession mechanisms are not allowed')")
                .field("clientCertificate")
                .label(cert.span, "client certificate")
                .label(self.view.text.span, "DPoP proof")
                .help("mTLS client authentication with DPoP-bound tokens is fine; binding the token to both the certificate and the DPoP key is not: pick one binding in the client registration"),
        );
    }
}

/// Whether a JWK member's value is acceptable for the header's `alg`.
type MemberCheck = fn(&str, &str) -> bool;

/// Claims a DPoP proof may carry; not suggested as typos of each other.
const KNOWN_CLAIMS: &[&str] = &["jti", "htm", "htu", "iat", "ath", "nonce", "exp", "nbf"];

/// RFC 9449 §8.1: `NQCHAR = %x21 / %x23-5B / %x5D-7E`.
pub fn is_nqchar(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

/// Why a `jti` looks weak, if it does.
pub fn weak_jti(jti: &str) -> Option<String> {
    let b = jti.as_bytes();
    let is_uuid = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_uuid {
        let v = b[14] as char;
        return if v == '4' {
            None
        } else {
            Some(format!(
                "is a version {v} UUID, which is not (or not all) random"
            ))
        };
    }
    let n = jti.chars().count() as f64;
    let bits_per_char = if jti.chars().all(|c| c.is_ascii_digit()) {
        10f64.log2()
    } else if jti.chars().all(|c| c.is_ascii_hexdigit()) {
        4.0
    } else if jti
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        6.0
    } else {
        // Any wider alphabet: count as base64url, conservatively.
        6.0
    };
    let bits = (n * bits_per_char).floor();
    if bits < 96.0 {
        return Some(format!("has at most {bits} bits ({n} characters)"));
    }
    let mut distinct: Vec<char> = jti.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 8 {
        return Some(format!(
            "uses only {} distinct characters, so it is not random",
            distinct.len()
        ));
    }
    None
}

fn duration(s: i64) -> String {
    let s = s.abs();
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min {} s ({s} s)", s / 60, s % 60)
    } else if s < 172_800 {
        format!("{} h {} min ({s} s)", s / 3600, s % 3600 / 60)
    } else {
        format!("{} days ({s} s)", s / 86400)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jti_strength() {
        assert_eq!(weak_jti("-BwC3ESc6acc2lTc"), None); // RFC 9449: 16 chars = 96 bits
        assert_eq!(weak_jti("e1j3V_bKic8-LAEB"), None);
        assert!(weak_jti("12345").is_some());
        assert!(weak_jti("deadbeefdeadbeef").is_some()); // 64 bits of hex
        assert_eq!(weak_jti("0b4e5d1c-8f5a-4c3b-9d2e-1a2b3c4d5e6f"), None);
        assert!(weak_jti("0b4e5d1c-8f5a-1c3b-9d2e-1a2b3c4d5e6f").is_some());
        assert!(weak_jti("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").is_some());
    }

    #[test]
    fn nqchar() {
        assert!("abc-._~!#$".chars().all(is_nqchar));
        assert!(!is_nqchar('"') && !is_nqchar('\\') && !is_nqchar(' '));
    }
}
