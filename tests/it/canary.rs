//! The canary test: a distinct secret planted in every place a secret can
//! sit, in every kind of input, must come back in no output mode.
//!
//! Inputs: fixtures (every secret parameter of every grant, secret fields,
//! a secret split by a raw `&`, a private key pasted into a certificate, a
//! DPoP proof carrying its private key), misnamed and mistyped secret
//! fields, broken JSON (single quotes, bare words), keys and a
//! service-account file in a walked folder (skipped) and named (linted),
//! raw HTTP captures (Basic, Bearer, Cookie, custom headers, a query
//! string, a JSON body, malformed Basic, a header without `:`, a
//! REST-client file with variables and a second request), a HAR, curl
//! commands, `token process` flags and `--body`, `--dry-run` and argument
//! errors. Outputs: every `-o` format, `--jq`, `--debug`, `--agent-mode`.
//!
//! A canary leaks when any 6-character piece of it, or any 8-character
//! piece of its base64 (standard or URL-safe, at any alignment), is in
//! stdout or stderr. The inputs are batched: one run per output mode.

use std::path::Path;

use base64::Engine as _;

use crate::common::{self, NOW};

const FORMATS: &[&str] = &["pretty", "json", "yaml", "table", "toon", "sarif", "github"];

/// The planted secrets: each a distinct run of letters and digits (so no
/// encoding changes it), with the place it was planted.
struct Canaries {
    /// (canary, place, whether only its base64 is forbidden)
    all: Vec<(String, String, bool)>,
}

impl Canaries {
    fn new() -> Canaries {
        Canaries { all: Vec::new() }
    }

    /// A new canary for `place`: 20 pseudo-random letters and digits.
    fn plant(&mut self, place: &str) -> String {
        self.new_canary(place, false)
    }

    /// A canary inside a credential's claims: a rule may show the claims
    /// decoded, so only its base64 (the credential as written) is forbidden.
    fn plant_claim(&mut self, place: &str) -> String {
        self.new_canary(place, true)
    }

    fn new_canary(&mut self, place: &str, encoded_only: bool) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789";
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ (self.all.len() as u64 + 1).wrapping_mul(0xD1B5);
        let mut s = String::from("Q");
        for _ in 0..19 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push(ALPHABET[(x % ALPHABET.len() as u64) as usize] as char);
        }
        self.all.push((s.clone(), place.to_owned(), encoded_only));
        s
    }

    /// Every forbidden piece, with the place of the canary it comes from.
    fn pieces(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        for (c, place, encoded_only) in &self.all {
            let chars: Vec<char> = c.chars().collect();
            for w in chars.windows(6).filter(|_| !encoded_only) {
                out.push((w.iter().collect(), place.as_str()));
            }
            for engine in [
                base64::engine::general_purpose::STANDARD_NO_PAD,
                base64::engine::general_purpose::URL_SAFE_NO_PAD,
            ] {
                for k in 0..3 {
                    // k bytes before the canary shift it in the base64
                    // groups; the first and last groups also depend on
                    // what surrounds it.
                    let mut bytes = vec![b'\0'; k];
                    bytes.extend_from_slice(c.as_bytes());
                    let enc = engine.encode(&bytes);
                    let inner: Vec<char> = enc.chars().skip(4).collect();
                    let inner = &inner[..inner.len().saturating_sub(4)];
                    for w in inner.windows(8) {
                        out.push((w.iter().collect(), place.as_str()));
                    }
                }
            }
        }
        out
    }
}

/// The pieces by their bytes, for one pass over an output.
struct Pieces<'a> {
    by_text: std::collections::HashMap<&'a [u8], &'a str>,
    lens: Vec<usize>,
}

impl<'a> Pieces<'a> {
    fn new(pieces: &'a [(String, &'a str)]) -> Pieces<'a> {
        let mut lens: Vec<usize> = pieces.iter().map(|(p, _)| p.len()).collect();
        lens.sort_unstable();
        lens.dedup();
        Pieces {
            by_text: pieces
                .iter()
                .map(|(p, place)| (p.as_bytes(), *place))
                .collect(),
            lens,
        }
    }

    /// Each canary found in `text`: (place, the piece, the line it is on).
    fn find(&self, text: &str) -> Vec<(&'a str, String, String)> {
        let b = text.as_bytes();
        let mut out: Vec<(&str, String, String)> = Vec::new();
        for i in 0..b.len() {
            for &n in &self.lens {
                let Some(w) = b.get(i..i + n) else { continue };
                let Some(place) = self.by_text.get(w) else {
                    continue;
                };
                if out.iter().any(|(p, _, _)| p == place) {
                    continue;
                }
                let start = text[..i].rfind('\n').map_or(0, |k| k + 1);
                let end = text[i..].find('\n').map_or(text.len(), |k| i + k);
                let line = String::from_utf8_lossy(&b[start..end]).into_owned();
                out.push((place, String::from_utf8_lossy(w).into_owned(), line));
            }
        }
        out
    }
}

/// The leaks of one run: "place: `piece` on stream: line", one per canary.
fn leaks(out: &std::process::Output, pieces: &Pieces) -> Vec<String> {
    let mut found = Vec::new();
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        for (place, piece, line) in pieces.find(&text) {
            found.push(format!("{place}: `{piece}` on {stream}: {line}"));
        }
    }
    found
}

fn b64url(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A PEM private key whose body is the canary.
fn pem(c: &str) -> String {
    format!("-----BEGIN PRIVATE KEY-----\n{c}\n-----END PRIVATE KEY-----\n")
}

/// A client assertion planted at `place`: its signature is a canary, and
/// so is its `jti`, of which only the base64 is forbidden (a credential's
/// claims may be shown decoded, the credential as written never).
fn assertion(k: &mut Canaries, place: &str) -> String {
    let sig = k.plant(&format!("{place}, signature"));
    let jti = k.plant_claim(&format!("{place}, as written"));
    let header = b64url(r#"{"alg":"RS256","kid":"k1"}"#);
    let claims = b64url(&format!(
        r#"{{"jti":"{jti}","iss":"app","sub":"app","aud":"https://as.example.com/token","exp":1767229200}}"#
    ));
    format!("{header}.{claims}.{sig}")
}

/// A DPoP proof whose header's `jwk` carries a private `d` (the canary).
fn private_proof(d: &str) -> String {
    let header = format!(
        r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"{d}"}}}}"#
    );
    let payload = r#"{"jti":"canary-jti-1","htm":"POST","htu":"https://as.example.com/token","iat":1767225595}"#;
    format!("{}.{}.{}", b64url(&header), b64url(payload), b64url("sig"))
}

/// The inputs of `check`, written into `dir`; returns the files to name
/// explicitly besides the folder.
fn write_inputs(dir: &Path, k: &mut Canaries) -> Vec<String> {
    let w = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    // Every secret parameter, one grant at a time, with the secret fields.
    let grants: Vec<(&str, Vec<&str>)> = vec![
        ("authorization_code", vec!["code", "code_verifier"]),
        ("refresh_token", vec!["refresh_token"]),
        ("password", vec!["password"]),
        ("client_credentials", vec!["client_secret"]),
        (
            "urn:ietf:params:oauth:grant-type:device_code",
            vec!["device_code"],
        ),
        (
            "urn:ietf:params:oauth:grant-type:token-exchange",
            vec!["subject_token", "actor_token", "device_secret"],
        ),
        ("urn:openid:params:grant-type:ciba", vec!["auth_req_id"]),
        (
            "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            vec!["pre-authorized_code", "tx_code"],
        ),
        (
            "urn:ietf:params:oauth:grant-type:jwt-bearer",
            vec!["assertion"],
        ),
    ];
    for (i, (grant, params)) in grants.iter().enumerate() {
        let mut body = format!("grant_type={}", grant.replace(':', "%3A"));
        // A raw `+` in each: its finding shows the value around it.
        for p in params {
            let c = k.plant(&format!("fixture parameter {p}"));
            body.push_str(&format!("&{p}={c}+1"));
        }
        // A `+` and a bad escape in a secret, and an access token there too.
        let plus = k.plant("fixture access_token with a raw +");
        body.push_str(&format!("&access_token={}+{plus}%zz", &plus[..4]));
        let cs = k.plant("fixture clientSecret field");
        let at = k.plant("fixture accessToken field");
        let ca = assertion(k, "fixture client_assertion");
        body.push_str(&format!(
            "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion={ca}+1"
        ));
        let fixture = serde_json::json!({
            "parameters": body,
            "clientId": "app",
            "clientSecret": cs,
            "accessToken": at,
        });
        w(
            &format!("fixtures/grant-{i}.json"),
            serde_json::to_string_pretty(&fixture).unwrap(),
        );
    }
    // A secret split by a raw `&`, twice; a private key in the certificate;
    // a proof with its private key.
    let (s1, s2, s3, s4) = (
        k.plant("split secret, head"),
        k.plant("split secret, tail as a name"),
        k.plant("split secret, tail name"),
        k.plant("split secret, tail value"),
    );
    let key = k.plant("PEM private key in clientCertificate");
    let d = k.plant("DPoP jwk d");
    w(
        "fixtures/split.json",
        serde_json::json!({
            "parameters": format!("grant_type=client_credentials&client_id=app&client_secret={s1}&{s2}&{s3}={s4}&scope=a"),
            "clientCertificate": pem(&key),
            "dpop": private_proof(&d),
            "htm": "POST",
            "htu": "https://as.example.com/token",
        })
        .to_string(),
    );
    // Misnamed and mistyped secret fields.
    let (m1, m2, m3, m4, m5) = (
        k.plant("unknown field client_secret"),
        k.plant("misspelt field clientSecrett"),
        k.plant("unknown field access_token"),
        k.plant("clientSecret as an array"),
        k.plant("clientSecret as an object"),
    );
    w(
        "fixtures/misnamed.json",
        format!(
            r#"{{"parameters":"grant_type=client_credentials","client_secret":"{m1}","clientSecrett":"{m2}","access_token":"{m3}"}}"#
        ),
    );
    w(
        "fixtures/mistyped-array.json",
        format!(r#"{{"parameters":"grant_type=client_credentials","clientSecret":["{m4}"]}}"#),
    );
    w(
        "fixtures/mistyped-object.json",
        format!(
            r#"{{"parameters":"grant_type=client_credentials","clientSecret":{{"value":"{m5}"}}}}"#
        ),
    );
    // Broken JSON: single quotes, bare words, a trailing comma.
    let (b1, b2, b3, b4) = (
        k.plant("broken JSON, single-quoted clientSecret"),
        k.plant("broken JSON, password in single-quoted parameters"),
        k.plant("broken JSON, unquoted client_secret"),
        k.plant("broken JSON, refresh_token before a trailing comma"),
    );
    w(
        "fixtures/broken-single.json",
        format!("{{'parameters': 'grant_type=password&username=a&password={b2}', 'clientSecret': '{b1}'}}"),
    );
    w(
        "fixtures/broken-bare.json",
        format!("{{parameters: \"grant_type=client_credentials\", client_secret: {b3}}}"),
    );
    w(
        "fixtures/broken-comma.json",
        format!(r#"{{"parameters":"grant_type=refresh_token&refresh_token={b4}",}}"#),
    );
    // Keys: walked (skipped) and named (linted, masked).
    let mut named = Vec::new();
    let (jd, rd, rp, rq, rdp, rdq, rqi, oth, ok, ap, sa) = (
        k.plant("EC JWK d"),
        k.plant("RSA JWK d"),
        k.plant("RSA JWK p"),
        k.plant("RSA JWK q"),
        k.plant("RSA JWK dp"),
        k.plant("RSA JWK dq"),
        k.plant("RSA JWK qi"),
        k.plant("RSA JWK oth"),
        k.plant("oct JWK k"),
        k.plant("AKP JWK priv"),
        k.plant("service-account private_key"),
    );
    let ec = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"{jd}"}}"#
    );
    let rsa = format!(
        r#"{{"kty":"RSA","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB","d":"{rd}","p":"{rp}","q":"{rq}","dp":"{rdp}","dq":"{rdq}","qi":"{rqi}","oth":[{{"r":"{oth}","d":"{oth}","t":"{oth}"}}]}}"#
    );
    let oct = format!(r#"{{"kty":"oct","k":"{ok}"}}"#);
    let akp = format!(r#"{{"kty":"AKP","alg":"ML-DSA-44","pub":"cHVi","priv":"{ap}"}}"#);
    let files = [
        ("keys/ec.json", ec.clone()),
        ("keys/rsa.json", rsa.clone()),
        ("keys/oct.json", oct),
        ("keys/akp.json", akp),
        ("keys/set.json", format!(r#"{{"keys":[{ec},{rsa}]}}"#)),
        (
            "keys/service-account.json",
            serde_json::json!({
                "type": "service_account",
                "project_id": "p",
                "private_key": pem(&sa),
                "client_email": "x@p.iam.gserviceaccount.com",
            })
            .to_string(),
        ),
        (
            "keys/package.json",
            r#"{"name":"x","version":"1.0.0"}"#.to_owned(),
        ),
    ];
    for (name, text) in files {
        w(name, text);
        named.push(dir.join(name).display().to_string());
    }
    // Raw HTTP captures.
    let (h1, h2, h3, h4, h6, h7) = (
        k.plant("http Basic client secret"),
        k.plant("http Cookie"),
        k.plant("http X-Api-Key"),
        k.plant("http query client_secret"),
        k.plant("http body refresh_token"),
        k.plant("http X-Auth-Key"),
    );
    let h5 = assertion(k, "http query client_assertion");
    w(
        "captures/basic.http",
        format!(
            "POST /token?client_secret={h4}&client_assertion={h5} HTTP/1.1\r\nHost: as.example.com\r\nAuthorization: Basic {}\r\nCookie: session={h2}\r\nX-Api-Key: {h3}\r\nX-Auth-Key: {h7}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\ngrant_type=refresh_token&refresh_token={h6}+1",
            b64(&format!("app:{h1}"))
        ),
    );
    let (n1, n2, n3, n4, n5) = (
        k.plant("Basic without a space"),
        k.plant("Basic with a colon"),
        k.plant("Basic folded"),
        k.plant("Bearer token"),
        k.plant("Authorization without a colon"),
    );
    for (i, auth) in [
        format!("Authorization: Basic{}", b64(&format!("app:{n1}"))),
        format!("Authorization: Basic:{}", b64(&format!("app:{n2}"))),
        format!("Authorization: Basic\r\n {}", b64(&format!("app:{n3}"))),
        format!("Authorization: Bearer {n4}"),
        format!("Authorization Bearer {n5}"),
    ]
    .iter()
    .enumerate()
    {
        w(
            &format!("captures/auth-{i}.http"),
            format!(
                "POST /token HTTP/1.1\r\nHost: as.example.com\r\n{auth}\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\ngrant_type=client_credentials"
            ),
        );
    }
    let (j1, j2) = (
        k.plant("JSON body client_secret"),
        k.plant("JSON body refresh_token"),
    );
    w(
        "captures/json-body.http",
        format!(
            "POST /token HTTP/1.1\r\nHost: as.example.com\r\nContent-Type: application/json\r\n\r\n{{\"grant_type\":\"refresh_token\",\"refresh_token\":\"{j2}\",\"client_id\":\"app\",\"client_secret\":\"{j1}\"}}"
        ),
    );
    let (r1, r2, r3) = (
        k.plant("REST-client variable"),
        k.plant("REST-client second request, Basic"),
        k.plant("REST-client second request, body"),
    );
    w(
        "captures/rest-client.http",
        format!(
            "@client_secret = {r1}\n@host = as.example.com\n\n### first\nPOST https://as.example.com/token HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=client_credentials&client_id=app&client_secret={{{{client_secret}}}}\n\n### second\nPOST https://as.example.com/token HTTP/1.1\nAuthorization: Basic {}\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=password&password={r3}\n",
            b64(&format!("app:{r2}"))
        ),
    );
    // A HAR: credentials in headers, cookies, the query, the body text and
    // its params, and tokens in the response.
    let (a1, a2, a3, a7, a8) = (
        k.plant("HAR Authorization"),
        k.plant("HAR request cookie"),
        k.plant("HAR query refresh_token"),
        k.plant("HAR response set-cookie"),
        k.plant("HAR response access_token"),
    );
    let a4 = assertion(k, "HAR query client_assertion");
    let a5 = assertion(k, "HAR postData client_assertion");
    let a6 = assertion(k, "HAR params client_assertion");
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [{
        "request": {
            "method": "POST",
            "url": format!("https://as.example.com/token?refresh_token={a3}&client_assertion={a4}"),
            "headers": [
                {"name": "Authorization", "value": format!("Bearer {a1}")},
                {"name": "Content-Type", "value": "application/x-www-form-urlencoded"},
            ],
            "cookies": [{"name": "sid", "value": a2}],
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "text": format!("grant_type=client_credentials&client_assertion={a5}+1"),
                "params": [{"name": "client_assertion", "value": a6}],
            },
        },
        "response": {
            "status": 200,
            "headers": [{"name": "Set-Cookie", "value": format!("sid={a7}")}],
            "content": {"text": format!("{{\"access_token\":\"{a8}\"}}")},
        },
    }]}});
    w(
        "captures/devtools.har",
        serde_json::to_string_pretty(&har).unwrap(),
    );
    // curl commands.
    let (c1, c2, c3, c4, c5, c6, c7, c8) = (
        k.plant("curl -u"),
        k.plant("curl Authorization: Bearer"),
        k.plant("curl X-Auth-Key"),
        k.plant("curl -b cookie"),
        k.plant("curl -d client_secret"),
        k.plant("curl --data-urlencode password"),
        k.plant("curl --oauth2-bearer"),
        k.plant("curl -H without a colon"),
    );
    w(
        "captures/cmd.curl",
        format!(
            "curl -u 'app:{c1}' -H 'Authorization: Bearer {c2}' -H 'X-Auth-Key: {c3}' -b 'sid={c4}' -d 'grant_type=client_credentials&client_secret={c5}' --data-urlencode 'password={c6}' https://as.example.com/token"
        ),
    );
    w(
        "captures/cmd2.curl",
        format!(
            "curl --oauth2-bearer {c7} -H 'Authorization Bearer {c8}' -d grant_type=client_credentials https://as.example.com/token"
        ),
    );
    named
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    common::tokenlint()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn no_output_shows_a_canary() {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Canaries::new();
    let walked = dir.path().join("in");
    let named = write_inputs(&walked, &mut k);
    let curl_flag = {
        let c = k.plant("--curl flag, -u");
        format!("curl -u app:{c} -d grant_type=client_credentials https://as.example.com/token")
    };

    // `token process`: flags, then `--body`.
    let (f1, f2, f3, f4, f5, f6, f7) = (
        k.plant("--client-secret"),
        k.plant("--access-token"),
        k.plant("-p password"),
        k.plant("-p client_secret split tail"),
        k.plant("--client-certificate private key"),
        k.plant("--dpop jwk d"),
        k.plant("--bearer"),
    );
    let params = format!("grant_type=password&username=a&password={f3}&client_secret=x&{f4}");
    let (cert, proof) = (pem(&f5), private_proof(&f6));
    let flags: Vec<&str> = vec![
        "token",
        "process",
        "--now",
        NOW,
        "-p",
        &params,
        "--client-id",
        "app",
        "--client-secret",
        &f1,
        "--access-token",
        &f2,
        "--client-certificate",
        &cert,
        "--dpop",
        &proof,
    ];
    let (g1, g2, g3, g4) = (
        k.plant("--body clientSecret"),
        k.plant("--body misnamed client_secret"),
        k.plant("--body code in parameters"),
        k.plant("--body broken, single-quoted clientSecret"),
    );
    let body = format!(
        r#"{{"parameters":"grant_type=authorization_code&code={g3}","clientSecret":"{g1}","client_secret":"{g2}"}}"#
    );
    let broken_body =
        format!("{{'parameters': 'grant_type=client_credentials', 'clientSecret': '{g4}'}}");
    // Argument errors: a secret given where the parser expects something
    // else is not echoed.
    let (e1, e2, e3, e4) = (
        k.plant("argument error: --access-token-duration"),
        k.plant("argument error: -o"),
        k.plant("argument error: --server"),
        k.plant("argument error: --now"),
    );
    let all_pieces = k.pieces();
    let pieces = Pieces::new(&all_pieces);
    let d = dir.path();

    let mut check: Vec<&str> = vec!["check", "--now", NOW, "in"];
    check.extend(named.iter().map(String::as_str));
    check.extend(["--curl", &curl_flag]);
    let mut runs: Vec<(String, Vec<&str>)> = Vec::new();
    let modes: Vec<Vec<&str>> = FORMATS
        .iter()
        .map(|f| vec!["-o", *f])
        .chain([
            vec!["--jq", "."],
            vec!["--debug"],
            vec!["--agent-mode"],
            vec!["--debug", "-o", "json"],
        ])
        .collect();
    for m in &modes {
        let mut a = check.clone();
        a.extend(m);
        runs.push((format!("check {m:?}"), a));
        let bodies = [
            ("flags", flags.clone()),
            (
                "--body",
                vec!["token", "process", "--now", NOW, "--body", &body],
            ),
            (
                "broken --body",
                vec!["token", "process", "--now", NOW, "--body", &broken_body],
            ),
        ];
        for (what, mut a) in bodies {
            a.extend(m);
            runs.push((format!("token process ({what}) {m:?}"), a));
        }
    }
    for extra in [
        &["--dry-run", "--bearer", &f7, "-s", "123"][..],
        &[
            "--dry-run",
            "--bearer",
            &f7,
            "-s",
            "123",
            "--debug",
            "-o",
            "json",
        ],
        &["--dry-run", "--bearer", &f7, "-s", "123", "--agent-mode"],
    ] {
        let mut a = flags.clone();
        a.extend_from_slice(extra);
        runs.push((format!("token process {extra:?}"), a));
        let mut a = vec!["token", "process", "--now", NOW, "--body", &body];
        a.extend_from_slice(extra);
        runs.push((format!("token process --body {extra:?}"), a));
    }
    let errors: Vec<Vec<&str>> = vec![
        vec!["token", "process", "--access-token-duration", &e1],
        vec!["check", "-o", &e2, "in"],
        vec![
            "token", "process", "--bearer", &f7, "--server", &e3, "--send",
        ],
        vec!["check", "--now", &e4, "--agent-mode", "in"],
    ];
    for e in errors {
        runs.push((format!("argument error {:?}", &e[..2]), e));
    }
    // Every run, then every leak at once: which places leak in which modes.
    let mut failures = Vec::new();
    for (what, args) in &runs {
        let out = run(d, args);
        for leak in leaks(&out, &pieces) {
            failures.push(format!("{what}: {leak}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} leaks:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Not vacuous: every input was read, the walk skipped the seven key
    // files, and the same files named on the command line were linted.
    let mut a = check.clone();
    a.extend(["-o", "json"]);
    let out = run(d, &a);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["skipped"], 7, "{doc}");
    let results = doc["results"].as_array().unwrap();
    let (skipped, sources): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) =
        results.iter().partition(|r| r.get("skipped").is_some());
    let sources: Vec<&str> = sources
        .iter()
        .filter_map(|r| r["source"].as_str())
        .collect();
    // (the REST-client file holds two token requests: two inputs)
    assert_eq!(sources.len(), 36, "{sources:?}");
    assert!(
        sources.iter().all(|s| !s.starts_with("in/keys")),
        "{sources:?}"
    );
    assert_eq!(sources.iter().filter(|s| s.contains("/keys/")).count(), 7);
    assert_eq!(skipped.len(), 7, "{skipped:?}");
    assert!(
        skipped.iter().all(|r| r["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("in/keys"))),
        "{skipped:?}"
    );
}

/// The canaries themselves: distinct, and each piece of each one found by
/// the check when it is printed (the test can fail).
#[test]
fn the_check_finds_a_printed_canary() {
    let mut k = Canaries::new();
    let a = k.plant("a");
    let b = k.plant("b");
    assert_ne!(a, b);
    let all = k.pieces();
    let pieces = Pieces::new(&all);
    let leaked = |text: &str| !pieces.find(text).is_empty();
    assert!(leaked(&format!("x {}y", &b[3..9])));
    assert!(leaked(&b64(&format!("app:{a}"))));
    assert!(leaked(&b64url(&format!(r#"{{"d":"{b}"}}"#))));
    assert!(!leaked("nothing secret here"));
}
