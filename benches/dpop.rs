//! One complete DPoP check against the floor, one raw P-256 ECDSA verify of
//! the same signature with OpenSSL, measured in the same run (the ratio is
//! what counts; absolute times depend on the machine).
//!
//! - `dpop/check`: decode the compact proof, run every `dpop/` rule (typ, alg,
//!   jwk incl. point-on-curve, claims, htm, htu normalization, iat, nonce…)
//!   and verify the ES256 signature: what `tokenlint` does per request. The
//!   proof's key is built once per run and kept (a client signs every proof
//!   with one key), so this is the warm path.
//! - `dpop/check_cold_key`: the same over 1,500 proofs of 1,500 keys, more
//!   than the key cache holds, so each check builds and validates its key.
//! - `dpop/raw_verify`: `ECDSA_do_verify` with a prebuilt key, signature and
//!   digest, the least any verifier can do.
//! - `dpop/josekit_verify`: josekit `verifier_from_jwk` + `verify`, for
//!   comparison (it re-validates the key on every call).
//!
//! `cargo bench --bench dpop`; the ratio is printed at the end.

// A benchmark prints its figures, and a failed setup is a failed run.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use criterion::Criterion;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::nid::Nid;
use sha2::{Digest, Sha256};
use tokenlint::lint::{self, rules, Context, Settings, Sink};
use tokenlint::request::fixture;

const NOW: i64 = 1_767_225_600;

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/dpop/good/es256.json");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask dpop-testdata`", path.display()));
    let loaded = fixture::load_bytes("es256.json", &bytes);
    let settings = Settings::with_now(NOW);
    let proof = loaded
        .request
        .dpop
        .as_ref()
        .expect("a dpop fixture")
        .value
        .clone();

    // The check must be clean, or the benchmark measures error paths.
    {
        let cx = Context::new(&loaded.request, &loaded.source, &settings);
        let mut sink = Sink::new(&settings);
        rules::dpop::check(&cx, &mut sink);
        let r = lint::lint(&loaded, &settings);
        assert!(
            r.findings.iter().all(|f| f.rule.area() != "dpop"),
            "the benchmark fixture has DPoP findings"
        );
    }

    // The floor: the same signature, key and digest, prebuilt.
    let parts: Vec<&str> = proof.split('.').collect();
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let jwk = &header["jwk"];
    let coord = |m: &str| {
        BigNum::from_slice(&URL_SAFE_NO_PAD.decode(jwk[m].as_str().unwrap()).unwrap()).unwrap()
    };
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = EcKey::from_public_key_affine_coordinates(&group, &coord("x"), &coord("y")).unwrap();
    let sig_bytes = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    let sig = EcdsaSig::from_private_components(
        BigNum::from_slice(&sig_bytes[..32]).unwrap(),
        BigNum::from_slice(&sig_bytes[32..]).unwrap(),
    )
    .unwrap();
    let input = format!("{}.{}", parts[0], parts[1]);
    let digest = Sha256::digest(input.as_bytes());
    assert!(sig.verify(&digest, &key).unwrap());

    let check = || {
        let cx = Context::new(&loaded.request, &loaded.source, &settings);
        let mut sink = Sink::new(&settings);
        rules::dpop::check(&cx, &mut sink);
        black_box(sink.enabled(&rules::dpop::SIGNATURE));
    };
    let raw = || {
        black_box(sig.verify(black_box(&digest), &key).unwrap());
    };
    let josekit_jwk = josekit::jwk::Jwk::from_bytes(serde_json::to_vec(jwk).unwrap()).unwrap();
    let josekit_verify = || {
        use josekit::jws::JwsVerifier;
        let v = josekit::jws::ES256.verifier_from_jwk(&josekit_jwk).unwrap();
        v.verify(input.as_bytes(), &sig_bytes).unwrap();
    };

    // 1,500 keys, each with one proof: more than the key cache keeps (1,024),
    // and taken in turn, so no check finds its key built.
    let cold: Vec<_> = (0..1500)
        .map(|i| {
            let key = tokenlint::toolkit::dpop::SigningKey::generate("ES256").unwrap();
            let opts = tokenlint::toolkit::dpop::ProofOptions {
                htu: "https://as.example.com/token".into(),
                htm: "POST".into(),
                nonce: None,
                access_token: None,
                iat: NOW,
                jti: Some(format!("bench-cold-key-{i:06}-padding")),
            };
            let proof = tokenlint::toolkit::dpop::make_proof(&key, &opts).unwrap();
            let text = serde_json::json!({
                "parameters": "grant_type=client_credentials&client_id=app",
                "dpop": proof, "htm": "POST", "htu": "https://as.example.com/token",
            })
            .to_string();
            fixture::load_str("cold.json", &text)
        })
        .collect();
    let next_cold = std::cell::Cell::new(0usize);
    let check_cold = || {
        let i = next_cold.get();
        next_cold.set((i + 1) % cold.len());
        let l = &cold[i];
        let cx = Context::new(&l.request, &l.source, &settings);
        let mut sink = Sink::new(&settings);
        rules::dpop::check(&cx, &mut sink);
        black_box(sink.enabled(&rules::dpop::SIGNATURE));
    };
    {
        let l = &cold[0];
        let r = lint::lint(l, &settings);
        assert!(
            r.findings.iter().all(|f| f.rule.area() != "dpop"),
            "the cold-key proofs have DPoP findings: {:?}",
            r.findings.iter().map(|f| f.rule.id).collect::<Vec<_>>()
        );
    }

    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("dpop");
        g.bench_function("check", |b| b.iter(check));
        g.bench_function("check_cold_key", |b| b.iter(check_cold));
        g.bench_function("raw_verify", |b| b.iter(raw));
        g.bench_function("josekit_verify", |b| b.iter(josekit_verify));
        g.finish();
    }
    c.final_summary();

    // The ratio, measured here in the same run, interleaved so that drift
    // (frequency scaling, neighbours) hits both sides alike.
    let rounds = 20;
    let per = 200;
    let (mut t_check, mut t_cold, mut t_raw, mut t_jk) = (0u128, 0u128, 0u128, 0u128);
    for _ in 0..rounds {
        let s = Instant::now();
        for _ in 0..per {
            check();
        }
        t_check += s.elapsed().as_nanos();
        let s = Instant::now();
        for _ in 0..per {
            check_cold();
        }
        t_cold += s.elapsed().as_nanos();
        let s = Instant::now();
        for _ in 0..per {
            raw();
        }
        t_raw += s.elapsed().as_nanos();
        let s = Instant::now();
        for _ in 0..per {
            josekit_verify();
        }
        t_jk += s.elapsed().as_nanos();
    }
    let n = (rounds * per) as f64;
    let ns = |t: u128| t as f64 / n;
    let (c_ns, k_ns, r_ns, j_ns) = (ns(t_check), ns(t_cold), ns(t_raw), ns(t_jk));
    println!(
        "\nDPoP check {c_ns:.0} ns/op (key built, {k_ns:.0} ns/op) · raw P-256 verify {r_ns:.0} ns/op · josekit verifier_from_jwk+verify {j_ns:.0} ns/op\n\
         ratio check / raw verify = {:.2}× (goal ≤ 1.2×); with the key built = {:.2}×; josekit / raw = {:.2}×",
        c_ns / r_ns,
        k_ns / r_ns,
        j_ns / r_ns
    );
}
