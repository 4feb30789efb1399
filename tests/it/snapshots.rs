//! Snapshot tests (insta) of what users see: the pretty output of one
//! representative fixture per rule area, so a change to the rendering or a
//! message is reviewed (`cargo insta review`, or `INSTA_UPDATE=always cargo
//! test --test it snapshots` and read the diff of `tests/it/snapshots/`).
//!
//! Runs from the repository root with relative paths, no colour, a fixed
//! width (COLUMNS) and a pinned clock, so the snapshots do not depend on the
//! machine, the checkout's location or the date.

use crate::common::{self, root, NOW};

fn pretty(args: &[&str]) -> (i32, String) {
    let mut c = common::tokenlint();
    c.current_dir(root())
        .args(["--color", "never", "-o", "pretty"])
        .args(args)
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1");
    let out = c.output().expect("the tokenlint binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !stdout.contains(env!("CARGO_MANIFEST_DIR")),
        "the output names the absolute checkout path:\n{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "colour in --color never output");
    (out.status.code().unwrap_or(-1), stdout)
}

/// `check FILE` without configuration, at the fixtures' clock.
fn check(file: &str) -> String {
    let (code, out) = pretty(&["check", "--no-config", "--now", NOW, file]);
    assert_eq!(code, 1, "{file} has an error finding:\n{out}");
    out
}

macro_rules! area {
    ($name:ident, $file:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), check($file), $file);
        }
    };
}

area!(input, "testdata/bad/input-wrong-type.json");
area!(params, "testdata/bad/params-bad-percent-encoding.json");
area!(grant, "testdata/bad/grant-missing-parameter.json");
area!(pkce, "testdata/bad/multi-postman-plus.json");
area!(
    client_auth,
    "testdata/bad/client-auth-multiple-methods.json"
);
area!(options, "testdata/bad/options-properties-shape.json");
area!(dpop, "testdata/dpop/reports/proxy-scheme.json");
area!(cert, "testdata/certs/examples/expired.json");
area!(attestation, "testdata/attestation/examples/att-typ.json");
area!(capture, "testdata/captures/bad/basic-no-colon.http");
area!(broken, "testdata/broken/trailing-comma.json");

/// With the repository's tokenlint.toml: a negative fixture's errors are
/// expected (exit 0, "with expected errors").
#[test]
fn expected_errors() {
    let (code, out) = pretty(&[
        "check",
        "testdata/bad/pkce-verifier-length.json",
        "testdata/good/ciba.json",
    ]);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("expected_errors", out);
}
