//! Shared by the end-to-end tests.

/// Environment variables that change the CLI's defaults (colour,
/// configuration, the Authlete service), removed for every run together with
/// the agent variables, so a test behaves the same on a developer's machine,
/// inside an AI agent and in CI.
pub const SCRUB_ENV: &[&str] = &[
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "TOKENLINT_CONFIG",
    "AUTHLETE_SERVICE_ID",
    "COLUMNS",
];

/// The built binary with [`SCRUB_ENV`] removed from its environment.
pub fn tokenlint() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_tokenlint"));
    for v in tokenlint::agent::ENV_VARS.iter().chain(SCRUB_ENV) {
        c.env_remove(v);
    }
    c
}
