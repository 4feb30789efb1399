//! `check` streams its report: what it found in the first inputs is written
//! while later inputs are still being read, so a run over many files holds
//! only the inputs in flight (the memory goal of a 10,000-file run is
//! measured by bench/scale.sh, not here).

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{self, testdata, NOW};

/// A fixture with one error: the verifier is too short.
const BAD: &str = r#"{"parameters": "grant_type=authorization_code&code=c&code_verifier=short&client_id=app&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"}"#;

/// More inputs than one batch, so the first batch is written before the
/// last input (stdin) is read.
const FILES: usize = 300;

#[test]
fn the_first_inputs_are_reported_before_the_last_is_read() {
    let dir = std::env::temp_dir().join(format!("tokenlint-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..FILES {
        std::fs::write(dir.join(format!("f{i:04}.json")), BAD).unwrap();
    }
    let mut child = common::tokenlint()
        .args(["check", "--no-config", "--now", NOW, "-o", "github"])
        .arg(&dir)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    // stdin is still open: the first file's annotation must arrive anyway.
    let first = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("no output while the last input was unread: the report is not streamed");
    assert!(first.contains("f0000.json"), "{first}");
    assert!(
        child.try_wait().unwrap().is_none(),
        "tokenlint ended before its stdin was closed"
    );
    // Now the last input, then the end of it.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(BAD.as_bytes()).unwrap();
    drop(stdin);
    let status = child.wait().unwrap();
    let rest: Vec<String> = rx.iter().collect();
    assert_eq!(status.code(), Some(1));
    assert_eq!(rest.len() + 1, FILES + 1, "one annotation per input");
    assert!(rest.last().unwrap().contains("file=<stdin>"), "{rest:?}");
    // In the order of the inputs.
    assert!(rest[FILES - 2].contains(&format!("f{:04}.json", FILES - 1)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_jti_reused_by_a_later_input_is_the_replay() {
    // The examples in testdata/dpop/examples share a jti; the later one is
    // reported, naming the earlier, however many inputs lie between them.
    let dir = std::env::temp_dir().join(format!("tokenlint-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = testdata("dpop/examples");
    std::fs::copy(root.join("replay-1.json"), dir.join("a-first.json")).unwrap();
    for i in 0..FILES {
        std::fs::write(dir.join(format!("b{i:04}.json")), BAD).unwrap();
    }
    std::fs::copy(root.join("replay-2.json"), dir.join("c-again.json")).unwrap();
    let out = common::tokenlint()
        .args(["check", "--no-config", "--now", NOW, "-o", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let replays: Vec<(&str, &str)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["rule"] == "dpop/replay")
                .map(move |f| {
                    (
                        r["source"].as_str().unwrap(),
                        f["message"].as_str().unwrap(),
                    )
                })
        })
        .collect();
    assert_eq!(replays.len(), 1, "{replays:?}");
    assert!(replays[0].0.ends_with("c-again.json"));
    assert!(replays[0].1.contains("a-first.json"), "{}", replays[0].1);
    let _ = std::fs::remove_dir_all(&dir);
}
