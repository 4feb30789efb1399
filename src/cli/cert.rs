//! `tokenlint cert inspect`, and the flags that the assertion and
//! attestation rules read: `--client-jwks`, `--attester-jwks`,
//! `--assertion-jwks`, `--attestation-challenge`, `--issuer` and
//! `--token-endpoint`.

use std::path::Path;

use tokenlint::lint::Settings;
use tokenlint::toolkit::cert as kit;

use super::args::{CertCommand, GlobalArgs};
use super::{emit_value, settings, Debug, UsageError, EXIT_FINDINGS, EXIT_OK};

fn read_jwks(flag: &str, path: &Path) -> Result<serde_json::Value, UsageError> {
    tokenlint::config::read_jwks(path).map_err(|e| UsageError(format!("{flag} {e}")))
}

/// Loads the key files and the challenge into the settings.
pub(super) fn apply_key_flags(g: &GlobalArgs, s: &mut Settings) -> Result<(), UsageError> {
    if let Some(p) = &g.client_jwks {
        s.client_jwks = Some(read_jwks("--client-jwks", p)?);
    }
    if let Some(p) = &g.attester_jwks {
        s.attester_jwks = Some(read_jwks("--attester-jwks", p)?);
    }
    if let Some(p) = &g.assertion_jwks {
        s.assertion_jwks = Some(read_jwks("--assertion-jwks", p)?);
    }
    if let Some(iss) = &g.issuer {
        s.issuer = Some(iss.clone());
    }
    if let Some(ep) = &g.token_endpoint {
        s.token_endpoint = Some(ep.clone());
    }
    if let Some(c) = &g.attestation_challenge {
        s.attestation_challenge = Some(c.clone());
    }
    Ok(())
}

pub(super) fn run(g: &GlobalArgs, debug: &Debug, cmd: CertCommand) -> Result<u8, UsageError> {
    match cmd {
        CertCommand::Inspect { file } => {
            let s = settings(g, debug)?;
            let input = super::read_bytes("", &file, s.limits.file)?;
            let inspection = kit::inspect(&input, &s).map_err(UsageError)?;
            emit_value(g, &inspection.to_json(), || inspection.to_text())?;
            Ok(if inspection.has_errors() && !g.exit_zero {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            })
        }
    }
}
