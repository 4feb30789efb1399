//! `cert/`: the mTLS client certificate (`clientCertificate`) and the rest of
//! its chain (`clientCertificatePath`), RFC 8705 and RFC 5280.

use crate::clock::format_rfc3339;
use crate::lint::{Context, Finding, Sink};
use crate::span::{Span, Text};
use crate::x509::{self, CertInfo, Item, Scan, SigCheck};

crate::lint::declare_rules! {
    area: Cert;
    UNREADABLE = "cert/unreadable", Error, "RFC 8705 §2; RFC 7468 §5",
        "A certificate field holds something that is not a readable X.509 certificate";
    DER_WITHOUT_PEM = "cert/der-without-pem", Error, "RFC 7468 §5.1",
        "A certificate is base64 DER without the PEM armour lines";
    MULTIPLE_CERTIFICATES = "cert/multiple-certificates", Error, "RFC 8705 §2; Authlete API: TokenRequest.clientCertificate",
        "Several certificates in one field that takes exactly one";
    PATH_WITHOUT_LEAF = "cert/path-without-leaf", Warning, "Authlete API: TokenRequest.clientCertificatePath",
        "`clientCertificatePath` without a `clientCertificate`";
    EXPIRED = "cert/expired", Error, "RFC 5280 §4.1.2.5",
        "A certificate has expired";
    NOT_YET_VALID = "cert/not-yet-valid", Error, "RFC 5280 §4.1.2.5",
        "A certificate is not valid yet";
    CHAIN_BROKEN = "cert/chain-broken", Error, "RFC 5280 §6.1; RFC 8705 §2.1",
        "No certificate in `clientCertificatePath` issued the client certificate";
    CHAIN_SIGNATURE = "cert/chain-signature", Error, "RFC 5280 §6.1.3",
        "A certificate's signature does not verify with its issuer's key";
    ISSUER_NOT_CA = "cert/issuer-not-ca", Error, "RFC 5280 §4.2.1.9; RFC 5280 §4.2.1.3",
        "A certificate that issued another is not a CA allowed to sign certificates";
    PATH_OUT_OF_ORDER = "cert/path-out-of-order", Warning, "RFC 8446 §4.4.2; Authlete API: TokenRequest.clientCertificatePath",
        "`clientCertificatePath` is not in chain order";
    PATH_UNRELATED = "cert/path-unrelated", Warning, "RFC 5280 §6.1",
        "A `clientCertificatePath` entry belongs to no chain from the client certificate";
    PATH_REPEATS_LEAF = "cert/path-repeats-leaf", Warning, "Authlete API: TokenRequest.clientCertificatePath",
        "`clientCertificatePath` repeats the client certificate";
    PATH_INCLUDES_ROOT = "cert/path-includes-root", Info, "RFC 8446 §4.4.2",
        "`clientCertificatePath` includes a self-signed root";
    WEAK_KEY = "cert/weak-key", Error, "RFC 8705 §2; NIST SP 800-131A; RFC 8446 §4.2.3",
        "A certificate key that is too small or on an unsupported curve";
    WEAK_SIGNATURE = "cert/weak-signature", Error, "RFC 9155; RFC 6151",
        "A certificate signed with SHA-1 or MD5";
    EKU_NO_CLIENT_AUTH = "cert/eku-no-client-auth", Error, "RFC 5280 §4.2.1.12",
        "The client certificate's extended key usage does not include clientAuth";
    LEAF_IS_CA = "cert/leaf-is-ca", Warning, "RFC 5280 §4.2.1.9",
        "The client certificate is a CA certificate";
    SELF_SIGNED = "cert/self-signed", Info, "RFC 8705 §2.2",
        "The client certificate is self-signed: it suits self_signed_tls_client_auth only";
    X5T_S256 = "cert/x5t-s256", Info, "RFC 8705 §3.1",
        "The client certificate's SHA-256 thumbprint, as a certificate-bound token carries it";
}

/// Where a certificate sits in the request.
struct At<'a> {
    text: &'a Text,
    /// `clientCertificate` or `clientCertificatePath[i]`.
    field: String,
}

impl At<'_> {
    fn span(&self, item: &Item) -> Span {
        self.text.sub_span(item.range.clone())
    }

    fn whole(&self) -> Span {
        self.text.span
    }
}

fn what(field: &str, cert: &CertInfo) -> String {
    if field == "clientCertificate" {
        format!("the client certificate ({})", cert.name())
    } else {
        format!("{field} ({})", cert.name())
    }
}

/// The `Cert` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Cert,
    rules: &[RULES],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    let certs = cx.certs();
    let leaf_at = cx.req.client_certificate.as_ref().map(|t| At {
        text: t,
        field: "clientCertificate".into(),
    });
    let path_at: Vec<At> = cx
        .req
        .client_certificate_path
        .iter()
        .enumerate()
        .map(|(i, t)| At {
            text: t,
            field: format!("clientCertificatePath[{i}]"),
        })
        .collect();

    if let (Some(at), Some(scan)) = (&leaf_at, &certs.leaf) {
        check_scan(at, scan, sink);
    }
    for (at, scan) in path_at.iter().zip(&certs.path) {
        check_scan(at, scan, sink);
    }
    if cx.req.client_certificate.is_none() && !path_at.is_empty() {
        let first = &path_at[0];
        sink.push(
            Finding::new(
                &PATH_WITHOUT_LEAF,
                format!(
                    "`clientCertificatePath` has {} entr{} but there is no `clientCertificate`: Authlete reads the client's own certificate only from `clientCertificate`",
                    path_at.len(),
                    if path_at.len() == 1 { "y" } else { "ies" }
                ),
            )
            .field("clientCertificatePath")
            .label(first.whole(), "a path without the client's certificate")
            .help("put the client's own certificate (the first one the TLS layer received) in `clientCertificate` and only the intermediates in `clientCertificatePath`"),
        );
    }

    // Every certificate: validity, key, signature algorithm.
    let now = cx.settings.now;
    let mut all: Vec<(&At, &Item, &CertInfo, bool)> = Vec::new();
    if let (Some(at), Some(scan)) = (&leaf_at, &certs.leaf) {
        if let Some((item, c)) = scan.certs().next() {
            all.push((at, item, c, true));
        }
    }
    // The certificate of each path entry (the first, when there are several).
    let path_certs: Vec<Option<(&Item, &CertInfo)>> =
        certs.path.iter().map(|s| s.certs().next()).collect();
    for (at, pc) in path_at.iter().zip(&path_certs) {
        if let Some((item, c)) = pc {
            all.push((at, item, c, false));
        }
    }
    for (at, item, c, is_leaf) in &all {
        check_validity(at, item, c, now, sink);
        if let Some(w) = c.key.weakness() {
            sink.push(
                Finding::new(&WEAK_KEY, format!("{} has {w}", what(&at.field, c)))
                    .field(at.field.clone())
                    .label(at.span(item), c.key.describe())
                    .help("issue a new certificate for an EC P-256 or P-384 key, or an RSA key of at least 2048 bits"),
            );
        }
        // A root's self-signature is never checked: its hash does not matter.
        let root_in_path = !is_leaf && c.self_signed;
        if let (Some(h), false) = (c.weak_hash, root_in_path) {
            sink.push(
                Finding::new(
                    &WEAK_SIGNATURE,
                    format!(
                        "{} is signed with {} ({h}), which TLS stacks reject",
                        what(&at.field, c),
                        c.sig_alg
                    ),
                )
                .field(at.field.clone())
                .label(at.span(item), format!("signed with {h}"))
                .help("have the certificate re-issued with a SHA-256 (or stronger) signature"),
            );
        }
    }

    let Some((leaf_item, leaf)) = certs.leaf.as_ref().and_then(|s| s.certs().next()) else {
        return;
    };
    let Some(leaf_at) = &leaf_at else { return };
    check_leaf(cx, leaf_at, leaf_item, leaf, sink);

    let path: Vec<Option<&CertInfo>> = path_certs.iter().map(|p| p.map(|(_, c)| c)).collect();
    let chain = x509::build_chain(leaf, &path);
    check_chain(
        leaf_at,
        leaf_item,
        leaf,
        &path_at,
        &path_certs,
        &chain,
        sink,
    );
}

fn check_scan(at: &At, scan: &Scan, sink: &mut Sink) {
    if let Some(what) = &scan.unrecognised {
        sink.push(
            Finding::new(&UNREADABLE, format!("`{}` holds no certificate: {what}", at.field))
                .field(at.field.clone())
                .label(at.whole(), "not a certificate")
                .help("give the certificate in PEM: -----BEGIN CERTIFICATE-----, the base64 DER, -----END CERTIFICATE----- (in JSON, join the lines with \\n)"),
        );
        return;
    }
    for item in &scan.items {
        match &item.cert {
            Err(what) => sink.push(
                Finding::new(&UNREADABLE, format!("`{}` cannot be read as a certificate: {what}", at.field))
                    .field(at.field.clone())
                    .label(at.span(item), "unreadable")
                    .help("give the certificate in PEM: -----BEGIN CERTIFICATE-----, the base64 DER, -----END CERTIFICATE----- (in JSON, join the lines with \\n)"),
            ),
            Ok(c) if !item.armoured => sink.push(
                Finding::new(
                    &DER_WITHOUT_PEM,
                    format!("`{}` is a base64 DER certificate ({}) without the PEM lines; Authlete takes PEM", at.field, c.name()),
                )
                .field(at.field.clone())
                .label(at.span(item), "base64 DER, no armour")
                .help("wrap it: \"-----BEGIN CERTIFICATE-----\\n<the base64, in lines of 64 characters>\\n-----END CERTIFICATE-----\" (`openssl x509 -inform DER -outform PEM` does it)"),
            ),
            Ok(_) => {}
        }
    }
    let certs: Vec<(&Item, &CertInfo)> = scan.certs().collect();
    if certs.len() > 1 {
        let mut f = Finding::new(
            &MULTIPLE_CERTIFICATES,
            format!(
                "`{}` holds {} certificates ({}); it takes exactly one, and Authlete reads only the first",
                at.field,
                certs.len(),
                certs.iter().map(|(_, c)| c.name()).collect::<Vec<_>>().join("; ")
            ),
        )
        .field(at.field.clone());
        for (i, (item, c)) in certs.iter().enumerate().skip(1) {
            f = f.label(
                at.span(item),
                format!("certificate {} ({})", i + 1, c.name()),
            );
        }
        let help = if at.field == "clientCertificate" {
            "keep the client's own certificate in `clientCertificate` and move the others, one per entry, into `clientCertificatePath`"
        } else {
            "give one certificate per `clientCertificatePath` entry"
        };
        sink.push(f.help(help));
    }
}

fn check_validity(at: &At, item: &Item, c: &CertInfo, now: i64, sink: &mut Sink) {
    let days = |d: i64| {
        let n = d / 86_400;
        if n == 0 {
            format!("{} seconds", d)
        } else {
            format!("{n} day{}", if n == 1 { "" } else { "s" })
        }
    };
    if c.not_after < now {
        sink.push(
            Finding::new(
                &EXPIRED,
                format!(
                    "{} expired on {} ({} before the check time {})",
                    what(&at.field, c),
                    format_rfc3339(c.not_after),
                    days(now.saturating_sub(c.not_after)),
                    format_rfc3339(now)
                ),
            )
            .field(at.field.clone())
            .label(
                at.span(item),
                format!("notAfter {}", format_rfc3339(c.not_after)),
            )
            .help(
                "renew the certificate (or pin the clock with --now when linting an old capture)",
            ),
        );
    } else if c.not_before > now {
        sink.push(
            Finding::new(
                &NOT_YET_VALID,
                format!(
                    "{} is not valid until {} ({} after the check time {})",
                    what(&at.field, c),
                    format_rfc3339(c.not_before),
                    days(c.not_before.saturating_sub(now)),
                    format_rfc3339(now)
                ),
            )
            .field(at.field.clone())
            .label(at.span(item), format!("notBefore {}", format_rfc3339(c.not_before)))
            .help("check the clock of the machine that issued it (or of this one); a certificate is usable only from its notBefore"),
        );
    }
}

fn check_leaf(cx: &Context, at: &At, item: &Item, leaf: &CertInfo, sink: &mut Sink) {
    let span = at.span(item);
    if let Some(eku) = &leaf.eku {
        if !eku.client_auth && !eku.any {
            sink.push(
                Finding::new(
                    &EKU_NO_CLIENT_AUTH,
                    format!(
                        "the client certificate ({}) has an extended key usage without clientAuth ({}): TLS servers refuse it as a client certificate",
                        leaf.name(),
                        eku.purposes.join(", ")
                    ),
                )
                .field("clientCertificate")
                .label(span, "no clientAuth in extendedKeyUsage")
                .help("issue the client certificate with extendedKeyUsage = clientAuth (OID 1.3.6.1.5.5.7.3.2), or without the extension"),
            );
        }
    }
    if leaf.is_ca {
        sink.push(
            Finding::new(
                &LEAF_IS_CA,
                format!("the client certificate ({}) is a CA certificate (basicConstraints cA=TRUE)", leaf.name()),
            )
            .field("clientCertificate")
            .label(span, "cA=TRUE")
            .help("a client should present an end-entity certificate; a CA certificate as client identity is usually the wrong file (the issuer instead of the client's own certificate)"),
        );
    }
    if leaf.self_signed {
        let path_note = if cx.req.client_certificate_path.is_empty() {
            ""
        } else {
            "; a self-signed certificate needs no `clientCertificatePath`"
        };
        sink.push(
            Finding::new(
                &SELF_SIGNED,
                format!(
                    "the client certificate ({}) is self-signed: it works with self_signed_tls_client_auth (registered in the client's JWKS, matched by key or x5t#S256 {}), not with tls_client_auth's PKI validation{path_note}",
                    leaf.name(),
                    leaf.x5t_s256
                ),
            )
            .field("clientCertificate")
            .label(span, "self-signed")
            .help("register the client with token_endpoint_auth_method=self_signed_tls_client_auth and this certificate (x5c) in its jwks; for tls_client_auth use a CA-issued certificate"),
        );
    }
    sink.push(
        Finding::new(
            &X5T_S256,
            format!(
                "x5t#S256 of the client certificate ({}): {}; a certificate-bound access token carries it as cnf.x5t#S256",
                leaf.name(),
                leaf.x5t_s256
            ),
        )
        .field("clientCertificate")
        .label(span, format!("x5t#S256 {}", leaf.x5t_s256))
        .help("compare it with the token's cnf; `tokenlint cert inspect` shows the whole chain"),
    );
}

#[allow(clippy::too_many_arguments)]
fn check_chain(
    leaf_at: &At,
    leaf_item: &Item,
    leaf: &CertInfo,
    path_at: &[At],
    path_certs: &[Option<(&Item, &CertInfo)>],
    chain: &x509::Chain,
    sink: &mut Sink,
) {
    let entry = |i: usize| -> Option<(&At, &Item, &CertInfo)> {
        let (item, c) = path_certs.get(i).copied().flatten()?;
        Some((path_at.get(i)?, item, c))
    };
    for &i in &chain.leaf_repeats {
        let Some((at, item, _)) = entry(i) else {
            continue;
        };
        sink.push(
            Finding::new(
                &PATH_REPEATS_LEAF,
                format!("{} is the client certificate again ({})", at.field, leaf.name()),
            )
            .field(at.field.clone())
            .label(at.span(item), "same as clientCertificate")
            .help("`clientCertificatePath` holds the rest of the chain only (authlete-java-jaxrs passes chain[1..]); remove this entry"),
        );
    }
    if chain.leaf_issuer_missing {
        sink.push(
            Finding::new(
                &CHAIN_BROKEN,
                format!(
                    "no certificate in clientCertificatePath has the subject {}, the issuer of the client certificate ({}): the chain cannot be built",
                    leaf.issuer,
                    leaf.name()
                ),
            )
            .field("clientCertificate")
            .label(leaf_at.span(leaf_item), format!("issued by {}", leaf.issuer))
            .help("add the certificate of the CA that issued the client certificate (and its intermediates) to clientCertificatePath"),
        );
    }
    for link in &chain.links {
        let Some((iat, iitem, issuer)) = entry(link.issuer) else {
            continue;
        };
        let (cat, citem, child) = match link.child {
            None => (leaf_at, leaf_item, leaf),
            Some(c) => match entry(c) {
                Some(e) => e,
                None => continue,
            },
        };
        match &link.signature {
            SigCheck::Valid => {}
            SigCheck::Invalid | SigCheck::Unsupported(_) => {
                let why = match &link.signature {
                    SigCheck::Unsupported(e) => format!(" (it could not be checked: {e})"),
                    _ => String::new(),
                };
                sink.push(
                    Finding::new(
                        &CHAIN_SIGNATURE,
                        format!(
                            "{}'s signature does not verify with the key of {}, whose subject matches its issuer{why}: the names match but a different key signed it",
                            what(&cat.field, child),
                            iat.field
                        ),
                    )
                    .field(cat.field.clone())
                    .label(cat.span(citem), "signature does not verify")
                    .label(iat.span(iitem), "with this certificate's key")
                    .help("the issuing CA was probably re-keyed: put the CA certificate that really issued it (same name, current key) in clientCertificatePath"),
                );
            }
        }
        let no_sign = issuer.key_cert_sign == Some(false);
        if !issuer.is_ca || no_sign {
            let why = match (issuer.is_ca, no_sign) {
                (false, true) => "it is not a CA (no basicConstraints cA=TRUE) and its keyUsage lacks keyCertSign",
                (false, false) => "it is not a CA (no basicConstraints cA=TRUE)",
                _ => "its keyUsage lacks keyCertSign",
            };
            sink.push(
                Finding::new(
                    &ISSUER_NOT_CA,
                    format!(
                        "{} issued {}, but {why}: path validation rejects it",
                        what(&iat.field, issuer),
                        child.name()
                    ),
                )
                .field(iat.field.clone())
                .label(iat.span(iitem), "not a CA")
                .help("the issuer of a certificate must have basicConstraints cA=TRUE and, when keyUsage is present, keyCertSign (RFC 5280 §4.2.1.3, §4.2.1.9)"),
            );
        }
    }
    if !chain.in_order() {
        let order = chain.order();
        let shown: Vec<String> = order
            .iter()
            .filter_map(|&i| entry(i).map(|(at, _, c)| format!("{} ({})", at.field, c.name())))
            .collect();
        let mut f = Finding::new(
            &PATH_OUT_OF_ORDER,
            format!(
                "clientCertificatePath is not in chain order; from the client certificate up it is: {}",
                shown.join(" → ")
            ),
        )
        .field("clientCertificatePath");
        for (pos, &i) in order.iter().enumerate() {
            if let Some((at, item, _)) = entry(i) {
                f = f.label(at.span(item), format!("chain position {}", pos + 1));
            }
        }
        sink.push(f.help("list the certificates as TLS sends them: each one issued by the next (the client certificate's issuer first, the root last or left out)"));
    }
    for &i in &chain.unused {
        let Some((at, item, c)) = entry(i) else {
            continue;
        };
        sink.push(
            Finding::new(
                &PATH_UNRELATED,
                format!(
                    "{} belongs to no chain from the client certificate: nothing on the chain was issued by it (it was issued by {})",
                    what(&at.field, c),
                    c.issuer
                ),
            )
            .field(at.field.clone())
            .label(at.span(item), "not on the chain")
            .help("remove it, or replace it with the intermediate that actually issued the client certificate"),
        );
    }
    for link in &chain.links {
        let Some((at, item, c)) = entry(link.issuer) else {
            continue;
        };
        if c.self_signed {
            sink.push(
                Finding::new(
                    &PATH_INCLUDES_ROOT,
                    format!(
                        "{} is a self-signed root; servers validate against their own trust anchors (Authlete: trustedRootCertificates), so sending it has no effect",
                        what(&at.field, c)
                    ),
                )
                .field(at.field.clone())
                .label(at.span(item), "root CA")
                .help("you may leave the root out of clientCertificatePath; it must be among the server's trusted roots either way"),
            );
        }
    }
}
