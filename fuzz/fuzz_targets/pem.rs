//! X.509 (src/x509.rs): the PEM / bare-base64 scan of a string (item ranges
//! fit it on character boundaries), every certificate found, the chain built
//! from the first through the rest, and the raw bytes as DER.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokenlint::x509;
use tokenlint_fuzz::check_range;

fuzz_target!(|data: &[u8]| {
    // The bytes as a DER certificate.
    if let Ok(c) = x509::parse_der(data.to_vec()) {
        let _ = (c.name(), c.key.describe(), c.key.weakness());
        let _ = x509::verify_signed_by(&c, &c);
    }
    // The bytes as text holding PEM blocks (or base64 DER).
    let text = tokenlint_fuzz::text(data);
    let text = text.as_ref();
    let scan = x509::scan(text);
    for item in &scan.items {
        check_range(text, item.range.clone(), "item");
    }
    assert!(scan.items.is_empty() || scan.unrecognised.is_none());
    // The first certificate is the leaf, every other item the path (entries
    // that are not certificates are `None`, as in a request).
    if let Some(leaf_at) = scan.items.iter().position(|i| i.cert.is_ok()) {
        let Ok(leaf) = scan.items[leaf_at].cert.as_deref() else {
            return;
        };
        let path: Vec<Option<&x509::CertInfo>> = scan
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != leaf_at)
            .map(|(_, i)| i.cert.as_deref().ok())
            .collect();
        let chain = x509::build_chain(leaf, &path);
        for l in &chain.links {
            assert!(l.issuer < path.len());
            assert!(l.child.is_none_or(|c| c < path.len()));
        }
        for &i in chain.leaf_repeats.iter().chain(&chain.unused) {
            assert!(i < path.len());
        }
        let _ = chain.in_order();
    }
});
