//! One complete DPoP check against the floor, one raw P-256 ECDSA verify of
//! the same signature with OpenSSL, measured in the same run (the ratio is
//! what counts; absolute times depend on the machine).
//!
//! - `dpop/check`: decode the compact proof, run every `dpop/` rule (typ, alg,
//!   jwk incl. point-on-curve, claims, htm, htu normalization, iat, nonce…)
//!   and verify the ES256 signature: what `tokenlint` does per request.
//! - `dpop/raw_verify`: `ECDSA_do_verify` with a prebuilt key, signature and
//!   digest, the least any verifier can do.
//! - `dpop/josekit_verify`: josekit `verifier_from_jwk` + `verify`, for
//!   comparison (it re-validates the key on every call).
//!
//! `cargo bench --bench dpop`; the ratio is printed at the end.

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
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `cargo run --example make_dpop_testdata`",
            path.display()
        )
    });
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

    let mut c = Criterion::default().configure_from_args();
    {
        let mut g = c.benchmark_group("dpop");
        g.bench_function("check", |b| b.iter(check));
        g.bench_function("raw_verify", |b| b.iter(raw));
        g.bench_function("josekit_verify", |b| b.iter(josekit_verify));
        g.finish();
    }
    c.final_summary();

    // The ratio, measured here in the same run, interleaved so that drift
    // (frequency scaling, neighbours) hits both sides alike.
    let rounds = 20;
    let per = 200;
    let (mut t_check, mut t_raw, mut t_jk) = (0u128, 0u128, 0u128);
    for _ in 0..rounds {
        let s = Instant::now();
        for _ in 0..per {
            check();
        }
        t_check += s.elapsed().as_nanos();
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
    let (c_ns, r_ns, j_ns) = (t_check as f64 / n, t_raw as f64 / n, t_jk as f64 / n);
    println!(
        "\nDPoP check {:.0} ns/op · raw P-256 verify {:.0} ns/op · josekit verifier_from_jwk+verify {:.0} ns/op\nratio check / raw verify = {:.2}× (goal ≤ 1.3×); josekit / raw = {:.2}×",
        c_ns,
        r_ns,
        j_ns,
        c_ns / r_ns,
        j_ns / r_ns
    );
}
