//! The repository's chores, as `cargo xtask <command>` (the alias is in
//! `.cargo/config.toml`): scaffolding a rule, keeping README's rule table in
//! step with the registry, and regenerating the test data under `testdata/`.
//!
//! A workspace member but not a default one: `cargo build` and `cargo test`
//! at the root never compile it. `cargo test -p xtask` runs its own tests.

mod attack_testdata;
mod capture_testdata;
mod cert_testdata;
mod dpop_testdata;
mod new_rule;
mod rule_table;
mod testdata;
mod wycheproof;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "tokenlint's repository chores"
)]
struct Cli {
    /// The checkout to work in (default: the one this xtask was built from).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scaffold a rule: its declaration, its documentation skeleton and its
    /// row in README's rule table.
    NewRule(new_rule::Args),
    /// Regenerate README's rule table from the rule registry.
    RuleTable {
        /// Change nothing; exit 1 if the table is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Write testdata/good, bad, broken and their manifest testdata/expected.txt.
    Testdata {
        /// Change nothing; exit 1 if testdata/ differs from the table.
        #[arg(long, conflicts_with = "corpus")]
        check: bool,
        /// Write N parameter-only fixtures (default 10,000) to DIR instead:
        /// the corpus of bench/run.sh.
        #[arg(long, num_args = 1..=2, value_names = ["DIR", "N"])]
        corpus: Option<Vec<String>>,
    },
    /// Write testdata/dpop and the DPoP keys in testdata/keys.
    DpopTestdata,
    /// Write testdata/certs, testdata/attestation and testdata/assertion
    /// (fresh keys on every run: rerun only to make new ones).
    CertTestdata,
    /// Write the HTTP captures under testdata/captures and their manifest.
    CaptureTestdata {
        /// Change nothing; exit 1 if testdata/captures differs from the table.
        #[arg(long)]
        check: bool,
    },
    /// Write the RFC 8725 attack corpus testdata/attacks.
    AttackTestdata,
    /// Copy the Wycheproof vectors tests/it/wycheproof.rs runs into
    /// testdata/vectors/wycheproof, from a checkout of C2SP/wycheproof.
    Wycheproof {
        /// The Wycheproof checkout (the folder that holds testvectors_v1/).
        #[arg(value_name = "DIR")]
        checkout: PathBuf,
        /// The commit to name in the README (default: the checkout's HEAD).
        #[arg(long)]
        commit: Option<String>,
    },
}

static ROOT: OnceLock<PathBuf> = OnceLock::new();

/// The checkout the commands read and write.
pub fn root() -> &'static Path {
    ROOT.get_or_init(default_root)
}

fn default_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the checkout")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    ROOT.get_or_init(|| cli.root.clone().unwrap_or_else(default_root));
    let result = match cli.command {
        Command::NewRule(args) => new_rule::run(root(), &args),
        Command::RuleTable { check } => rule_table::run(root(), check),
        Command::Testdata { check, corpus } => testdata_mode(check, corpus).map(testdata::run),
        Command::DpopTestdata => {
            dpop_testdata::run();
            Ok(())
        }
        Command::CertTestdata => cert_testdata::run().map_err(|e| e.to_string()),
        Command::CaptureTestdata { check } => {
            capture_testdata::run(check);
            Ok(())
        }
        Command::AttackTestdata => {
            attack_testdata::run();
            Ok(())
        }
        Command::Wycheproof { checkout, commit } => wycheproof::run(&checkout, commit.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cargo xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn testdata_mode(check: bool, corpus: Option<Vec<String>>) -> Result<testdata::Mode, String> {
    let Some(corpus) = corpus else {
        return Ok(if check {
            testdata::Mode::Check
        } else {
            testdata::Mode::Write
        });
    };
    let dir = PathBuf::from(&corpus[0]);
    let n = match corpus.get(1) {
        None => None,
        Some(n) => Some(n.parse().map_err(|e| format!("--corpus N `{n}`: {e}"))?),
    };
    Ok(testdata::Mode::Corpus { dir, n })
}
