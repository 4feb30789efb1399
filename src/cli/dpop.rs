//! `tokenlint dpop keygen|proof|inspect|thumbprint`, and the `--profile` /
//! `--iat-window` flags that DPoP linting reads.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};
use tokenlint::clock;
use tokenlint::jose::jwk;
use tokenlint::lint::{profile, Settings};
use tokenlint::report::stream::{render_all, Format};
use tokenlint::report::{self, Outcome};
use tokenlint::text::printable_path;
use tokenlint::toolkit::dpop::{self as kit, Inspection, ProofOptions, SigningKey};

use super::args::{
    DpopCommand, GlobalArgs, InspectArgs, KeyFormat, KeygenArgs, OutputFormat, ProofArgs,
    ThumbprintArgs,
};
use super::{settings, write_stdout, Debug, UsageError, EXIT_FINDINGS, EXIT_OK};

/// Applies `--profile` and `--iat-window` (after the configuration file).
pub(super) fn apply_profile_flags(g: &GlobalArgs, s: &mut Settings) -> Result<(), UsageError> {
    if let Some(p) = &g.profile {
        profile::validate(p).map_err(|e| UsageError(format!("--profile: {e}")))?;
        s.profile = Some(p.clone());
    }
    if let Some(w) = &g.iat_window {
        let window = tokenlint::config::parse_window(w).ok_or_else(|| {
            UsageError(format!(
                "--iat-window: {} is not PAST or PAST:FUTURE in whole seconds",
                tokenlint::text::shown_value(w, 24)
            ))
        })?;
        s.iat_window = Some(window);
    }
    if let Some(algs) = &g.dpop_algs {
        let algs = tokenlint::config::parse_dpop_algs(algs)
            .map_err(|e| UsageError(format!("--dpop-algs: {e}")))?;
        s.dpop_algs = Some(algs);
    }
    Ok(())
}

pub(super) fn run(g: &GlobalArgs, debug: &Debug, cmd: DpopCommand) -> Result<u8, UsageError> {
    let json_out = super::output_format(g) == OutputFormat::Json;
    match cmd {
        DpopCommand::Keygen(a) => keygen(&a, json_out),
        DpopCommand::Proof(a) => proof(g, debug, a, json_out),
        DpopCommand::Inspect(a) => inspect(g, debug, a, json_out),
        DpopCommand::Thumbprint(a) => thumbprint(&a, json_out),
    }
}

/// `dpop keygen`: the private key to its file (or, asked for, to stdout
/// after the public part), the public key and its thumbprint to stdout.
fn keygen(a: &KeygenArgs, json_out: bool) -> Result<u8, UsageError> {
    let key = SigningKey::generate(&a.alg)?;
    let printed_private = save_private_key(&key, a)?;
    let public = key.public_jwk();
    let text = if json_out {
        let mut v = json!({"alg": key.alg, "jwk": public, "jkt": key.thumbprint()});
        if let Some(p) = &a.out {
            v["private_key_file"] = json!(p.display().to_string());
        }
        format!("{}\n", serde_json::to_string_pretty(&v)?)
    } else {
        format!(
            "alg: {}\npublic jwk: {}\njkt (RFC 7638 thumbprint): {}\n",
            key.alg,
            public,
            key.thumbprint()
        )
    };
    write_stdout(&text)?;
    if let Some(p) = printed_private {
        // Explicitly asked for: the private key, after the public part.
        write_stdout(&p)?;
    }
    Ok(EXIT_OK)
}

/// Without `--out` or `--print-private-key`, a private key would be lost or
/// printed unasked.
const NO_KEY_DESTINATION: &str = "give --out FILE for the private key (written with mode 0600); \
    tokenlint prints a private key to stdout only with --print-private-key";

/// Writes the private key to `--out`, or returns its text for
/// `--print-private-key`.
fn save_private_key(key: &SigningKey, a: &KeygenArgs) -> Result<Option<String>, UsageError> {
    let private_text = |fmt: KeyFormat| -> Result<String, UsageError> {
        Ok(match fmt {
            KeyFormat::Jwk => key.private_jwk_text(),
            KeyFormat::Pem => key.private_pem_text()?,
        })
    };
    if let Some(path) = &a.out {
        let by_name = if path.extension().is_some_and(|e| e == "pem") {
            KeyFormat::Pem
        } else {
            KeyFormat::Jwk
        };
        write_private(path, &private_text(a.format.unwrap_or(by_name))?)?;
        errln!(
            "private key written to {} (mode 0600); keep it out of version control",
            printable_path(path)
        );
        Ok(None)
    } else if a.print_private_key {
        Ok(Some(private_text(a.format.unwrap_or(KeyFormat::Jwk))?))
    } else {
        Err(UsageError(NO_KEY_DESTINATION.into()))
    }
}

/// `dpop proof`: a signed proof, alone or (JSON) with its decoded parts.
/// A proof is made for a live request: its `iat` is `--iat`, else `--now`,
/// else the system clock, never a clock a configuration pins for `check`.
fn proof(g: &GlobalArgs, debug: &Debug, a: ProofArgs, json_out: bool) -> Result<u8, UsageError> {
    let key = SigningKey::load(&a.key, a.alg.as_deref(), super::default_file_limit())?;
    if let Some(cut) = a.htu.find(['?', '#']) {
        return Err(UsageError(format!(
            "--htu must not have a query or fragment (RFC 9449 §4.2): use {}",
            &a.htu[..cut]
        )));
    }
    let iat = match (&a.iat, &g.now) {
        (Some(t), _) => clock::parse_now(t).map_err(|e| UsageError(format!("--iat: {e}")))?,
        (None, Some(t)) => clock::parse_now(t).map_err(|e| UsageError(format!("--now: {e}")))?,
        (None, None) => clock::system_now(),
    };
    debug.log(|| format!("iat: {iat} ({})", clock::format_rfc3339(iat)));
    let opts = ProofOptions {
        htu: a.htu,
        htm: a.htm,
        nonce: a.nonce,
        access_token: a.access_token,
        iat,
        jti: a.jti,
    };
    let proof = kit::make_proof(&key, &opts)?;
    if json_out {
        let jws = tokenlint::jose::compact::parse(&proof).ok();
        let v = json!({
            "proof": proof,
            "jkt": key.thumbprint(),
            "header": jws.as_ref().map(|j| j.header.value.to_json()),
            "payload": jws.as_ref().map(|j| j.payload.value.to_json()),
        });
        write_stdout(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        write_stdout(&format!("{proof}\n"))?;
    }
    Ok(EXIT_OK)
}

/// `dpop inspect`: the decoded proof, its thumbprint and signature, and its
/// `dpop/` findings; exit 1 on an error finding.
fn inspect(
    g: &GlobalArgs,
    debug: &Debug,
    a: InspectArgs,
    json_out: bool,
) -> Result<u8, UsageError> {
    let s = settings(g, debug)?;
    // The proof, or a file holding it (`-`: stdin).
    let proof = match super::read_if_file(a.proof.trim(), s.limits.file)? {
        Some(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        None => a.proof.clone(),
    };
    let htu = a.htu.or_else(|| s.token_endpoint.clone());
    let i = kit::inspect(&proof, a.htm.as_deref(), htu.as_deref(), &s);
    let errors = i.report.has_errors();
    let text = if json_out {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&inspection_json(&i, &s))?
        )
    } else {
        inspection_text(g, i, &s)
    };
    // The pretty report in it may be coloured.
    super::out::stdout(&text, !json_out && super::use_color(g))?;
    Ok(if errors && !g.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn inspection_json(i: &Inspection, s: &Settings) -> Value {
    let findings: Vec<Value> = i
        .report
        .findings
        .iter()
        .map(|f| report::json::finding_json(&i.report, f))
        .collect();
    json!({
        "header": i.header,
        "payload": i.payload,
        "jkt": i.thumbprint,
        "signature": i.signature,
        "htu_compared": i.htu_compared,
        "profile": s.profile.clone().unwrap_or_else(|| profile::DEFAULT.into()),
        "findings": findings,
    })
}

/// The decoded parts, the `iat` against the clock, the thumbprint and
/// signature, then the findings as the pretty report shows them.
fn inspection_text(g: &GlobalArgs, i: Inspection, s: &Settings) -> String {
    // serde_json escapes C0 controls in strings, not DEL, C1 or bidi.
    let show = |v: &Option<Value>| {
        v.as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
            .map(|t| tokenlint::text::printable_lines(&t).into_owned())
            .unwrap_or_else(|| "(not decodable)".into())
    };
    let mut out = String::new();
    out.push_str(&format!("header:\n{}\n", show(&i.header)));
    out.push_str(&format!("payload:\n{}\n", show(&i.payload)));
    let iat = i.payload.as_ref().and_then(|p| p.get("iat"));
    if let Some(iat) = iat.and_then(Value::as_i64) {
        out.push_str(&format!(
            "iat: {} (now {})\n",
            clock::format_rfc3339(iat),
            clock::format_rfc3339(s.now)
        ));
    }
    out.push_str(&format!(
        "jkt (RFC 7638 thumbprint of jwk): {}\nsignature: {}\n",
        i.thumbprint.as_deref().unwrap_or("(no usable jwk)"),
        i.signature
    ));
    if !i.htu_compared {
        out.push_str("htu: not compared (give --htu URL, or token-endpoint in tokenlint.toml)\n");
    }
    out.push('\n');
    let format = Format::Pretty(report::pretty::Options {
        color: super::use_color(g),
        width: super::terminal_width(),
    });
    out.push_str(&render_all(format, &[Outcome::Linted(i.report)]));
    out
}

/// `dpop thumbprint`: the jkt of a key or a proof's jwk, and with
/// `--access-token` its ath. A file wins over reading the argument as a
/// key or proof: `client.key`, `./keys/dpop.pem` and `jwk.json` are paths.
fn thumbprint(a: &ThumbprintArgs, json_out: bool) -> Result<u8, UsageError> {
    let given = a.input.trim();
    let text = match super::read_if_file(given, super::default_file_limit())? {
        Some(bytes) => String::from_utf8(bytes)
            .map_err(|_| UsageError(format!("{given}: not UTF-8 text (a PEM or JWK file)")))?,
        None => given.to_owned(),
    };
    let jkt = kit::thumbprint_of(&text)?;
    let ath = a.access_token.as_deref().map(jwk::ath);
    if json_out {
        write_stdout(&format!("{}\n", json!({"jkt": jkt, "ath": ath})))?;
    } else if let Some(ath) = ath {
        write_stdout(&format!("jkt: {jkt}\nath: {ath}\n"))?;
    } else {
        write_stdout(&format!("{jkt}\n"))?;
    }
    Ok(EXIT_OK)
}

/// Creates the key file with mode 0600, refusing to overwrite.
fn write_private(path: &Path, text: &str) -> Result<(), UsageError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            UsageError(format!(
                "{} exists; tokenlint never overwrites a key file",
                printable_path(path)
            ))
        } else {
            UsageError(format!("cannot create {}: {e}", printable_path(path)))
        }
    })?;
    f.write_all(text.as_bytes())?;
    Ok(())
}
