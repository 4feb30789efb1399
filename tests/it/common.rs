//! The one way the end-to-end tests spawn the binary and find the
//! repository's files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The clock every fixture and rule doc is valid at: 2026-01-01T00:00:00Z,
/// as the command line takes it.
pub const NOW: &str = "1767225600";

/// Environment variables that change the CLI's defaults (colour,
/// configuration, the Authlete service and its credentials), removed for
/// every run together with the agent variables, so a test behaves the same on
/// a developer's machine, inside an AI agent and in CI.
pub const SCRUB_ENV: &[&str] = &[
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "TOKENLINT_CONFIG",
    "AUTHLETE_SERVICE_ID",
    "AUTHLETE_SERVER_URL",
    "AUTHLETE_BEARER",
    "AUTHLETE_TOKEN",
    "AUTHLETE_BEARER_TOKEN",
    "COLUMNS",
];

/// The built binary's path.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tokenlint")
}

/// The built binary with [`SCRUB_ENV`] removed from its environment.
pub fn tokenlint() -> Command {
    let mut c = Command::new(bin());
    scrub(&mut c);
    c
}

/// The built binary run through a wrapper such as `strace -f …`: the first
/// word is the program, the rest its arguments, then the binary. The
/// environment is scrubbed as for [`tokenlint`] (the wrapper passes it on).
pub fn tokenlint_under(wrapper: &[String]) -> Command {
    let Some((program, args)) = wrapper.split_first() else {
        return tokenlint();
    };
    let mut c = Command::new(program);
    c.args(args).arg(bin());
    scrub(&mut c);
    c
}

fn scrub(c: &mut Command) {
    for v in tokenlint::agent::ENV_VARS.iter().chain(SCRUB_ENV) {
        c.env_remove(v);
    }
}

/// The repository's root (the checkout, not the test's working folder).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    root().join("testdata").join(rel)
}

/// `sh -c script` with the built binary first on `PATH` as `tokenlint`,
/// the environment scrubbed as for [`tokenlint`], from the repository root:
/// a command line as README writes it.
pub fn shell(script: &str) -> Command {
    let dir = Path::new(bin()).parent().expect("the binary's folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    let mut c = Command::new("sh");
    c.arg("-c").arg(script).current_dir(root());
    scrub(&mut c);
    c.env("PATH", std::env::join_paths(dirs).expect("a PATH"));
    c
}

/// The binary (environment scrubbed) run in `dir`, which is also its home
/// and configuration folder: no credentials file or configuration of the
/// machine's is read.
pub fn tokenlint_at_home(dir: &Path) -> Command {
    let mut c = tokenlint();
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"));
    c
}

/// Runs the binary (environment scrubbed) with `args`.
pub fn run(args: &[&str]) -> std::process::Output {
    tokenlint()
        .args(args)
        .output()
        .expect("the tokenlint binary runs")
}

/// An output as one text, for an assertion's message: the exit code, then
/// standard output and standard error.
pub fn describe(o: &std::process::Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Standard output parsed as JSON; the whole output in the panic if it is not.
pub fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", describe(o)))
}

/// A DPoP proof for `htu`, signed with testdata's ES256 key and issued at
/// [`NOW`] (`tokenlint dpop proof`).
pub fn dpop_proof(htu: &str) -> String {
    let key = testdata("keys/dpop-es256.jwk").display().to_string();
    let o = run(&[
        "--no-config",
        "dpop",
        "proof",
        "--key",
        &key,
        "--htu",
        htu,
        "--iat",
        NOW,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}
