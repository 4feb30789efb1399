//! Whether one certificate signed another, and the chain from the client's
//! certificate through the entries of its path.

use std::collections::{HashMap, VecDeque};

use x509_parser::prelude::*;

use super::parse::{CertInfo, KeyKind};
use crate::memo::{self, Memo};

/// Whether `child`'s signature verifies with `issuer`'s public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigCheck {
    Valid,
    Invalid,
    /// Neither ring nor OpenSSL could check it (unknown algorithm, bad key).
    Unsupported(String),
}

pub fn verify_signed_by(child: &CertInfo, issuer: &CertInfo) -> SigCheck {
    // The same certificates come back in input after input (one client
    // certificate in every fixture of a folder): check each pair once per
    // run, by the certificates' identities (the SHA-256 of each DER,
    // computed once when it was read).
    static CHECKED: Memo<SigCheck> = Memo::new(4096);
    let key = memo::key(&[&child.sha256, &issuer.sha256]);
    CHECKED.get_or(key, || check_signed_by(child, issuer))
}

fn check_signed_by(child: &CertInfo, issuer: &CertInfo) -> SigCheck {
    // No arithmetic with a key over the size every key path allows.
    if let KeyKind::Rsa { bits } = issuer.key {
        if let Some(why) = crate::jose::jwk::rsa_too_large(bits) {
            return SigCheck::Unsupported(why);
        }
    }
    // ring (through x509-parser) first; it covers the common algorithms but
    // not P-521, SHA-1 ECDSA or RSA keys under 2048 bits, so fall back to OpenSSL.
    if let (Ok((_, c)), Ok((_, i))) = (
        X509Certificate::from_der(&child.der),
        X509Certificate::from_der(&issuer.der),
    ) {
        if c.verify_signature(Some(i.public_key())).is_ok() {
            return SigCheck::Valid;
        }
    }
    let openssl = || -> Result<bool, openssl::error::ErrorStack> {
        let c = openssl::x509::X509::from_der(&child.der)?;
        let i = openssl::x509::X509::from_der(&issuer.der)?;
        c.verify(&*i.public_key()?)
    };
    match openssl() {
        Ok(true) => SigCheck::Valid,
        Ok(false) => SigCheck::Invalid,
        Err(e) => SigCheck::Unsupported(
            e.errors()
                .first()
                .and_then(|e| e.reason().map(str::to_owned))
                .unwrap_or_else(|| "unsupported signature".into()),
        ),
    }
}

/// One step of the chain: the certificate at `issuer` (an index into the
/// path) issued the previous one.
#[derive(Clone, Debug)]
pub struct Link {
    /// `None` = the leaf; `Some(i)` = path entry i.
    pub child: Option<usize>,
    pub issuer: usize,
    pub signature: SigCheck,
}

/// The chain built from the leaf through the path.
#[derive(Clone, Debug, Default)]
pub struct Chain {
    pub links: Vec<Link>,
    /// Path entries identical to the leaf.
    pub leaf_repeats: Vec<usize>,
    /// Path entries that no link used.
    pub unused: Vec<usize>,
    /// The leaf's issuer was not in a non-empty path.
    pub leaf_issuer_missing: bool,
}

impl Chain {
    /// Path indices in chain order (leaf's issuer first).
    pub fn order(&self) -> Vec<usize> {
        self.links.iter().map(|l| l.issuer).collect()
    }

    /// Whether the path entries on the chain appear in chain order.
    pub fn in_order(&self) -> bool {
        self.order().windows(2).all(|w| w[0] < w[1])
    }
}

/// Builds the chain from `leaf` through `path` (entries that are not
/// certificates are `None`): each next link is an unused entry whose subject
/// is the current issuer, preferring one whose key verifies the signature.
///
/// Linear in the path: the entries are indexed by subject, each step looks
/// at the candidates of one name, and the signature checks beyond the one
/// each link needs are bounded by the path's length in all (a path whose
/// entries all share two names and never verify used to cost a check of
/// every candidate at every step).
pub fn build_chain(leaf: &CertInfo, path: &[Option<&CertInfo>]) -> Chain {
    build_chain_at(leaf, path, None)
}

/// [`build_chain`], first looking for a chain whose every link verifies:
/// when several entries share an issuer's name (an intermediate
/// cross-signed by two roots, or re-issued), the first that verifies may
/// lead nowhere while another reaches a valid chain. Issuers valid at `now`
/// are tried before the others. When no such chain exists within a budget
/// linear in the path, the chain is built as [`build_chain`] builds it.
pub fn build_chain_at(leaf: &CertInfo, path: &[Option<&CertInfo>], now: Option<i64>) -> Chain {
    let mut chain = Chain::default();
    let mut used = vec![false; path.len()];
    let mut candidates = Candidates::default();
    for (i, p) in path.iter().enumerate() {
        let Some(p) = p else { continue };
        if p.sha256 == leaf.sha256 {
            used[i] = true;
            chain.leaf_repeats.push(i);
        } else {
            candidates
                .by_subject
                .entry(&p.subject_raw)
                .or_default()
                .push_back(i);
        }
    }
    let any_candidates = !candidates.by_subject.is_empty();
    let mut search = Search {
        path,
        by_subject: &candidates.by_subject,
        used: used.clone(),
        budget: 4 * path.len() + 16,
        now,
    };
    if let Some(links) = search.from(leaf, None).filter(|l| !l.is_empty()) {
        chain.links = links.into_iter().rev().collect();
        for l in &chain.links {
            used[l.issuer] = true;
        }
        chain.unused = (0..path.len())
            .filter(|&i| !used[i] && path[i].is_some())
            .collect();
        return chain;
    }
    candidates.extra_checks = path.len();
    let mut cur = leaf;
    let mut child: Option<usize> = None;
    while !cur.self_issued {
        let Some(link) = candidates.issuer_link(cur, child, path) else {
            chain.leaf_issuer_missing = child.is_none() && any_candidates;
            break;
        };
        used[link.issuer] = true;
        child = Some(link.issuer);
        let next = path[link.issuer];
        chain.links.push(link);
        match next {
            Some(p) => cur = p,
            None => break,
        }
    }
    chain.unused = (0..path.len())
        .filter(|&i| !used[i] && path[i].is_some())
        .collect();
    chain
}

/// A depth-first search for a chain whose every link verifies.
struct Search<'p, 'm> {
    path: &'p [Option<&'p CertInfo>],
    by_subject: &'m HashMap<&'p [u8], VecDeque<usize>>,
    used: Vec<bool>,
    /// Candidates left to look at, across the whole search.
    budget: usize,
    now: Option<i64>,
}

impl Search<'_, '_> {
    /// The links from `cur` (the entry at `child`, or the leaf) up, last
    /// first, each verifying: up to a self-issued certificate or one whose
    /// issuer the path does not hold. `None` when every way up has a link
    /// that does not verify, or the budget ran out.
    fn from(&mut self, cur: &CertInfo, child: Option<usize>) -> Option<Vec<Link>> {
        if cur.self_issued {
            return Some(Vec::new());
        }
        let Some(queue) = self.by_subject.get(cur.issuer_raw.as_slice()) else {
            return Some(Vec::new());
        };
        let mut open = Vec::new();
        let mut unused = false;
        for &i in queue.iter().filter(|&&i| !self.used[i]) {
            unused = true;
            self.budget = self.budget.checked_sub(1)?;
            let Some(p) = self.path[i] else { continue };
            if verify_signed_by(cur, p) == SigCheck::Valid {
                open.push(i);
            }
        }
        if !unused {
            return Some(Vec::new());
        }
        // Issuers valid now first (a stable sort keeps the path's order).
        open.sort_by_key(|&i| !self.current(i));
        for i in open {
            let p = self.path[i]?;
            self.used[i] = true;
            if let Some(mut links) = self.from(p, Some(i)) {
                links.push(Link {
                    child,
                    issuer: i,
                    signature: SigCheck::Valid,
                });
                return Some(links);
            }
            self.used[i] = false;
        }
        None
    }

    fn current(&self, i: usize) -> bool {
        let (Some(now), Some(p)) = (self.now, self.path[i]) else {
            return true;
        };
        p.not_before <= now && now <= p.not_after
    }
}

/// The unused path entries by subject (in path order), and the signature
/// checks left beyond the one each link needs.
#[derive(Default)]
struct Candidates<'p> {
    by_subject: HashMap<&'p [u8], VecDeque<usize>>,
    extra_checks: usize,
}

impl Candidates<'_> {
    /// The link to the unused path entry that issued `cur` (the entry at
    /// `child`, or the leaf): the first whose key verifies `cur`'s
    /// signature, else the first whose subject is `cur`'s issuer. The entry
    /// is used up.
    fn issuer_link(
        &mut self,
        cur: &CertInfo,
        child: Option<usize>,
        path: &[Option<&CertInfo>],
    ) -> Option<Link> {
        let queue = self.by_subject.get_mut(cur.issuer_raw.as_slice())?;
        let mut first: Option<(usize, SigCheck)> = None;
        let mut chosen = None;
        for (k, &i) in queue.iter().enumerate() {
            if k > 0 {
                // A check beyond the first candidate's comes out of the budget.
                let Some(left) = self.extra_checks.checked_sub(1) else {
                    break;
                };
                self.extra_checks = left;
            }
            let Some(p) = path[i] else { continue };
            let signature = verify_signed_by(cur, p);
            if signature == SigCheck::Valid {
                chosen = Some((k, signature));
                break;
            }
            first.get_or_insert((k, signature));
        }
        let (k, signature) = chosen.or(first)?;
        let issuer = queue.remove(k)?;
        if queue.is_empty() {
            self.by_subject.remove(cur.issuer_raw.as_slice());
        }
        Some(Link {
            child,
            issuer,
            signature,
        })
    }
}
