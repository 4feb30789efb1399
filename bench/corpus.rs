//! The benchmark corpus: parameter-only fixtures (`{"parameters": "…"}`),
//! generated deterministically from an index. Shared by
//! `xtask/src/testdata.rs` (writes them to disk for `bench/run.sh`) and
//! `benches/lint.rs` (lints them in memory), so both measure the same inputs.
//!
//! The mix is what a folder of captured token requests looks like: mostly
//! well-formed authorization-code, refresh, client-credentials and device
//! requests, with one in eight carrying a typical mistake (a raw `+`, a bad
//! `%` escape, a repeated parameter, a short verifier).

/// How many fixtures `bench/run.sh` and the in-memory benchmark use.
pub const COUNT: usize = 10_000;

/// A small deterministic generator (SplitMix64), so the corpus needs no
/// dependency and is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// `len` characters of the base64url alphabet.
    fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len)
            .map(|_| ALPHABET[self.below(64) as usize] as char)
            .collect()
    }
}

/// The `parameters` string of fixture `i`.
pub fn parameters(i: usize) -> String {
    let mut r = Rng(i as u64 ^ 0x746F_6B65_6E6C_696E);
    let client = format!("client-{}", r.below(500));
    let mut p = match r.below(4) {
        0 => {
            let code = r.token(22);
            let app = r.below(50);
            let len = 43 + r.below(40) as usize;
            format!(
                "grant_type=authorization_code&code={}&redirect_uri=https%3A%2F%2Fapp{}.example.com%2Fcallback&code_verifier={}&client_id={client}",
                code,
                app,
                r.token(len),
            )
        }
        1 => format!(
            "grant_type=refresh_token&refresh_token={}&scope=openid+profile&client_id={client}",
            r.token(43)
        ),
        2 => format!(
            "grant_type=client_credentials&scope=api.read+api.write&client_id={client}&client_secret={}",
            r.token(32)
        ),
        _ => format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code={}&client_id={client}",
            r.token(40)
        ),
    };
    if r.below(8) == 0 {
        match r.below(4) {
            0 => p.push_str("&client_secret=ab+cd"),
            1 => p.push_str("&state=100%"),
            2 => p.push_str("&scope=a&scope=b"),
            _ => p.push_str("&code_verifier=short"),
        }
    }
    p
}

/// Fixture `i` as a complete JSON document.
pub fn fixture(i: usize) -> String {
    // The parameters use only form-safe ASCII: no JSON escaping needed.
    format!("{{\"parameters\": \"{}\"}}\n", parameters(i))
}

/// The file name of fixture `i` in the on-disk corpus.
pub fn file_name(i: usize) -> String {
    format!("fixture-{i:05}.json")
}
