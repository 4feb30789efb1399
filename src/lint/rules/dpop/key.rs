//! The key embedded in the proof (`jwk`) and the signature made with it.

use super::Checker;
use crate::jose::jwk::{self, KeyError};
use crate::json::Member;
use crate::lint::profile::JwkImport;
use crate::lint::view::dpop::{member_span, Verification};
use crate::lint::{Finding, Severity, Sink};
use crate::span::Span;

crate::lint::declare_rules! {
    area: Dpop;
    JWK_MISSING = "dpop/jwk-missing", Error, "RFC 9449 §4.2",
        "The header has no `jwk` (or it is not a JSON object)";
    JWK_PRIVATE = "dpop/jwk-private", Error, "RFC 9449 §4.2, §4.3 (7)",
        "The embedded `jwk` contains a private or symmetric key";
    JWK_ALG_MISMATCH = "dpop/jwk-alg-mismatch", Error,
        "RFC 7518 §3.1; RFC 8037 §3.1; RFC 7517 §4.2, §4.3, §4.4",
        "The `jwk`'s `kty`/`crv` (or its `use`/`key_ops`/`alg`) do not fit the header's `alg`";
    JWK_INVALID = "dpop/jwk-invalid", Error, "RFC 7518 §6.2.1, §3.3; RFC 8017 §3.1; RFC 8725 §3.4",
        "The `jwk` is not a valid public key (point off the curve, weak RSA, bad member)";
    SIGNATURE = "dpop/signature", Error, "RFC 9449 §4.3 (6)",
        "The proof's signature does not verify with its embedded `jwk`";
}

/// The member of a JWK with this name.
fn jwk_member<'m>(members: &'m [Member], name: &str) -> Option<&'m Member> {
    members.iter().rfind(|x| x.key.value == name)
}

impl Checker<'_, '_> {
    /// Checks `jwk`; returns whether it is usable to verify the signature.
    pub(super) fn jwk(&self, alg: Option<&'static jwk::Alg>, sink: &mut Sink) -> bool {
        let Some(m) = self.view.header("jwk") else {
            sink.push(self.jwk_missing());
            return false;
        };
        let Some(members) = m.value.as_object() else {
            sink.push(self.jwk_not_an_object(m));
            return false;
        };
        let kty = jwk_member(members, "kty")
            .and_then(|x| x.value.as_str())
            .map(|t| t.value.as_str());
        let private = self.view.private_member_spans();
        if !private.is_empty() {
            sink.push(self.jwk_private(&private, kty));
            return false;
        }
        let Some(alg) = alg else {
            return false;
        };
        // node-oidc-provider checks `use` and `alg` inside the JWK too.
        for (name, want) in [("use", "sig"), ("alg", alg.name)] {
            if let Some(x) = jwk_member(members, name) {
                let v = x.value.as_str().map(|t| t.value.as_str()).unwrap_or("");
                if v != want {
                    sink.push(self.jwk_member_conflict(x, name, v, want));
                }
            }
        }
        if self.cx.profile.jwk_import == JwkImport::Webcrypto {
            if !self.webcrypto(members, alg, sink) {
                return false;
            }
        } else if let Some(x) = jwk_member(members, "key_ops") {
            self.key_ops(x, sink);
        }
        match self.view.public_key() {
            None | Some(Err(KeyError::NoPublicKey)) => false,
            Some(Ok(_)) => {
                if let Some(e) = self.view.key_forgiven() {
                    let at = e.member().and_then(|n| jwk_member(members, n)).unwrap_or(m);
                    sink.push(self.jwk_forgiven(at, kty, e));
                }
                true
            }
            Some(Err(KeyError::Mismatch(why))) => {
                sink.push(self.jwk_alg_mismatch(members, why));
                false
            }
            Some(Err(e)) => {
                let at = e.member().and_then(|n| jwk_member(members, n)).unwrap_or(m);
                sink.push(self.jwk_invalid(at, kty, e));
                false
            }
        }
    }

    /// RFC 7517 §4.3 `key_ops` on a server that reads the key as RFC 7518
    /// writes it: one without "verify" says the key is not for checking
    /// signatures, as `use` other than "sig" does (an error, like `use`);
    /// one with "verify" and more is refused by WebCrypto servers only.
    fn key_ops(&self, x: &Member, sink: &mut Sink) {
        let ops: Option<Vec<&str>> = x.value.as_array().and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(|t| t.value.as_str()))
                .collect()
        });
        match ops {
            None => sink.push(self.key_ops_conflict(x, None)),
            Some(ops) if !ops.contains(&"verify") => {
                sink.push(self.key_ops_conflict(x, Some(&ops)));
            }
            Some(ops) if ops != ["verify"] => sink.push(
                self.key_ops_conflict(x, Some(&ops))
                    .severity(Severity::Warning),
            ),
            Some(_) => {}
        }
    }

    /// What WebCrypto's `importKey("jwk")` refuses besides RFC 7518: a
    /// `key_ops` other than `["verify"]` for a public key, an `ext` that is
    /// not a boolean, and EdDSA with an Ed448 key (jose's EdDSA is Ed25519).
    /// Returns whether the key imports.
    fn webcrypto(&self, members: &[Member], alg: &jwk::Alg, sink: &mut Sink) -> bool {
        let mut ok = true;
        if let Some(x) = jwk_member(members, "key_ops") {
            let ops: Option<Vec<&str>> = x.value.as_array().and_then(|a| {
                a.iter()
                    .map(|v| v.as_str().map(|t| t.value.as_str()))
                    .collect()
            });
            if ops.as_deref() != Some(&["verify"]) {
                sink.push(self.jwk_webcrypto(x, ops.is_some()));
                ok = false;
            }
        }
        if let Some(x) = jwk_member(members, "ext") {
            if !matches!(x.value.node, crate::json::Node::Bool(_)) {
                sink.push(self.jwk_ext(x));
                ok = false;
            }
        }
        let crv = jwk_member(members, "crv").and_then(|x| x.value.as_str());
        if alg.name == "EdDSA" && crv.is_some_and(|c| c.value == "Ed448") {
            let why = "node-oidc-provider's EdDSA is Ed25519 only (jose): an Ed448 key is refused";
            sink.push(self.jwk_alg_mismatch(members, why));
            ok = false;
        }
        ok
    }

    pub(super) fn signature(&self, sink: &mut Sink) {
        let Ok(jws) = &self.view.jws else {
            return;
        };
        let at = self.view.span(jws.signature_raw.clone());
        match self.view.verification() {
            Verification::Valid | Verification::NotChecked => {}
            Verification::Invalid => sink.push(self.signature_invalid(at)),
            Verification::Malformed(why) => sink.push(signature_malformed(at, why)),
        }
    }
}

// The findings.

/// `["a", "b"]` as `"a", "b"`.
fn quoted(ops: &[&str]) -> String {
    ops.iter()
        .map(|o| format!("{o:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Checker<'_, '_> {
    fn jwk_missing(&self) -> Finding {
        let kid = if self.view.header("kid").is_some() {
            " (a `kid` alone does not work: the server has no key set for DPoP proofs)"
        } else {
            ""
        };
        let message = format!(
            "the proof header has no `jwk`: the public key must be embedded in the proof{kid}"
        );
        self.header_finding(&JWK_MISSING, message)
            .object("here")
            .help(
                "put the public key as a JWK in the header's `jwk` \
                (`tokenlint dpop proof` does it)",
            )
    }

    fn jwk_not_an_object(&self, m: &Member) -> Finding {
        let message = format!("`jwk` is {}, not a JSON object (a JWK)", m.value.kind());
        self.header_finding(&JWK_MISSING, message)
            .member(member_span(m), "not a JWK object")
            .help("`jwk` must be the JWK object itself, not a string holding it or a JWK Set")
    }

    fn jwk_private(&self, private: &[&Member], kty: Option<&str>) -> Finding {
        let message = if kty == Some("oct") {
            "`jwk` is a symmetric (kty oct) key: its `k` member is the secret itself, \
            sent in clear to the server"
                .to_owned()
        } else {
            let names: Vec<String> = private
                .iter()
                .map(|x| format!("`{}`", x.key.value))
                .collect();
            format!(
                "`jwk` contains the private key ({}): anyone who sees this proof can now \
                sign proofs with the key",
                names.join(", ")
            )
        };
        let labels: Vec<(Span, &str)> = private
            .iter()
            .map(|x| (member_span(x), "private key member"))
            .collect();
        self.header_finding(&JWK_PRIVATE, message)
            .caption("proof header (masked: it holds a private key)")
            .members(&labels)
            .help(
                "embed only the public key: for EC/OKP keep kty, crv, x, y; for RSA kty, n, e. \
                Treat this key as compromised and generate a new one (`tokenlint dpop keygen`)",
            )
    }

    fn jwk_member_conflict(&self, x: &Member, name: &str, value: &str, want: &str) -> Finding {
        let message = format!(
            "the jwk's `{name}` is \"{value}\" but must be \"{want}\" when present \
            (node-oidc-provider rejects it)"
        );
        self.header_finding(&JWK_ALG_MISMATCH, message)
            .member(member_span(x), "conflicts with the proof")
            .help(format!(
                "remove `{name}` from the embedded JWK, or set it to \"{want}\""
            ))
    }

    fn jwk_alg_mismatch(&self, members: &[Member], why: &str) -> Finding {
        let alg = self
            .view
            .header("alg")
            .map(|m| (member_span(m), "this algorithm"));
        let kty = jwk_member(members, "kty").map(|m| (member_span(m), "this key type"));
        let labels: Vec<(Span, &str)> = alg.into_iter().chain(kty).collect();
        self.header_finding(
            &JWK_ALG_MISMATCH,
            format!("the key does not fit the algorithm: {why}"),
        )
        .members(&labels)
        .help(
            "ES256/384/512 need EC P-256/P-384/P-521 keys, ES256K secp256k1, RS*/PS* RSA, \
            EdDSA an OKP Ed25519/Ed448 key: set `alg` to match the key that signed",
        )
    }

    fn jwk_invalid(&self, at: &Member, kty: Option<&str>, e: &KeyError) -> Finding {
        let message = format!(
            "the embedded jwk is not a valid {} public key: {}",
            kty.unwrap_or("?"),
            e.describe()
        );
        self.header_finding(&JWK_INVALID, message)
            .member(member_span(at), "invalid")
            .help(
                "export the public key again from the key pair that signs \
                (`tokenlint dpop keygen` prints one); RSA keys need at least 2048 bits",
            )
    }

    /// `ops`: the operations, when `key_ops` is an array of strings.
    fn key_ops_conflict(&self, x: &Member, ops: Option<&[&str]>) -> Finding {
        let name = &self.cx.profile.name;
        let what = match ops {
            None => "`key_ops` is not an array of strings (RFC 7517 §4.3)".to_owned(),
            Some(ops) if !ops.contains(&"verify") => format!(
                "the jwk's `key_ops` is [{}], without \"verify\": RFC 7517 §4.3 says the key is \
                not meant to check signatures, as `use` other than \"sig\" would",
                quoted(ops)
            ),
            Some(ops) => format!(
                "the jwk's `key_ops` is [{}]: a public key only verifies, so \"verify\" alone \
                is what it can do",
                quoted(ops)
            ),
        };
        let message = format!(
            "{what}. Servers differ: node-oidc-provider (WebCrypto importKey) refuses any \
            key_ops but [\"verify\"]; Nimbus, Spring and Keycloak do not read key_ops; {name} \
            is taken to honour RFC 7517"
        );
        self.header_finding(&JWK_ALG_MISMATCH, message)
            .member(member_span(x), "key_ops")
            .help("leave key_ops out of the embedded JWK, or set it to [\"verify\"]")
    }

    fn jwk_webcrypto(&self, x: &Member, strings: bool) -> Finding {
        let name = &self.cx.profile.name;
        let what = if strings {
            "WebCrypto imports a public key for `verify` only, so `key_ops` must be exactly \
            [\"verify\"]"
        } else {
            "`key_ops` must be an array of strings (RFC 7517 §4.3)"
        };
        let message =
            format!("the jwk's key_ops cannot verify the proof: {what}; {name} refuses it");
        self.header_finding(&JWK_INVALID, message)
            .member(member_span(x), "key_ops")
            .help("leave key_ops out of the embedded JWK, or set it to [\"verify\"]")
    }

    fn jwk_ext(&self, x: &Member) -> Finding {
        let message = format!(
            "the jwk's `ext` is {}, not a boolean: {}'s WebCrypto import refuses it",
            x.value.kind(),
            self.cx.profile.name
        );
        self.header_finding(&JWK_INVALID, message)
            .member(member_span(x), "not a boolean")
            .help("leave ext out of the embedded JWK")
    }

    /// A key RFC 7518 refuses that the profile's server imports anyway.
    fn jwk_forgiven(&self, at: &Member, kty: Option<&str>, e: &KeyError) -> Finding {
        let message = format!(
            "the embedded jwk is not a valid {} public key as RFC 7518 writes it ({}); {} \
            imports it anyway (WebCrypto reads either base64 alphabet, padding and a leading \
            zero octet), but a strict server refuses it",
            kty.unwrap_or("?"),
            e.describe(),
            self.cx.profile.name
        );
        self.header_finding(&JWK_INVALID, message)
            .member(member_span(at), "not canonical")
            .severity(Severity::Warning)
            .help("encode each coordinate as unpadded base64url of exactly the curve's size")
    }

    fn signature_invalid(&self, at: Span) -> Finding {
        let tp = self
            .view
            .thumbprint()
            .map(|t| format!(" (jwk thumbprint {t})"))
            .unwrap_or_default();
        Finding::new(
            &SIGNATURE,
            format!("the signature does not verify with the embedded jwk{tp}"),
        )
        .field("dpop")
        .label(at, "signature")
        .help(
            "the proof was changed after signing, or signed with another key than the one in \
            `jwk`: sign header.payload with the private half of `jwk`, and do not re-encode \
            the parts afterwards",
        )
    }
}

fn signature_malformed(at: Span, why: &str) -> Finding {
    Finding::new(&SIGNATURE, format!("the signature is malformed: {why}"))
        .field("dpop")
        .label(at, "signature")
        .help(
            "JWS ECDSA signatures are the raw r || s octets (RFC 7518 §3.4), not DER; most JOSE \
            libraries do this for you",
        )
}
