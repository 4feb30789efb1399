//! `cargo xtask wycheproof DIR`: copies the Wycheproof test vectors that
//! tokenlint's own tests run (`tests/it/wycheproof.rs`) from a checkout of
//! <https://github.com/C2SP/wycheproof> into `testdata/vectors/wycheproof/`,
//! with its licence and a README naming the commit.
//!
//! The signature files are copied as published. The ECDH WebCrypto files,
//! which tokenlint reads only for their public keys in JWK form, keep each
//! test's `tcId`, `comment`, `flags`, `public` and `result` (the private
//! keys and shared secrets are dropped: a third of the size).

use std::path::Path;
use std::process::Command;

use serde_json::Value as J;

/// Signature verification files, copied whole.
pub const SIGNATURE_FILES: &[&str] = &[
    "ecdsa_secp256r1_sha256_p1363_test.json",
    "ecdsa_secp384r1_sha384_p1363_test.json",
    "ecdsa_secp521r1_sha512_p1363_test.json",
    "ecdsa_secp256k1_sha256_p1363_test.json",
    "ed25519_test.json",
    "ed448_test.json",
    "rsa_signature_2048_sha256_test.json",
    "rsa_pss_2048_sha256_mgf1_32_test.json",
];

/// Compact JWSs with the key sets that verify them (or must not), copied
/// whole.
pub const JWS_FILES: &[&str] = &["json_web_signature_test.json", "json_web_key_test.json"];

/// EC public keys as JWKs, valid and invalid (points off the curve, other
/// curves), trimmed to the public keys.
pub const KEY_FILES: &[&str] = &[
    "ecdh_secp256r1_webcrypto_test.json",
    "ecdh_secp384r1_webcrypto_test.json",
    "ecdh_secp521r1_webcrypto_test.json",
];

const KEPT_TEST_MEMBERS: &[&str] = &["tcId", "comment", "flags", "public", "result"];

pub fn run(checkout: &Path, commit: Option<&str>) -> Result<(), String> {
    let from = checkout.join("testvectors_v1");
    let to = crate::root().join("testdata/vectors/wycheproof");
    std::fs::create_dir_all(&to).map_err(|e| format!("{}: {e}", to.display()))?;
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let write = |name: &str, bytes: &[u8]| {
        let p = to.join(name);
        std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))
    };
    for name in SIGNATURE_FILES.iter().chain(JWS_FILES) {
        write(name, &read(&from.join(name))?)?;
    }
    for name in KEY_FILES {
        let mut doc: J =
            serde_json::from_slice(&read(&from.join(name))?).map_err(|e| format!("{name}: {e}"))?;
        trim_key_file(&mut doc);
        let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
        text.push('\n');
        write(name, text.as_bytes())?;
    }
    write("LICENSE", &read(&checkout.join("LICENSE"))?)?;
    let commit = match commit {
        Some(c) => c.to_owned(),
        None => git_head(checkout)?,
    };
    write("README.md", readme(&commit).as_bytes())?;
    println!("wrote {}", to.display());
    Ok(())
}

fn trim_key_file(doc: &mut J) {
    let groups = doc.get_mut("testGroups").and_then(J::as_array_mut);
    for group in groups.into_iter().flatten() {
        let tests = group.get_mut("tests").and_then(J::as_array_mut);
        for test in tests.into_iter().flatten() {
            if let Some(t) = test.as_object_mut() {
                t.retain(|k, _| KEPT_TEST_MEMBERS.contains(&k.as_str()));
            }
        }
    }
}

fn git_head(checkout: &Path) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(checkout)
        .args(["rev-parse", "HEAD"])
        .output()
        .map_err(|e| format!("git rev-parse: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} is not a git checkout: pass --commit",
            checkout.display()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn readme(commit: &str) -> String {
    let list = |files: &[&str]| {
        files
            .iter()
            .map(|f| format!("- `{f}`\n"))
            .collect::<String>()
    };
    format!(
        "# Wycheproof test vectors\n\
         \n\
         From <https://github.com/C2SP/wycheproof>, commit `{commit}`,\n\
         directory `testvectors_v1/`. Licensed under the Apache License 2.0\n\
         (`LICENSE` here, copied from the same commit).\n\
         \n\
         `tests/it/wycheproof.rs` runs every vector through the code that\n\
         verifies a DPoP proof's or client assertion's signature with a JWK\n\
         (`tokenlint::jose::jwk::public_key`, then `jwk::verify`), and lints\n\
         DPoP proofs that embed each EC public key of the key files.\n\
         \n\
         Signature files, as published:\n\
         \n\
         {}\
         \n\
         Compact JWSs and their key sets, as published, run through\n\
         `tokenlint::jose::verify::Signed::with_jwks` (the key selection and\n\
         verification of `--client-jwks`, `--assertion-jwks`, attestations):\n\
         \n\
         {}\
         \n\
         EC public keys in JWK form (WebCrypto ECDH files), trimmed to each\n\
         test's `tcId`, `comment`, `flags`, `public` and `result`:\n\
         \n\
         {}\
         \n\
         Do not edit these files by hand. To refresh them:\n\
         \n\
         ```sh\n\
         git clone https://github.com/C2SP/wycheproof /tmp/wycheproof\n\
         cargo xtask wycheproof /tmp/wycheproof\n\
         cargo test --test it wycheproof\n\
         ```\n",
        list(SIGNATURE_FILES),
        list(JWS_FILES),
        list(KEY_FILES)
    )
}
