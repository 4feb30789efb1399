//! `tokenlint dpop keygen|proof|inspect|thumbprint`, and the `--profile` /
//! `--iat-window` flags that DPoP linting reads.

use std::io::{Read, Write};
use std::path::Path;

use serde_json::json;
use tokenlint::clock;
use tokenlint::jose::jwk;
use tokenlint::lint::{profile, Settings};
use tokenlint::report::{self, Outcome};
use tokenlint::toolkit::dpop::{self as kit, ProofOptions, SigningKey};

use super::args::{DpopCommand, GlobalArgs, KeyFormat, OutputFormat};
use super::{settings, write_stdout, Debug, UsageError, EXIT_FINDINGS, EXIT_OK};

/// Applies `--profile` and `--iat-window` (after the configuration file).
pub(super) fn apply_profile_flags(g: &GlobalArgs, s: &mut Settings) -> Result<(), UsageError> {
    if let Some(p) = &g.profile {
        profile::validate(p).map_err(|e| UsageError(format!("--profile: {e}")))?;
        s.profile = Some(p.clone());
    }
    if let Some(w) = &g.iat_window {
        let parse = |x: &str| {
            x.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    UsageError(format!(
                        "--iat-window: {} is not PAST or PAST:FUTURE in whole seconds",
                        tokenlint::text::shown_value(w, 24)
                    ))
                })
        };
        s.iat_window = Some(match w.split_once(':') {
            Some((p, f)) => (parse(p)?, parse(f)?),
            None => (parse(w)?, parse(w)?),
        });
    }
    Ok(())
}

pub(super) fn run(g: &GlobalArgs, debug: &Debug, cmd: DpopCommand) -> Result<u8, UsageError> {
    let json_out = super::output_format(g) == OutputFormat::Json;
    match cmd {
        DpopCommand::Keygen {
            alg,
            out,
            format,
            print_private_key,
        } => {
            let key = SigningKey::generate(&alg)?;
            let private_text = |fmt: KeyFormat| -> Result<String, UsageError> {
                Ok(match fmt {
                    KeyFormat::Jwk => key.private_jwk_text(),
                    KeyFormat::Pem => key.private_pem_text()?,
                })
            };
            let mut printed_private = None;
            if let Some(path) = &out {
                let fmt = format.unwrap_or(if path.extension().is_some_and(|e| e == "pem") {
                    KeyFormat::Pem
                } else {
                    KeyFormat::Jwk
                });
                write_private(path, &private_text(fmt)?)?;
                eprintln!(
                    "private key written to {} (mode 0600); keep it out of version control",
                    path.display()
                );
            } else if print_private_key {
                printed_private = Some(private_text(format.unwrap_or(KeyFormat::Jwk))?);
            } else {
                return Err(UsageError(
                    "give --out FILE for the private key (written with mode 0600); tokenlint prints a private key to stdout only with --print-private-key".into(),
                ));
            }
            let public = key.public_jwk();
            let text = if json_out {
                let mut v = json!({"alg": key.alg, "jwk": public, "jkt": key.thumbprint()});
                if let Some(p) = &out {
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
        DpopCommand::Proof {
            key,
            htu,
            htm,
            nonce,
            access_token,
            iat,
            jti,
            alg,
        } => {
            let s = settings(g, debug)?;
            let k = SigningKey::load(&key, alg.as_deref())?;
            if htu.contains(['?', '#']) {
                return Err(UsageError(format!(
                    "--htu must not have a query or fragment (RFC 9449 §4.2): use {}",
                    &htu[..htu.find(['?', '#']).unwrap_or(htu.len())]
                )));
            }
            let iat = match iat {
                Some(t) => clock::parse_now(&t).map_err(|e| UsageError(format!("--iat: {e}")))?,
                None => s.now,
            };
            let opts = ProofOptions {
                htu,
                htm,
                nonce,
                access_token,
                iat,
                jti,
            };
            let proof = kit::make_proof(&k, &opts)?;
            if json_out {
                let jws = tokenlint::jose::compact::parse(&proof).ok();
                let v = json!({
                    "proof": proof,
                    "jkt": k.thumbprint(),
                    "header": jws.as_ref().map(|j| j.header.value.to_json()),
                    "payload": jws.as_ref().map(|j| j.payload.value.to_json()),
                });
                write_stdout(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
            } else {
                write_stdout(&format!("{proof}\n"))?;
            }
            Ok(EXIT_OK)
        }
        DpopCommand::Inspect { proof, htm, htu } => {
            let s = settings(g, debug)?;
            let proof = read_arg(&proof)?;
            let htu = htu.or_else(|| s.token_endpoint.clone());
            let i = kit::inspect(&proof, htm.as_deref(), htu.as_deref(), &s);
            let errors = i.report.has_errors();
            if json_out {
                let v = json!({
                    "header": i.header,
                    "payload": i.payload,
                    "jkt": i.thumbprint,
                    "signature": i.signature,
                    "profile": s.profile.clone().unwrap_or_else(|| profile::DEFAULT.into()),
                    "findings": i.report.findings.iter().map(|f| report::json::finding_json(&i.report, f)).collect::<Vec<_>>(),
                });
                write_stdout(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
            } else {
                let mut out = String::new();
                let show = |v: &Option<serde_json::Value>| {
                    v.as_ref()
                        .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
                        .unwrap_or_else(|| "(not decodable)".into())
                };
                out.push_str(&format!("header:\n{}\n", show(&i.header)));
                out.push_str(&format!("payload:\n{}\n", show(&i.payload)));
                if let Some(iat) = i
                    .payload
                    .as_ref()
                    .and_then(|p| p.get("iat"))
                    .and_then(|v| v.as_i64())
                {
                    out.push_str(&format!(
                        "iat: {} (now {})\n",
                        clock::format_rfc3339(iat),
                        clock::format_rfc3339(s.now)
                    ));
                }
                out.push_str(&format!(
                    "jkt (RFC 7638 thumbprint of jwk): {}\nsignature: {}\n\n",
                    i.thumbprint.as_deref().unwrap_or("(no usable jwk)"),
                    i.signature
                ));
                let outcomes = vec![Outcome::Linted(i.report)];
                out.push_str(&report::pretty::render(
                    &outcomes,
                    report::pretty::Options {
                        color: super::use_color(g),
                        width: super::terminal_width(),
                    },
                ));
                write_stdout(&out)?;
            }
            Ok(if errors && !g.exit_zero {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            })
        }
        DpopCommand::Thumbprint {
            input,
            access_token,
        } => {
            let text = read_arg(&input)?;
            let text = if !text.trim_start().starts_with('{')
                && !text.contains('.')
                && Path::new(text.trim()).is_file()
            {
                std::fs::read_to_string(text.trim())?
            } else {
                text
            };
            let jkt = kit::thumbprint_of(&text)?;
            let ath = access_token.as_deref().map(jwk::ath);
            if json_out {
                write_stdout(&format!("{}\n", json!({"jkt": jkt, "ath": ath})))?;
            } else if let Some(a) = ath {
                write_stdout(&format!("jkt: {jkt}\nath: {a}\n"))?;
            } else {
                write_stdout(&format!("{jkt}\n"))?;
            }
            Ok(EXIT_OK)
        }
    }
}

/// An argument value, `-` reading stdin.
fn read_arg(v: &str) -> Result<String, UsageError> {
    if v == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok(s.trim().to_owned())
    } else {
        Ok(v.to_owned())
    }
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
                path.display()
            ))
        } else {
            UsageError(format!("cannot create {}: {e}", path.display()))
        }
    })?;
    f.write_all(text.as_bytes())?;
    Ok(())
}
