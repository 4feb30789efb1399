//! The proof's header: `typ`, `alg`, `crit`, and key references besides
//! `jwk`.

use super::Checker;
use crate::jose::jwk::{self, AlgKind};
use crate::json::{Member, Node};
use crate::lint::profile::TypMatch;
use crate::lint::view::dpop::member_span;
use crate::lint::{Finding, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Dpop;
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
    KEY_REFERENCE = "dpop/key-reference", Warning, "RFC 9449 §4.2; RFC 8725 §3.10",
        "The header names a key by `kid`, `jku`, `x5u` or `x5c` besides `jwk`";
}

impl Checker<'_, '_> {
    pub(super) fn typ(&self, sink: &mut Sink) {
        let Some(m) = self.view.header("typ") else {
            return sink.push(self.typ_missing());
        };
        let Some(t) = m.value.as_str() else {
            return sink.push(self.typ_not_a_string(m));
        };
        let t = t.value.as_str();
        if !self.cx.profile.typ_matches(t) {
            sink.push(self.typ_wrong(m, t));
        } else if t != "dpop+jwt" {
            sink.push(self.typ_noncanonical(m, t));
        }
    }

    /// Checks `alg`; returns it when it is a registered asymmetric algorithm.
    pub(super) fn alg(&self, sink: &mut Sink) -> Option<&'static jwk::Alg> {
        let Some(m) = self.view.header("alg") else {
            sink.push(self.alg_missing());
            return None;
        };
        let Some(a) = m.value.as_str() else {
            sink.push(self.alg_not_a_string(m));
            return None;
        };
        let a = a.value.as_str();
        if a.eq_ignore_ascii_case("none") {
            sink.push(self.alg_none(m, a));
            return None;
        }
        let Some(alg) = jwk::find_alg(a) else {
            sink.push(self.alg_unknown(m, a));
            return None;
        };
        if alg.kind == AlgKind::Mac {
            sink.push(self.alg_symmetric(m, a));
            return None;
        }
        if !self.cx.allows_dpop_alg(a) {
            sink.push(self.alg_not_accepted(m, a));
        }
        Some(alg)
    }

    pub(super) fn crit(&self, sink: &mut Sink) {
        let Some(m) = self.view.header("crit") else {
            return;
        };
        if self.crit_understood(m) {
            return;
        }
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
        sink.push(self.crit_listed(m, &names));
    }

    /// Whether the profile's server understands every extension `crit`
    /// lists, as jose does: a non-empty array of names it knows, each
    /// present in the header; `b64` must be `true` in a JWT (RFC 7797 §7).
    fn crit_understood(&self, m: &Member) -> bool {
        let known = &self.cx.profile.crit_understood;
        let Some(items) = m.value.as_array().filter(|a| !a.is_empty()) else {
            return false;
        };
        items.iter().all(|v| {
            let Some(name) = v.as_str().map(|t| t.value.as_str()) else {
                return false;
            };
            let present = self.view.header(name);
            known.iter().any(|k| k == name)
                && present.is_some()
                && (name != "b64"
                    || present.is_some_and(|p| matches!(p.value.node, Node::Bool(true))))
        })
    }

    pub(super) fn key_refs(&self, sink: &mut Sink) {
        for name in ["kid", "jku", "x5u", "x5c"] {
            if let Some(m) = self.view.header(name) {
                sink.push(self.key_reference(m, name));
            }
        }
    }
}

// The findings.

const SIGN_WITH_JWK: &str = "sign the proof with the private key whose public half is in `jwk`, \
    e.g. ES256 (`tokenlint dpop proof`)";

pub(super) fn alg_none_unsigned(alg: &str, header: Span) -> Finding {
    Finding::new(
        &ALG_NONE,
        format!(
            "`alg` is \"{alg}\" and the signature part is empty: the proof is unsigned, \
            so it proves possession of nothing"
        ),
    )
    .field("dpop")
    .label(header, "proof header (base64url)")
    .help(SIGN_WITH_JWK)
}

impl Checker<'_, '_> {
    fn typ_missing(&self) -> Finding {
        self.header_finding(
            &TYP,
            "the proof header has no `typ`; a DPoP proof must say `\"typ\": \"dpop+jwt\"`",
        )
        .object("here")
        .help(
            "add \"typ\": \"dpop+jwt\" to the JWS header (explicit typing keeps other JWTs \
            from being accepted as proofs, RFC 9449 §11.5)",
        )
    }

    fn typ_not_a_string(&self, m: &Member) -> Finding {
        let message = format!("`typ` is {}, not the string \"dpop+jwt\"", m.value.kind());
        self.header_finding(&TYP, message)
            .member(member_span(m), "not a string")
            .help("set \"typ\": \"dpop+jwt\"")
    }

    fn typ_noncanonical(&self, m: &Member, typ: &str) -> Finding {
        let message = format!(
            "`typ` is \"{typ}\", which {} accepts, but Keycloak compares it exactly and \
            Nimbus/Spring do not strip `application/`",
            self.cx.profile.name
        );
        self.header_finding(&TYP_NONCANONICAL, message)
            .member(member_span(m), "write \"dpop+jwt\"")
            .help("write exactly \"typ\": \"dpop+jwt\": every server accepts that form")
    }

    fn typ_wrong(&self, m: &Member, typ: &str) -> Finding {
        let name = &self.cx.profile.name;
        let why = if typ.eq_ignore_ascii_case("jwt+dpop") {
            " (the two halves are swapped)".to_owned()
        } else if typ.eq_ignore_ascii_case("jwt") {
            " (that is a plain JWT; a proof needs its own type)".to_owned()
        } else if typ.eq_ignore_ascii_case("dpop+jwt")
            || typ.eq_ignore_ascii_case("application/dpop+jwt")
        {
            match self.cx.profile.typ {
                TypMatch::Exact => format!(" ({name} compares typ exactly, case included)"),
                _ => format!(" ({name} does not strip the `application/` prefix)"),
            }
        } else {
            String::new()
        };
        self.header_finding(&TYP, format!("`typ` is \"{typ}\", not \"dpop+jwt\"{why}"))
            .member(member_span(m), "expected \"dpop+jwt\"")
            .help("set \"typ\": \"dpop+jwt\" in the JWS header")
    }

    fn alg_missing(&self) -> Finding {
        self.header_finding(&ALG_NOT_ALLOWED, "the proof header has no `alg`")
            .object("here")
            .help(
                "sign the proof with an asymmetric algorithm and name it in `alg` \
                (ES256 is accepted everywhere)",
            )
    }

    fn alg_not_a_string(&self, m: &Member) -> Finding {
        let message = format!("`alg` is {}, not a string", m.value.kind());
        self.header_finding(&ALG_NOT_ALLOWED, message)
            .member(member_span(m), "not a string")
            .help("set `alg` to the signing algorithm, e.g. \"ES256\"")
    }

    fn alg_none(&self, m: &Member, alg: &str) -> Finding {
        let message = format!(
            "`alg` is \"{alg}\": the proof is unsigned, so it proves possession of nothing"
        );
        self.header_finding(&ALG_NONE, message)
            .member(member_span(m), "unsigned")
            .help(SIGN_WITH_JWK)
    }

    fn alg_symmetric(&self, m: &Member, alg: &str) -> Finding {
        let message = format!(
            "`alg` is {alg}, a MAC: a shared secret cannot prove possession of a key the \
            server can check, so RFC 9449 forbids symmetric algorithms"
        );
        self.header_finding(&ALG_SYMMETRIC, message)
            .member(member_span(m), "symmetric")
            .help(
                "use an asymmetric key pair (ES256, EdDSA, PS256, RS256…) and put the public \
                key in `jwk`",
            )
    }

    fn alg_unknown(&self, m: &Member, alg: &str) -> Finding {
        let close = jwk::ALGS
            .iter()
            .find(|x| x.name.eq_ignore_ascii_case(alg))
            .map(|x| {
                format!(
                    "; algorithm names are case-sensitive: did you mean {}?",
                    x.name
                )
            })
            .unwrap_or_default();
        let message = format!("`alg` \"{alg}\" is not a registered JWS algorithm{close}");
        self.header_finding(&ALG_NOT_ALLOWED, message)
            .member(member_span(m), "unknown algorithm")
            .help(format!("use one of {}", self.cx.dpop_algs().join(", ")))
    }

    fn alg_not_accepted(&self, m: &Member, alg: &str) -> Finding {
        let p = self.cx.profile;
        let by = match self.cx.settings.dpop_algs {
            Some(_) => "the server's configured algorithms (dpop-algs)".to_owned(),
            None => format!("the {} profile", p.name),
        };
        let message = format!(
            "`alg` {alg} is not accepted by {by} (it accepts {}){}",
            self.cx.dpop_algs().join(", "),
            self.eddsa_name_note(alg)
        );
        self.header_finding(&ALG_NOT_ALLOWED, message)
            .member(member_span(m), "not accepted here")
            .help(
                "ES256 is the one algorithm every server accepts by default; check the \
                server's dpop_signing_alg_values_supported",
            )
    }

    /// For an EdDSA proof under a name the server does not list while it
    /// lists the other: RFC 9864 named the fully-specified `Ed25519` and
    /// `Ed448` and deprecated the polymorphic `EdDSA`, but servers list one
    /// or the other.
    fn eddsa_name_note(&self, alg: &str) -> String {
        let allows = |a: &str| self.cx.allows_dpop_alg(a);
        let key_crv = self
            .view
            .jwk()
            .and_then(|k| k.get("crv").and_then(|c| c.as_str().map(str::to_owned)));
        match alg {
            "Ed25519" | "Ed448" if allows("EdDSA") => format!(
                ": it knows the same signature by its polymorphic name, so sign the proof with \
                \"alg\": \"EdDSA\" for this server ({alg} is RFC 9864's fully-specified name \
                for it, not yet listed here)"
            ),
            "EdDSA" if key_crv.as_deref().is_some_and(allows) => format!(
                ": it lists the fully-specified name of RFC 9864 instead, so sign the proof \
                with \"alg\": \"{}\" for this server",
                key_crv.unwrap_or_default()
            ),
            _ => String::new(),
        }
    }

    fn crit_listed(&self, m: &Member, names: &[String]) -> Finding {
        let message = format!(
            "`crit` lists {}: a DPoP server understands no JWS extensions and MUST reject a \
            critical one it does not know",
            names.join(", ")
        );
        self.header_finding(&CRIT, message)
            .member(member_span(m), "critical extension")
            .help("remove `crit` (and the extension it marks) from the proof header")
    }

    fn key_reference(&self, m: &Member, name: &str) -> Finding {
        let why = match name {
            "kid" => {
                "servers ignore it at best; a DPoP key is identified by its thumbprint, not a kid"
            }
            "jku" | "x5u" => {
                "a server that followed it would fetch a key from a URL the client chose"
            }
            _ => "a certificate chain adds nothing to a DPoP proof and servers do not validate it",
        };
        let message = format!("the proof header has `{name}` besides `jwk`: {why}");
        self.header_finding(&KEY_REFERENCE, message)
            .member(member_span(m), "key reference")
            .help(format!(
                "remove `{name}`: a DPoP proof carries its key only in `jwk` (RFC 9449 §4.2)"
            ))
    }
}
