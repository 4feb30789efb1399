//! The one way tokenlint reads a file or stdin: with a size limit (the file
//! limit, `limits.file`) and never from something that may not end or may
//! never answer (a FIFO, a socket, a device), so that no input, named or
//! found by a folder walk, exhausts memory or hangs a run.
//!
//! Every reader goes through here: `check`'s inputs, `cert inspect`,
//! `--client-jwks`, `--attester-jwks`, `--config` / `TOKENLINT_CONFIG` and
//! discovered configuration, `--response`, `--body -`, `dpop proof --key`,
//! `dpop inspect -`, `dpop thumbprint -`, the credentials file. An error
//! names the limit; the CLI reports it (exit 2).

use std::io::{self, Read};
use std::path::Path;

/// The path that means stdin.
pub const STDIN: &str = "-";

/// The error for an input over the file size limit (`limits.file`), naming
/// the limit.
pub fn too_large(len: u64, limit: usize) -> String {
    format!(
        "the input is {len} bytes, over the file size limit of {limit} bytes (limits.file); \
         it was not read"
    )
}

fn too_large_stream(limit: usize) -> String {
    format!(
        "the input is more than {limit} bytes, over the file size limit of {limit} bytes \
         (limits.file); it was not read"
    )
}

/// What a path that is not a regular file is, when tokenlint refuses to read it.
pub fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// The error for a named path that is not a regular file.
pub fn not_regular(kind: &str) -> String {
    format!(
        "not read: it is {kind}, not a regular file (a pipe or a device may never end or \
         never answer); to read a stream, give `-` and send it to stdin"
    )
}

/// Reads a file (`-` is stdin), refusing one over `limit` bytes: a regular
/// file by its size before reading, a stream once it grows past the limit.
/// A named path that is not a regular file (a FIFO, a socket, a device) is
/// refused before it is opened, so reading never blocks on it.
pub fn bytes(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    if path.as_os_str() == STDIN {
        return stream(io::stdin().lock(), limit);
    }
    // `stat` does not open the file: a FIFO with no writer cannot block here.
    let meta = std::fs::metadata(path)?;
    if let Some(kind) = special_kind(&meta) {
        return Err(io::Error::other(not_regular(kind)));
    }
    if meta.len() > limit as u64 {
        return Err(io::Error::other(too_large(meta.len(), limit)));
    }
    let file = std::fs::File::open(path)?;
    // Replaced between the `stat` and the `open`: check what was opened.
    opened(file, limit)
}

/// Reads a file a folder walk found to be a regular file (its directory
/// entry said so), with one path lookup, not two: it is opened without a
/// `stat` first, but without blocking (`O_NONBLOCK`: were a FIFO put in its
/// place since the walk, the open returns at once), and refused after the
/// open, as [`bytes`] refuses it, if it is not a regular file or is over
/// `limit`. (A device is never opened by [`bytes`]: opening some has an
/// effect; a walk has seen this entry was none.)
pub fn walked(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    {
        return bytes(path, limit);
    }
    #[cfg(unix)]
    opened(options.open(path)?, limit)
}

/// Files up to this size are read with one call: a buffer one byte larger
/// than the file, filled short (a regular file reads short only at its
/// end), with no second call to see the end.
const ONE_READ: usize = 64 << 10;

/// Reads an open file, refusing it if it is not a regular file or is over
/// `limit` bytes.
fn opened(mut file: std::fs::File, limit: usize) -> io::Result<Vec<u8>> {
    let meta = file.metadata()?;
    if let Some(kind) = special_kind(&meta) {
        return Err(io::Error::other(not_regular(kind)));
    }
    if meta.len() > limit as u64 {
        return Err(io::Error::other(too_large(meta.len(), limit)));
    }
    // The size is known: one allocation of that size, which becomes the
    // source text as is (see `request::decode_lossy_owned`). A file that
    // grew since is still cut at the limit.
    let size = usize::try_from(meta.len()).unwrap_or(limit).min(limit);
    if size < ONE_READ {
        let mut out = vec![0; size + 1];
        let n = loop {
            match file.read(&mut out) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                read => break read?,
            }
        };
        out.truncate(n);
        if n <= size {
            return Ok(out);
        }
        // It grew since the `fstat`: the rest as a stream.
        read_at_most(file, limit, &mut out)?;
        return Ok(out);
    }
    let mut out = Vec::with_capacity(size);
    read_at_most(file, limit, &mut out)?;
    Ok(out)
}

/// [`bytes`] as UTF-8 text; invalid UTF-8 is an error.
pub fn string(path: &Path, limit: usize) -> io::Result<String> {
    let b = bytes(path, limit)?;
    String::from_utf8(b)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("not UTF-8 text: {e}")))
}

/// Reads a stream to its end, refusing it once it is over `limit` bytes:
/// at most `limit + 1` bytes are ever held.
pub fn stream(r: impl Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    read_at_most(r, limit, &mut out)?;
    Ok(out)
}

/// Appends what is left of `r` to `out`, refusing the whole once it is
/// over `limit` bytes.
fn read_at_most(r: impl Read, limit: usize, out: &mut Vec<u8>) -> io::Result<()> {
    let room = (limit + 1).saturating_sub(out.len());
    r.take(room as u64).read_to_end(out)?;
    if out.len() > limit {
        out.clear();
        out.shrink_to_fit();
        return Err(io::Error::other(too_large_stream(limit)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        std::fs::write(&path, vec![b' '; 100]).unwrap();
        assert_eq!(bytes(&path, 100).unwrap().len(), 100);
        let e = bytes(&path, 99).unwrap_err().to_string();
        assert!(
            e.contains("100 bytes") && e.contains("limit of 99 bytes (limits.file)"),
            "{e}"
        );
    }

    /// A stream longer than the limit is cut after `limit + 1` bytes, not
    /// read to its end: the reader below would go on for 1 GiB.
    #[test]
    fn a_stream_over_the_limit_stops_at_the_limit() {
        struct Endless(u64);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(4096);
                buf[..n].fill(b'x');
                self.0 += n as u64;
                assert!(self.0 < 1 << 30, "read to the end");
                Ok(n)
            }
        }
        let mut src = Endless(0);
        let e = stream(&mut src, 10_000).unwrap_err().to_string();
        assert!(e.contains("limit of 10000 bytes (limits.file)"), "{e}");
        assert!(src.0 <= 10_000 + 4096, "read {} bytes", src.0);
        assert_eq!(stream(&b"abc"[..], 3).unwrap(), b"abc");
    }

    /// Files around the one-read size, empty, and over the limit, read
    /// as a walk reads them and as a named path is read: the same bytes,
    /// the same refusals.
    #[test]
    fn a_walked_file_reads_as_a_named_one() {
        let dir = tempfile::tempdir().unwrap();
        for size in [
            0,
            1,
            100,
            ONE_READ - 1,
            ONE_READ,
            ONE_READ + 1,
            3 * ONE_READ,
        ] {
            let path = dir.path().join(format!("f{size}.json"));
            let content: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &content).unwrap();
            assert_eq!(walked(&path, 4 * ONE_READ).unwrap(), content, "{size}");
            assert_eq!(bytes(&path, 4 * ONE_READ).unwrap(), content, "{size}");
            if size > 0 {
                let e = walked(&path, size - 1).unwrap_err().to_string();
                assert!(e.contains(&format!("limit of {} bytes", size - 1)), "{e}");
            }
        }
        let e = walked(dir.path(), 100).unwrap_err().to_string();
        assert!(e.contains("a folder"), "{e}");
    }

    /// What a file holds past its size when opened is read too, up to the
    /// limit (a file that grew between the `fstat` and the read).
    #[test]
    fn bytes_past_the_known_size_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("grows.json");
        std::fs::write(&path, b"abcdef").unwrap();
        let mut out = b"ab".to_vec();
        let mut rest = std::fs::File::open(&path).unwrap();
        rest.read_exact(&mut [0; 2]).unwrap();
        read_at_most(&mut rest, 6, &mut out).unwrap();
        assert_eq!(out, b"abcdef");
        let mut rest = std::fs::File::open(&path).unwrap();
        rest.read_exact(&mut [0; 2]).unwrap();
        let mut out = b"ab".to_vec();
        let e = read_at_most(&mut rest, 5, &mut out)
            .unwrap_err()
            .to_string();
        assert!(e.contains("limit of 5 bytes"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return; // no mkfifo on this machine
        }
        // Opening a FIFO with no writer would block forever: this returns.
        let e = bytes(&fifo, 100).unwrap_err().to_string();
        assert!(e.contains("a FIFO (named pipe)"), "{e}");
        // Put where a walk saw a regular file: opened without blocking,
        // then refused.
        let e = walked(&fifo, 100).unwrap_err().to_string();
        assert!(e.contains("a FIFO (named pipe)"), "{e}");
        let e = bytes(dir.path(), 100).unwrap_err().to_string();
        assert!(e.contains("a folder"), "{e}");
    }
}
