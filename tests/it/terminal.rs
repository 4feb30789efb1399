//! Nothing hostile reaches the terminal or a CI runner: every C0 and C1
//! control character (and DEL) is planted in each place an input can carry
//! text to an output — parameter names and values of a JSON fixture (`%1B`
//! and JSON `\u001b` escapes), raw bytes in `.http` and `.curl` captures,
//! file names, a certificate's subject and SAN, a DPoP proof's claims,
//! Authlete's answer, and the arguments an error message quotes — and no
//! output may carry one raw: not the human formats (pretty, with and without
//! colour, table, `cert inspect`, `dpop inspect`, the send summary, errors on
//! stderr), not the machine formats either. With `-o github`, no planted
//! text may start a workflow command of its own.

use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::{self, NOW};

/// Every C0 control, DEL and every C1 control.
fn controls() -> impl Iterator<Item = char> {
    (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32)
}

/// The OSC 52 sequence that writes "pwned" to the clipboard, with a CSI
/// that clears the screen and an 8-bit CSI.
const OSC52: &str = "\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}31m";

/// `s` without its colour sequences (`ESC [ digits ; m`), which the pretty
/// report writes itself with `--color always`.
fn without_colour(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let params = after
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b';')
            .count();
        if after.as_bytes().get(params) == Some(&b'm') {
            rest = &after[params + 1..];
        } else {
            // Not a colour: keep the ESC for the check to find.
            out.push_str(&rest[i..i + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Fails when `bytes` carries a control character other than a line break
/// (colour sequences allowed with `colour`).
fn assert_clean(what: &str, bytes: &[u8], colour: bool) {
    let text = String::from_utf8_lossy(bytes);
    let text = if colour {
        without_colour(&text)
    } else {
        text.into_owned()
    };
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| c != '\n' && c.is_control())
    {
        let from = tokenlint::source::floor_char_boundary(&text, i.saturating_sub(60));
        let to = tokenlint::source::ceil_char_boundary(&text, i + 60);
        panic!(
            "{what}: raw {c:?} at byte {i}: …{}…",
            text[from..to].escape_debug()
        );
    }
}

fn assert_output_clean(what: &str, out: &Output, colour: bool) {
    assert_clean(&format!("{what} (stdout)"), &out.stdout, colour);
    assert_clean(&format!("{what} (stderr)"), &out.stderr, false);
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let mut c = common::tokenlint_at_home(dir);
    if !args.contains(&"--config") {
        c.arg("--no-config");
    }
    c.args(["--now", NOW]).args(args).output().unwrap()
}

/// `%XX` of each byte of `c`'s UTF-8.
fn percent(c: char) -> String {
    let mut b = [0; 4];
    c.encode_utf8(&mut b)
        .bytes()
        .map(|x| format!("%{x:02X}"))
        .collect()
}

/// A fixture with a parameter named after each control (percent-encoded),
/// each value holding one, a client ID and an unknown member holding every
/// one (JSON escapes), and the OSC 52 sequence in a parameter name.
fn fixture() -> String {
    let mut params = String::from("grant_type=client_credentials");
    for (i, c) in controls().enumerate() {
        params.push_str(&format!("&p{i}{}x=v{}w", percent(c), percent(c)));
    }
    let osc: String = OSC52.chars().map(percent).collect();
    params.push_str(&format!("&x{osc}y=1"));
    let all: String = controls().collect();
    json!({
        "parameters": params,
        "clientId": format!("app{all}"),
        format!("unknown{all}"): format!("v{all}"),
        "dpop": format!("ey{all}.x.y"),
    })
    .to_string()
}

/// Raw control bytes (NUL, CR and LF aside, which would end the line) in
/// a header name and value, in the request target and in the body.
fn http_capture() -> Vec<u8> {
    let raw: String = controls()
        .filter(|c| !matches!(c, '\0' | '\r' | '\n'))
        .collect();
    let body = format!("grant_type=client_credentials&client_id=a{raw}&x{OSC52}y=1");
    format!(
        "POST /token?q{OSC52}=1 HTTP/1.1\r\nHost: as.example.com\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nX-{raw}: v{raw}\r\n\
         DPoP: ey{raw}.x.y\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn curl_capture() -> Vec<u8> {
    let raw: String = controls().filter(|c| *c != '\0').collect();
    format!(
        "curl 'https://as.example.com/token{OSC52}' -H 'X-A{raw}: {raw}' \
         -d 'grant_type=client_credentials&client_id=a{raw}&x{OSC52}y=1'\n"
    )
    .into_bytes()
}

/// A folder of hostile inputs; one file's name holds every control a
/// file name can (all but NUL).
fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fixture.json"), fixture()).unwrap();
    std::fs::write(dir.path().join("capture.http"), http_capture()).unwrap();
    std::fs::write(dir.path().join("capture.curl"), curl_capture()).unwrap();
    let name: String = controls().filter(|c| *c != '\0').collect();
    std::fs::write(
        dir.path().join(format!("name{OSC52}{name}::error::x.json")),
        fixture(),
    )
    .unwrap();
    dir
}

const FORMATS: &[&str] = &["pretty", "table", "github", "json", "yaml", "toon", "sarif"];

#[test]
fn no_report_carries_a_control_character() {
    let dir = hostile_folder();
    for format in FORMATS {
        let out = run(dir.path(), &["check", ".", "-o", format]);
        assert_output_clean(&format!("check -o {format}"), &out, false);
        assert!(!out.stdout.is_empty(), "-o {format}: no report");
    }
    let out = run(dir.path(), &["check", ".", "--color", "always"]);
    assert_output_clean("check --color always", &out, true);
    // The escapes are visible, not dropped.
    let out = run(dir.path(), &["check", "fixture.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\\x1b]52;c;cHduZWQ="), "{text}");
    assert!(text.contains("\\u009b31m"), "{text}");
    // The table's columns line up: each cell is as wide as what it shows.
    let out = run(dir.path(), &["check", ".", "-o", "table"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let col = |l: &str| l.find("  ").map(|i| l[..i].chars().count());
    let rows: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    let header = rows[0].find("LINE:COL").unwrap();
    for row in &rows[1..] {
        let second = row.chars().skip(header).collect::<String>();
        assert!(
            second.starts_with(|c: char| c.is_ascii_digit() || c == '-'),
            "misaligned: {row}\n{text}"
        );
        assert!(col(row).is_some(), "{row}");
    }
    // `--jq` prints strings raw, as `jq -r` does: the messages are strings.
    let out = run(
        dir.path(),
        &["check", ".", "-q", ".results[].findings[].message"],
    );
    assert_output_clean("check --jq", &out, false);
    // `--debug` logs file names and clocks.
    let out = run(dir.path(), &["--debug", "check", "."]);
    assert_output_clean("check --debug", &out, false);
}

/// Each line of `-o github` is one of our annotations, one per finding:
/// nothing planted starts a line, or a workflow command, of its own.
#[test]
fn github_annotations_cannot_be_forged() {
    let dir = hostile_folder();
    let json = run(dir.path(), &["check", ".", "-o", "json"]);
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let findings: usize = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"].as_array().map_or(1, Vec::len))
        .sum();
    let out = run(dir.path(), &["check", ".", "-o", "github"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), findings, "{text}");
    for line in &lines {
        let (kind, rest) = line.split_once(' ').unwrap();
        assert!(
            ["::error", "::warning", "::notice"].contains(&kind),
            "{line}"
        );
        // The properties end at the first `::`: no `::` inside a property.
        let (props, _message) = rest.split_once("::").unwrap();
        for p in props.split(',') {
            let (k, _) = p.split_once('=').unwrap_or_else(|| panic!("{p} in {line}"));
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&k),
                "{k} in {line}"
            );
        }
        assert!(!line.contains("##["), "{line}");
    }
    // The file name's `::error::x` is escaped inside `file=`.
    assert!(text.contains("%3A%3Aerror%3A%3Ax.json"), "{text}");
}

/// A certificate whose subject and SAN hold controls, as `cert inspect`
/// and the pretty report show it.
#[test]
fn certificate_names_are_escaped() {
    use openssl::asn1::Asn1Time;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::nid::Nid;
    use openssl::pkey::PKey;
    use openssl::x509::extension::SubjectAlternativeName;
    use openssl::x509::{X509Builder, X509NameBuilder};

    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    let key = PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap();
    let all: String = controls().filter(|c| *c != '\0').collect();
    let (c0, c1): (String, String) = all.chars().partition(|c| *c < '\x20');
    let mut name = X509NameBuilder::new().unwrap();
    // Each attribute holds at most 64 characters.
    name.append_entry_by_nid(Nid::COMMONNAME, &format!("cn{OSC52}"))
        .unwrap();
    name.append_entry_by_nid(Nid::ORGANIZATIONALUNITNAME, &c0)
        .unwrap();
    name.append_entry_by_nid(Nid::LOCALITYNAME, &c1).unwrap();
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "o\n::error::forged")
        .unwrap();
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::from_unix(1_700_000_000).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_unix(1_900_000_000).unwrap())
        .unwrap();
    let san = SubjectAlternativeName::new()
        .dns(&format!("a{}b.example", "\u{1b}]52;c;eA==\u{7}"))
        .uri(&format!("https://x.example/{all}"))
        .build(&b.x509v3_context(None, None))
        .unwrap();
    b.append_extension(san).unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    let pem = String::from_utf8(b.build().to_pem().unwrap()).unwrap();

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), &pem).unwrap();
    for format in ["pretty", "table", "github"] {
        let out = run(dir.path(), &["cert", "inspect", "cert.pem", "-o", format]);
        assert_output_clean(&format!("cert inspect -o {format}"), &out, false);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("\\x1b]52;c;"), "{text}");
        // The O= with a line break stays on its line: no workflow command.
        assert!(text.contains("O=o\\n::error::forged"), "{text}");
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("::")),
            "{text}"
        );
    }
    let fixture = json!({
        "parameters": "grant_type=client_credentials&client_id=app",
        "clientId": "app",
        "clientCertificate": pem,
    });
    std::fs::write(dir.path().join("mtls.json"), fixture.to_string()).unwrap();
    for format in FORMATS {
        let out = run(dir.path(), &["check", "mtls.json", "-o", format]);
        assert_output_clean(&format!("check -o {format} (certificate)"), &out, false);
    }
}

fn b64(v: &Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

/// `dpop inspect` prints the decoded header and payload: their strings
/// hold controls (JSON escapes, which decode to the raw characters).
#[test]
fn dpop_inspect_escapes_decoded_claims() {
    let all: String = controls().collect();
    let header = json!({"typ": format!("dpop+jwt{all}"), "alg": format!("ES256{OSC52}"),
        "jwk": {"kty": "EC", "crv": all, "x": "x", "y": "y"}});
    let payload = json!({"htm": format!("POST{OSC52}"), "htu": format!("https://as/{all}"),
        "iat": 1767225600, "jti": all, format!("k{all}"): 1});
    let proof = format!("{}.{}.c2ln", b64(&header), b64(&payload));
    let dir = tempfile::tempdir().unwrap();
    for format in ["pretty", "table", "json"] {
        let out = run(dir.path(), &["dpop", "inspect", &proof, "-o", format]);
        assert_output_clean(&format!("dpop inspect -o {format}"), &out, false);
    }
    let out = run(
        dir.path(),
        &["dpop", "inspect", &proof, "--color", "always"],
    );
    assert_output_clean("dpop inspect --color always", &out, true);
}

/// Authlete's answer (its message, the response the endpoint must send)
/// as the send summary shows it, from a loopback stub.
#[test]
fn the_send_summary_escapes_authletes_answer() {
    let all: String = controls().collect();
    let body = json!({
        "resultCode": format!("A050001{OSC52}"),
        "resultMessage": format!("[A050001] ok\n::error::forged{all}"),
        "action": "BAD_REQUEST",
        "responseContent": json!({"error": "use_dpop_nonce", "error_description": OSC52})
            .to_string(),
        // Members shown as they come, a nonce to retry with.
        "dpopNonce": format!("n{OSC52}"),
        "ticketInfo": format!("t{all}"),
        format!("member{OSC52}"): 1,
    });
    let dir = tempfile::tempdir().unwrap();
    let runs = [
        (200, "pretty"),
        (200, "table"),
        (200, "github"),
        (400, "pretty"),
        (400, "github"),
        (200, "json"),
    ];
    for (status, format) in runs {
        let (url, _seen) = crate::stub::serve(status, body.to_string(), Default::default());
        let out = common::tokenlint()
            .args([
                "--no-config",
                "--now",
                NOW,
                "token",
                "process",
                "--send",
                "-s",
                "1",
            ])
            .args(["--server-url", &url, "--bearer", "b-123", "-o", format])
            .args(["--client-id", "app", "--client-secret", "s"])
            .args(["--include-headers", "-p", "grant_type=client_credentials"])
            .current_dir(dir.path())
            .env("HOME", dir.path())
            .output()
            .unwrap();
        let what = format!("send, HTTP {status}, -o {format}");
        assert_output_clean(&what, &out, false);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Authlete") || text.contains("action"),
            "{what}: {text}"
        );
        assert!(
            !text.lines().any(|l| l.trim_start().starts_with("::")),
            "{what}: {text}"
        );
        if format != "json" {
            // Authlete's message stays on its line.
            assert!(text.contains("ok\\n::error::forged"), "{what}: {text}");
        }
    }
}

/// Error messages quote paths and arguments: on stderr, escaped too.
#[test]
fn error_messages_escape_what_they_quote() {
    let dir = tempfile::tempdir().unwrap();
    let all: String = controls().filter(|c| *c != '\0').collect();
    let missing = format!("missing{OSC52}{all}.json");
    let bad_flag = format!("--x{OSC52}");
    let jwks: PathBuf = dir.path().join(format!("k{OSC52}.json"));
    std::fs::write(&jwks, "{}").unwrap();
    let jwks = jwks.to_str().unwrap().to_owned();
    let id = format!("pkce/{all}");
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", &missing],
        vec!["check", &missing, "-o", "table"],
        vec!["check", &missing, "-o", "github"],
        vec!["check", &bad_flag],
        vec!["check", "--client-jwks", &jwks, "."],
        vec!["--config", &missing, "check", "."],
        vec!["explain", &id],
        vec!["cert", "inspect", &missing],
        vec!["dpop", "thumbprint", &missing],
        vec!["--agent-mode", "check", &missing],
    ];
    for args in cases {
        let out = run(dir.path(), &args);
        assert_output_clean(&format!("{args:?}"), &out, false);
        assert!(
            !String::from_utf8_lossy(&out.stderr)
                .lines()
                .any(|l| l.trim_start().starts_with("::")),
            "{args:?}"
        );
    }
}
