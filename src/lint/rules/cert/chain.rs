//! The chain from the client certificate through `clientCertificatePath`:
//! whether it can be built, whether each link verifies and is a CA, and
//! whether the path holds what it should, in order.

use super::{diags, Placed};
use crate::lint::Sink;
use crate::x509::{self, Chain, Link, SigCheck};

crate::lint::declare_rules! {
    area: Cert;
    CHAIN_BROKEN = "cert/chain-broken", Error, "RFC 5280 §6.1; RFC 8705 §2.1",
        "No certificate in `clientCertificatePath` issued the client certificate";
    CHAIN_SIGNATURE = "cert/chain-signature", Error, "RFC 5280 §6.1.3",
        "A certificate's signature does not verify with its issuer's key";
    ISSUER_NOT_CA = "cert/issuer-not-ca", Error, "RFC 5280 §4.2.1.9; RFC 5280 §4.2.1.3",
        "A certificate that issued another is not a CA allowed to sign certificates";
    PATH_OUT_OF_ORDER = "cert/path-out-of-order", Warning,
        "RFC 8446 §4.4.2; Authlete API: TokenRequest.clientCertificatePath",
        "`clientCertificatePath` is not in chain order";
    PATH_UNRELATED = "cert/path-unrelated", Warning, "RFC 5280 §6.1",
        "A `clientCertificatePath` entry belongs to no chain from the client certificate";
    PATH_REPEATS_LEAF = "cert/path-repeats-leaf", Warning,
        "Authlete API: TokenRequest.clientCertificatePath",
        "`clientCertificatePath` repeats the client certificate";
    PATH_INCLUDES_ROOT = "cert/path-includes-root", Info, "RFC 8446 §4.4.2",
        "`clientCertificatePath` includes a self-signed root";
}

/// The client certificate and the path entries, by index (`None`: the entry
/// holds no readable certificate).
struct Path<'p, 'a> {
    leaf: &'p Placed<'a>,
    entries: &'p [Option<Placed<'a>>],
}

impl<'a> Path<'_, 'a> {
    fn entry(&self, i: usize) -> Option<Placed<'a>> {
        self.entries.get(i).copied().flatten()
    }

    /// The certificate a link goes down to: the leaf or a path entry.
    fn child(&self, link: &Link) -> Option<Placed<'a>> {
        match link.child {
            None => Some(*self.leaf),
            Some(i) => self.entry(i),
        }
    }
}

/// Checks the chain built at `now` (issuers valid then are preferred) and
/// returns the path entries it does not need.
pub(super) fn check(
    leaf: &Placed,
    entries: &[Option<Placed>],
    now: i64,
    sink: &mut Sink,
) -> Vec<usize> {
    let certs: Vec<_> = entries.iter().map(|p| p.map(|p| p.cert)).collect();
    let chain = x509::build_chain_at(leaf.cert, &certs, Some(now));
    let path = Path { leaf, entries };
    check_leaf_repeats(&path, &chain, sink);
    if chain.leaf_issuer_missing {
        sink.push(diags::chain_broken(leaf));
    }
    for link in &chain.links {
        check_link(&path, link, sink);
    }
    check_order(&path, &chain, sink);
    check_unused(&path, &chain, sink);
    check_roots(&path, &chain, sink);
    chain.unused
}

fn check_leaf_repeats(path: &Path, chain: &Chain, sink: &mut Sink) {
    for &i in &chain.leaf_repeats {
        if let Some(entry) = path.entry(i) {
            sink.push(diags::path_repeats_leaf(&entry, path.leaf));
        }
    }
}

/// One issuer: its key verifies the signature below it, and it is a CA.
fn check_link(path: &Path, link: &Link, sink: &mut Sink) {
    let (Some(issuer), Some(child)) = (path.entry(link.issuer), path.child(link)) else {
        return;
    };
    match &link.signature {
        SigCheck::Valid => {}
        SigCheck::Invalid => sink.push(diags::chain_signature(&child, &issuer, None)),
        SigCheck::Unsupported(e) => {
            sink.push(diags::chain_signature(&child, &issuer, Some(e)));
        }
    }
    let no_sign = issuer.cert.key_cert_sign == Some(false);
    if !issuer.cert.is_ca || no_sign {
        sink.push(diags::issuer_not_ca(&issuer, &child));
    }
}

fn check_order(path: &Path, chain: &Chain, sink: &mut Sink) {
    if chain.in_order() {
        return;
    }
    let order: Vec<Option<Placed>> = chain.order().into_iter().map(|i| path.entry(i)).collect();
    sink.push(diags::path_out_of_order(&order));
}

fn check_unused(path: &Path, chain: &Chain, sink: &mut Sink) {
    let on_chain: Vec<&[u8]> = (chain.links.iter())
        .filter_map(|l| path.entry(l.issuer))
        .map(|p| p.cert.subject_raw.as_slice())
        .collect();
    for entry in chain.unused.iter().filter_map(|&i| path.entry(i)) {
        // Another certificate of a CA on the chain: cross-signed, re-issued.
        let alternative = on_chain.contains(&entry.cert.subject_raw.as_slice());
        sink.push(diags::path_unrelated(&entry, alternative));
    }
}

fn check_roots(path: &Path, chain: &Chain, sink: &mut Sink) {
    let issuers = chain.links.iter().filter_map(|l| path.entry(l.issuer));
    for root in issuers.filter(|p| p.cert.self_signed) {
        sink.push(diags::path_includes_root(&root));
    }
}
