//! The words of every `cert/` finding: one constructor per kind of finding,
//! so that the checks read as logic.

use super::chain::{
    CHAIN_BROKEN, CHAIN_SIGNATURE, ISSUER_NOT_CA, PATH_INCLUDES_ROOT, PATH_OUT_OF_ORDER,
    PATH_REPEATS_LEAF, PATH_UNRELATED,
};
use super::leaf::{EKU_NO_CLIENT_AUTH, LEAF_IS_CA, SELF_SIGNED};
use super::read::{DER_WITHOUT_PEM, MULTIPLE_CERTIFICATES, PATH_WITHOUT_LEAF, UNREADABLE};
use super::strength::{Weakness, WEAK_KEY, WEAK_SIGNATURE};
use super::structure::{
    SerialProblem, DUPLICATE_EXTENSION, KEY_CERT_SIGN_NOT_CA, SAN_MALFORMED, SERIAL_NUMBER,
};
use super::validity::{EXPIRED, NOT_YET_VALID};
use super::x5t::X5T_S256;
use super::{Field, Placed, LEAF};
use crate::clock::format_rfc3339;
use crate::lint::Finding;
use crate::x509::{Eku, Item};

/// How a certificate is named in messages: by its field and subject.
fn what(p: &Placed) -> String {
    if p.field.is_leaf {
        format!("the client certificate ({})", p.cert.name())
    } else {
        format!("{} ({})", p.field.name, p.cert.name())
    }
}

/// `n` entries, `n` of them in the plural.
fn entries(n: usize) -> String {
    format!("{n} entr{}", if n == 1 { "y" } else { "ies" })
}

// ---------------------------------------------------------------------- read

const PEM_HELP: &str = "give the certificate in PEM: -----BEGIN CERTIFICATE-----, \
    the base64 DER, -----END CERTIFICATE----- (in JSON, join the lines with \\n)";

pub(super) fn no_certificate(field: &Field, what: &str) -> Finding {
    let message = format!("`{}` holds no certificate: {what}", field.name);
    Finding::new(&UNREADABLE, message)
        .field(&field.name)
        .label(field.whole(), "not a certificate")
        .help(PEM_HELP)
}

pub(super) fn unreadable(field: &Field, item: &Item, what: &str) -> Finding {
    let message = format!("`{}` cannot be read as a certificate: {what}", field.name);
    Finding::new(&UNREADABLE, message)
        .field(&field.name)
        .label(field.span(item), "unreadable")
        .help(PEM_HELP)
}

pub(super) fn der_without_pem(p: &Placed) -> Finding {
    let message = format!(
        "`{}` is a base64 DER certificate ({}) without the PEM lines; Authlete takes PEM",
        p.field.name,
        p.cert.name()
    );
    Finding::new(&DER_WITHOUT_PEM, message)
        .field(p.field_name())
        .label(p.span(), "base64 DER, no armour")
        .help(
            "wrap it: \"-----BEGIN CERTIFICATE-----\\n<the base64, in lines of 64 characters>\
             \\n-----END CERTIFICATE-----\" (`openssl x509 -inform DER -outform PEM` does it)",
        )
}

pub(super) fn multiple_certificates(field: &Field, certs: &[Placed]) -> Finding {
    let names: Vec<String> = certs.iter().map(|p| p.cert.name()).collect();
    let message = format!(
        "`{}` holds {} certificates ({}); it takes exactly one, \
         and Authlete reads only the first",
        field.name,
        certs.len(),
        names.join("; ")
    );
    let mut f = Finding::new(&MULTIPLE_CERTIFICATES, message).field(&field.name);
    for (i, p) in certs.iter().enumerate().skip(1) {
        f = f.label(
            p.span(),
            format!("certificate {} ({})", i + 1, p.cert.name()),
        );
    }
    f.help(if field.is_leaf {
        "keep the client's own certificate in `clientCertificate` and move the others, \
         one per entry, into `clientCertificatePath`"
    } else {
        "give one certificate per `clientCertificatePath` entry"
    })
}

pub(super) fn path_without_leaf(first: &Field, count: usize) -> Finding {
    let message = format!(
        "`clientCertificatePath` has {} but there is no `clientCertificate`: \
         Authlete reads the client's own certificate only from `clientCertificate`",
        entries(count)
    );
    Finding::new(&PATH_WITHOUT_LEAF, message)
        .field("clientCertificatePath")
        .label(first.whole(), "a path without the client's certificate")
        .help(
            "put the client's own certificate (the first one the TLS layer received) \
             in `clientCertificate` and only the intermediates in `clientCertificatePath`",
        )
}

// ------------------------------------------------------------------ validity

/// A span of time as a message gives it: whole days, or seconds under a day.
fn duration(seconds: i64) -> String {
    let n = seconds / 86_400;
    if n == 0 {
        format!("{} seconds", seconds)
    } else {
        format!("{n} day{}", if n == 1 { "" } else { "s" })
    }
}

pub(super) fn expired(p: &Placed, now: i64) -> Finding {
    let not_after = format_rfc3339(p.cert.not_after);
    let message = format!(
        "{} expired on {not_after} ({} before the check time {})",
        what(p),
        duration(now.saturating_sub(p.cert.not_after)),
        format_rfc3339(now)
    );
    Finding::new(&EXPIRED, message)
        .field(p.field_name())
        .label(p.span(), format!("notAfter {not_after}"))
        .help("renew the certificate (or pin the clock with --now when linting an old capture)")
}

pub(super) fn not_yet_valid(p: &Placed, now: i64) -> Finding {
    let not_before = format_rfc3339(p.cert.not_before);
    let message = format!(
        "{} is not valid until {not_before} ({} after the check time {})",
        what(p),
        duration(p.cert.not_before.saturating_sub(now)),
        format_rfc3339(now)
    );
    Finding::new(&NOT_YET_VALID, message)
        .field(p.field_name())
        .label(p.span(), format!("notBefore {not_before}"))
        .help(
            "check the clock of the machine that issued it (or of this one); \
             a certificate is usable only from its notBefore",
        )
}

// ------------------------------------------------------------------ strength

pub(super) fn weak_key(p: &Placed, weakness: &Weakness) -> Finding {
    let why = match weakness {
        Weakness::SmallRsa { bits } => {
            format!("an RSA key of {bits} bits (at least 2048 are required)")
        }
        Weakness::Curve(curve) => format!(
            "an EC key on {curve}, a curve TLS client authentication does not support \
             (use P-256 or P-384)"
        ),
        Weakness::Dsa => "a DSA key, which TLS 1.3 and current servers no longer accept".into(),
        Weakness::UnknownAlgorithm(oid) => format!("a key of unknown algorithm {oid}"),
    };
    Finding::new(&WEAK_KEY, format!("{} has {why}", what(p)))
        .field(p.field_name())
        .label(p.span(), p.cert.key.describe())
        .help(
            "issue a new certificate for an EC P-256 or P-384 key, \
             or an RSA key of at least 2048 bits",
        )
}

pub(super) fn weak_signature(p: &Placed, hash: &str) -> Finding {
    let message = format!(
        "{} is signed with {} ({hash}), which TLS stacks reject",
        what(p),
        p.cert.sig_alg
    );
    Finding::new(&WEAK_SIGNATURE, message)
        .field(p.field_name())
        .label(p.span(), format!("signed with {hash}"))
        .help("have the certificate re-issued with a SHA-256 (or stronger) signature")
}

// ---------------------------------------------------------------------- leaf

pub(super) fn eku_no_client_auth(leaf: &Placed, eku: &Eku) -> Finding {
    let message = format!(
        "the client certificate ({}) has an extended key usage without clientAuth ({}): \
         TLS servers refuse it as a client certificate",
        leaf.cert.name(),
        eku.purposes.join(", ")
    );
    Finding::new(&EKU_NO_CLIENT_AUTH, message)
        .field(LEAF)
        .label(leaf.span(), "no clientAuth in extendedKeyUsage")
        .help(
            "issue the client certificate with extendedKeyUsage = clientAuth \
             (OID 1.3.6.1.5.5.7.3.2), or without the extension",
        )
}

pub(super) fn leaf_is_ca(leaf: &Placed) -> Finding {
    let message = format!(
        "the client certificate ({}) is a CA certificate (basicConstraints cA=TRUE)",
        leaf.cert.name()
    );
    Finding::new(&LEAF_IS_CA, message)
        .field(LEAF)
        .label(leaf.span(), "cA=TRUE")
        .help(
            "a client should present an end-entity certificate; a CA certificate as client \
             identity is usually the wrong file (the issuer instead of the client's own \
             certificate)",
        )
}

pub(super) fn self_signed(leaf: &Placed, has_path: bool) -> Finding {
    let path_note = if has_path {
        "; a self-signed certificate needs no `clientCertificatePath`"
    } else {
        ""
    };
    let message = format!(
        "the client certificate ({}) is self-signed: it works with \
         self_signed_tls_client_auth (registered in the client's JWKS, matched by key or \
         x5t#S256 {}), not with tls_client_auth's PKI validation{path_note}",
        leaf.cert.name(),
        leaf.cert.x5t_s256
    );
    Finding::new(&SELF_SIGNED, message)
        .field(LEAF)
        .label(leaf.span(), "self-signed")
        .help(
            "register the client with token_endpoint_auth_method=self_signed_tls_client_auth \
             and this certificate (x5c) in its jwks; for tls_client_auth use a CA-issued \
             certificate",
        )
}

/// One line, the certificate named by its subject: no underline of the
/// PEM (which a multi-line value would show whole), nothing to fix.
pub(super) fn x5t_s256(leaf: &Placed) -> Finding {
    let x5t = &leaf.cert.x5t_s256;
    let message = format!(
        "the client certificate {} has x5t#S256 {x5t}: a certificate-bound access token \
         carries it as cnf.x5t#S256",
        leaf.cert.name(),
    );
    Finding::new(&X5T_S256, message)
        .field(LEAF)
        .help("compare it with the token's cnf; `tokenlint cert inspect` shows the whole chain")
}

// --------------------------------------------------------------------- chain

pub(super) fn path_repeats_leaf(entry: &Placed, leaf: &Placed) -> Finding {
    let message = format!(
        "{} is the client certificate again ({})",
        entry.field.name,
        leaf.cert.name()
    );
    Finding::new(&PATH_REPEATS_LEAF, message)
        .field(entry.field_name())
        .label(entry.span(), "same as clientCertificate")
        .help(
            "`clientCertificatePath` holds the rest of the chain only \
             (authlete-java-jaxrs passes chain[1..]); remove this entry",
        )
}

pub(super) fn chain_broken(leaf: &Placed) -> Finding {
    let message = format!(
        "no certificate in clientCertificatePath has the subject {}, the issuer of the \
         client certificate ({}): the chain cannot be built",
        leaf.cert.issuer,
        leaf.cert.name()
    );
    Finding::new(&CHAIN_BROKEN, message)
        .field(LEAF)
        .label(leaf.span(), format!("issued by {}", leaf.cert.issuer))
        .help(
            "add the certificate of the CA that issued the client certificate \
             (and its intermediates) to clientCertificatePath",
        )
}

/// `unchecked`: why the signature could not be checked at all.
pub(super) fn chain_signature(child: &Placed, issuer: &Placed, unchecked: Option<&str>) -> Finding {
    let why = unchecked.map_or(String::new(), |e| {
        format!(" (it could not be checked: {e})")
    });
    let message = format!(
        "{}'s signature does not verify with the key of {}, whose subject matches its \
         issuer{why}: the names match but a different key signed it",
        what(child),
        issuer.field.name
    );
    Finding::new(&CHAIN_SIGNATURE, message)
        .field(child.field_name())
        .label(child.span(), "signature does not verify")
        .label(issuer.span(), "with this certificate's key")
        .help(
            "the issuing CA was probably re-keyed: put the CA certificate that really issued \
             it (same name, current key) in clientCertificatePath",
        )
}

pub(super) fn issuer_not_ca(issuer: &Placed, child: &Placed) -> Finding {
    let no_sign = issuer.cert.key_cert_sign == Some(false);
    let why = match (issuer.cert.is_ca, no_sign) {
        (false, true) => {
            "it is not a CA (no basicConstraints cA=TRUE) and its keyUsage lacks keyCertSign"
        }
        (false, false) => "it is not a CA (no basicConstraints cA=TRUE)",
        _ => "its keyUsage lacks keyCertSign",
    };
    let message = format!(
        "{} issued {}, but {why}: path validation rejects it",
        what(issuer),
        child.cert.name()
    );
    Finding::new(&ISSUER_NOT_CA, message)
        .field(issuer.field_name())
        .label(issuer.span(), "not a CA")
        .help(
            "the issuer of a certificate must have basicConstraints cA=TRUE and, when keyUsage \
             is present, keyCertSign (RFC 5280 §4.2.1.3, §4.2.1.9)",
        )
}

/// `order`: the path entries from the client certificate up.
pub(super) fn path_out_of_order(order: &[Option<Placed>]) -> Finding {
    let shown: Vec<String> = order
        .iter()
        .flatten()
        .map(|p| format!("{} ({})", p.field.name, p.cert.name()))
        .collect();
    let message = format!(
        "clientCertificatePath is not in chain order; from the client certificate up it is: {}",
        shown.join(" → ")
    );
    let mut f = Finding::new(&PATH_OUT_OF_ORDER, message).field("clientCertificatePath");
    for (pos, p) in order.iter().enumerate() {
        if let Some(p) = p {
            f = f.label(p.span(), format!("chain position {}", pos + 1));
        }
    }
    f.help(
        "list the certificates as TLS sends them: each one issued by the next \
         (the client certificate's issuer first, the root last or left out)",
    )
}

/// `alternative`: a CA on the chain has the same name (cross-signed or
/// re-issued), and the chain was built without this one.
pub(super) fn path_unrelated(p: &Placed, alternative: bool) -> Finding {
    let message = if alternative {
        format!(
            "{} is not needed: the chain from the client certificate goes through another \
             certificate of the same CA ({}), cross-signed or re-issued, whose signatures and \
             dates hold (this one was issued by {})",
            what(p),
            p.cert.subject,
            p.cert.issuer
        )
    } else {
        format!(
            "{} belongs to no chain from the client certificate: nothing on the chain was \
             issued by it (it was issued by {})",
            what(p),
            p.cert.issuer
        )
    };
    Finding::new(&PATH_UNRELATED, message)
        .field(p.field_name())
        .label(p.span(), "not on the chain")
        .help(
            "remove it, or replace it with the intermediate that actually issued the client \
             certificate",
        )
}

pub(super) fn path_includes_root(p: &Placed) -> Finding {
    let message = format!(
        "{} is a self-signed root; servers validate against their own trust anchors \
         (Authlete: trustedRootCertificates), so sending it has no effect",
        what(p)
    );
    Finding::new(&PATH_INCLUDES_ROOT, message)
        .field(p.field_name())
        .label(p.span(), "root CA")
        .help(
            "you may leave the root out of clientCertificatePath; it must be among the \
             server's trusted roots either way",
        )
}

/// `names`: the extensions present more than once.
pub(super) fn duplicate_extension(p: &Placed, names: &[String]) -> Finding {
    let message = format!(
        "{} has {} more than once: RFC 5280 §4.2 says a certificate MUST NOT include more than \
         one instance of an extension, and a verifier may read either (x509-parser and OpenSSL \
         treat the certificate as invalid)",
        what(p),
        names.join(", ")
    );
    Finding::new(&DUPLICATE_EXTENSION, message)
        .field(p.field_name())
        .label(p.span(), "duplicate extension")
        .help("have the CA issue the certificate again with each extension once")
}

pub(super) fn san_malformed(p: &Placed, problem: &str) -> Finding {
    let message = format!(
        "{}'s subjectAltName is malformed: {problem}; a verifier that reads it (mTLS with \
         tls_client_auth_san_*) cannot match the client's registered name",
        what(p)
    );
    Finding::new(&SAN_MALFORMED, message)
        .field(p.field_name())
        .label(p.span(), "subjectAltName")
        .help("have the CA issue the certificate again with well-formed names")
}

pub(super) fn serial_number(p: &Placed, problem: SerialProblem) -> Finding {
    let what_is_wrong = match problem {
        SerialProblem::Zero => "is zero".to_owned(),
        SerialProblem::Negative => "is negative".to_owned(),
        SerialProblem::TooLong(n) => format!("is {n} octets long"),
    };
    let message = format!(
        "{}'s serial number {} {what_is_wrong}: RFC 5280 §4.1.2.2 requires a positive integer \
         of at most 20 octets; verifiers that enforce it (Go's crypto/x509 rejects negative \
         serials) refuse the certificate",
        what(p),
        p.cert.serial
    );
    Finding::new(&SERIAL_NUMBER, message)
        .field(p.field_name())
        .label(p.span(), "serialNumber")
        .help("have the CA issue the certificate again with a positive random serial (RFC 5280 §4.1.2.2)")
}

pub(super) fn key_cert_sign_not_ca(p: &Placed) -> Finding {
    let message = format!(
        "{} asserts keyUsage keyCertSign but basicConstraints does not say cA: RFC 5280 \
         §4.2.1.9 requires cA whenever keyCertSign is set, so the certificate contradicts \
         itself (OpenSSL's strict mode rejects it)",
        what(p)
    );
    Finding::new(&KEY_CERT_SIGN_NOT_CA, message)
        .field(p.field_name())
        .label(p.span(), "keyCertSign without cA")
        .help(
            "a client certificate signs handshakes, not certificates: keyUsage digitalSignature \
             alone",
        )
}
