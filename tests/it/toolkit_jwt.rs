//! Issue 16: `tokenlint jwt inspect` for the JWTs a request carries, and
//! `dpop thumbprint FILE` for key files of every kind.

use serde_json::Value;

use crate::common::{self, describe as out, run, testdata, NOW};

/// `jwt inspect INPUT`, at [`NOW`], in `format` (pretty when `None`).
fn inspect(input: &str, format: Option<&str>) -> std::process::Output {
    let mut args = vec!["--no-config", "--now", NOW];
    if let Some(f) = format {
        args.extend(["-o", f]);
    }
    args.extend(["jwt", "inspect", input]);
    run(&args)
}

/// The client assertion of a fixture, as the request sends it.
fn assertion_of(fixture: &str) -> String {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(testdata(fixture)).unwrap()).unwrap();
    let params = v["parameters"].as_str().unwrap();
    params
        .split('&')
        .find_map(|p| p.strip_prefix("client_assertion="))
        .unwrap()
        .to_owned()
}

#[test]
fn jwt_inspect_decodes_a_requests_jwts_with_times_and_findings() {
    let fixture = testdata("assertion/examples/expired.json")
        .display()
        .to_string();
    let o = inspect(&fixture, Some("json"));
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(&o)));
    let jwt = &v["jwts"][0];
    assert_eq!(jwt["field"], "parameters.client_assertion");
    assert_eq!(jwt["payload"]["sub"], jwt["payload"]["iss"], "{jwt}");
    let exp = jwt["times"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["claim"] == "exp")
        .unwrap_or_else(|| panic!("{jwt}"));
    assert!(exp["relative"].as_str().unwrap().ends_with("ago"), "{exp}");
    assert!(
        jwt["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "client-auth/assertion-exp"),
        "{jwt}"
    );
    // The JWT alone, given on the command line: the same decoding, the
    // kind from its claims (iss = sub: a client assertion).
    let token = assertion_of("assertion/examples/expired.json");
    let o = inspect(&token, None);
    let text = out(&o);
    assert!(
        text.contains("parameters.client_assertion — the client assertion"),
        "{text}"
    );
    assert!(text.contains("\"iss\""), "{text}");
    assert!(text.contains("ago"), "{text}");
    assert!(text.contains("client-auth/assertion-exp"), "{text}");
}

/// A key in a JWT is shown by its thumbprint; its private members never.
#[test]
fn jwt_inspect_never_shows_a_private_key() {
    let fixture = testdata("dpop/examples/jwk-private.json")
        .display()
        .to_string();
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata("dpop/examples/jwk-private.json")).unwrap(),
    )
    .unwrap();
    let proof = v["dpop"].as_str().unwrap();
    let header: Value = {
        use base64::Engine as _;
        let h = proof.split('.').next().unwrap();
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(h)
                .unwrap(),
        )
        .unwrap()
    };
    let d = header["jwk"]["d"]
        .as_str()
        .expect("the example carries a private key");
    for (input, format) in [
        (fixture.as_str(), None),
        (fixture.as_str(), Some("json")),
        (proof, None),
    ] {
        let o = inspect(input, format);
        let text = out(&o);
        assert!(
            !text.contains(d),
            "{input} ({format:?}) shows the private key:\n{text}"
        );
        assert!(text.contains("masked"), "{text}");
        assert!(text.contains("jkt"), "{text}");
        assert!(text.contains("dpop/jwk-private"), "{text}");
    }
}

/// `dpop thumbprint` reads a file when there is one, whatever its name
/// (a path with a dot was parsed as a JWS), in every key format.
#[test]
fn dpop_thumbprint_reads_key_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut jkts = Vec::new();
    // A JWK file (private), a PEM private key, its PEM public key.
    for (name, args) in [
        ("client.jwk.json", vec![]),
        ("client.pem", vec![]),
        ("client.key", vec!["--format", "pem"]),
    ] {
        let file = d.join(name).display().to_string();
        let mut a = vec![
            "--no-config",
            "-o",
            "json",
            "dpop",
            "keygen",
            "--out",
            file.as_str(),
        ];
        a.extend(args.iter().copied());
        let o = run(&a);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(&o)));
        let made = v["jkt"]
            .as_str()
            .unwrap_or_else(|| panic!("{v}"))
            .to_owned();
        let o = run(&["--no-config", "dpop", "thumbprint", &file]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", out(&o));
        let jkt = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        assert_eq!(jkt, made, "{name}");
        jkts.push((name, jkt));
    }
    // The PEM public key of client.pem (written by openssl when there is
    // one; the private PEM already covers the reading).
    let public = d.join("client.pub.pem");
    let made = std::process::Command::new("openssl")
        .args(["pkey", "-pubout", "-in"])
        .arg(d.join("client.pem"))
        .arg("-out")
        .arg(&public)
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let o = run(&[
            "--no-config",
            "dpop",
            "thumbprint",
            &public.display().to_string(),
        ]);
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).trim(),
            jkts[1].1,
            "{}",
            out(&o)
        );
    }
    // A certificate names its key's thumbprint, as the key itself does.
    let of = |rel: &str| {
        let o = run(&[
            "--no-config",
            "dpop",
            "thumbprint",
            &testdata(rel).display().to_string(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{rel}: {}", out(&o));
        String::from_utf8_lossy(&o.stdout).trim().to_owned()
    };
    assert_eq!(
        of("certs/client-self-signed.pem"),
        of("certs/client-self-signed.key")
    );
    // The repository's own key files, named with dots.
    let o = run(&[
        "--no-config",
        "dpop",
        "thumbprint",
        &testdata("keys/dpop-es256.jwk").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // A path that does not exist says so, not "not a JWS".
    let o = run(&["--no-config", "dpop", "thumbprint", "no-such-client.key"]);
    assert_eq!(o.status.code(), Some(2));
    let text = out(&o);
    assert!(text.contains("no such file"), "{text}");
    assert!(!text.contains("JWS"), "{text}");
    // Nothing private is printed.
    let key: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("client.jwk.json")).unwrap()).unwrap();
    let o = run(&[
        "--no-config",
        "-o",
        "json",
        "dpop",
        "thumbprint",
        &d.join("client.jwk.json").display().to_string(),
    ]);
    assert!(!out(&o).contains(key["d"].as_str().unwrap()), "{}", out(&o));
}

/// Every JWT of a request, each with its own findings; a request without
/// one, and a path that names no file, are usage errors (exit 2), not a
/// path decoded as a JWT.
#[test]
fn jwt_inspect_takes_every_jwt_of_a_request_and_refuses_what_is_not_one() {
    let fixture = testdata("attestation/examples/att-typ.json")
        .display()
        .to_string();
    let o = inspect(&fixture, Some("json"));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(&o)));
    let fields: Vec<&str> = v["jwts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["oauthClientAttestation", "oauthClientAttestationPop"],
        "{v}"
    );
    let rules = |i: usize| v["jwts"][i]["findings"].to_string();
    assert!(rules(0).contains("attestation/typ"), "{v}");
    assert!(!rules(1).contains("attestation/typ"), "{v}");
    let none = testdata("good/authorization-code-pkce.json")
        .display()
        .to_string();
    let o = inspect(&none, None);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("no JWT in it"), "{}", out(&o));
    for missing in ["no-such-request.json", "captures/none.har", "./assertion"] {
        let o = inspect(missing, None);
        assert_eq!(o.status.code(), Some(2), "{}", out(&o));
        assert!(out(&o).contains("no such file"), "{}", out(&o));
        assert!(!out(&o).contains("malformed"), "{}", out(&o));
    }
}

/// `dpop inspect` takes a file holding the proof, as `dpop thumbprint` and
/// `jwt inspect` do.
#[test]
fn dpop_inspect_reads_a_proof_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("proof.jwt");
    std::fs::write(
        &file,
        common::dpop_proof("https://as.example.com/token") + "\n",
    )
    .unwrap();
    let file = file.display().to_string();
    let o = run(&[
        "--no-config",
        "--now",
        NOW,
        "dpop",
        "inspect",
        &file,
        "--htu",
        "https://as.example.com/token",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("\"typ\": \"dpop+jwt\""), "{}", out(&o));
    let o = run(&["--no-config", "dpop", "inspect", "missing-proof.jwt"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("no such file"), "{}", out(&o));
}

/// A DPoP proof alone has no request to compare `htu` with: one line says
/// so, where a request would raise dpop/htu-unknown-target.
#[test]
fn jwt_inspect_of_a_lone_proof_says_htu_was_not_compared() {
    let proof = common::dpop_proof("https://as.example.com/token");
    let o = inspect(&proof, None);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("htu: not compared"), "{}", out(&o));
    assert!(!out(&o).contains("htu-unknown-target"), "{}", out(&o));
    let o = inspect(&proof, Some("json"));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(&o)));
    assert!(v["jwts"][0]["unchecked"].as_str().is_some(), "{v}");
}

/// An encrypted private key is refused with what to give instead, and no
/// passphrase prompt (OpenSSL's default would ask on the terminal).
#[test]
fn dpop_thumbprint_asks_no_passphrase() {
    use openssl::{ec, nid::Nid, pkey::PKey, symm::Cipher};
    let group = ec::EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = PKey::from_ec_key(ec::EcKey::generate(&group).unwrap()).unwrap();
    let pem = key
        .private_key_to_pem_pkcs8_passphrase(Cipher::aes_256_cbc(), b"passphrase")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("encrypted.pem");
    std::fs::write(&file, pem).unwrap();
    let o = run(&[
        "--no-config",
        "dpop",
        "thumbprint",
        &file.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("encrypted private key"), "{}", out(&o));
    assert!(out(&o).contains("-pubout"), "{}", out(&o));
    assert!(!out(&o).contains("pass phrase"), "{}", out(&o));
}

/// A capture's JWTs are judged at the capture's time, as `check` judges
/// them: their times too, and the output names the input and the clock.
#[test]
fn jwt_inspect_of_a_capture_uses_its_clock() {
    let har = testdata("captures/good/devtools.har").display().to_string();
    let o = run(&["--no-config", "-o", "json", "jwt", "inspect", &har]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(&o)));
    let jwt = &v["jwts"][0];
    assert!(jwt["input"].as_str().unwrap().ends_with("]"), "{jwt}");
    assert_eq!(jwt["clock"]["from"], "its startedDateTime", "{jwt}");
    let iat = &jwt["times"][0];
    assert_eq!(iat["claim"], "iat", "{jwt}");
    assert_eq!(iat["at"], jwt["clock"]["at"], "{jwt}");
    assert_eq!(iat["relative"], "now", "{jwt}");
    let o = run(&["--no-config", "jwt", "inspect", &har]);
    let text = out(&o);
    assert!(text.contains("the capture's time"), "{text}");
    assert!(text.contains("devtools.har#"), "{text}");
    // --now wins, as it does for check.
    let o = inspect(&har, None);
    assert!(out(&o).contains("dpop/iat-out-of-window"), "{}", out(&o));
    assert!(!out(&o).contains("the capture's time"), "{}", out(&o));
}
