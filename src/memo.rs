//! A small bounded cache shared by the threads of one run, for work that
//! many inputs repeat: a folder of fixtures usually holds a handful of
//! client certificates and DPoP keys, each used by hundreds of requests, and
//! checking a certificate's signature or building an EC public key costs as
//! much as the rest of the lint of one input.
//!
//! Only public data goes in (certificates, public keys, whether a signature
//! verifies), never a secret. Keys are SHA-256 digests of the inputs that
//! determine the value, so equal digests mean equal inputs.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// The digest of `parts`, each length-prefixed (no two lists of parts share
/// a digest by concatenating differently).
pub fn key(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().into()
}

/// Values by digest, at most `capacity` of them: when full it starts over,
/// which keeps it bounded and costs only recomputation.
pub struct Memo<V> {
    capacity: usize,
    map: Mutex<Option<HashMap<[u8; 32], V>>>,
}

impl<V: Clone> Memo<V> {
    pub const fn new(capacity: usize) -> Memo<V> {
        Memo {
            capacity,
            map: Mutex::new(None),
        }
    }

    /// The value for `key`, computed by `make` if it is not kept. `make`
    /// runs without the lock held (two threads may both compute the same
    /// value; the result is the same). Errors are not kept.
    pub fn get_or_try<E>(
        &self,
        key: [u8; 32],
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some(v) = self.lock().as_ref().and_then(|m| m.get(&key)) {
            return Ok(v.clone());
        }
        let v = make()?;
        let mut guard = self.lock();
        let map = guard.get_or_insert_with(HashMap::new);
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(key, v.clone());
        Ok(v)
    }

    /// [`Self::get_or_try`] for a computation that cannot fail.
    pub fn get_or(&self, key: [u8; 32], make: impl FnOnce() -> V) -> V {
        match self.get_or_try(key, || Ok::<V, std::convert::Infallible>(make())) {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<HashMap<[u8; 32], V>>> {
        // A panic elsewhere while holding the lock leaves a valid map.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_once_per_key_and_stays_bounded() {
        let memo: Memo<u32> = Memo::new(2);
        let calls = std::cell::Cell::new(0);
        let make = |v: u32| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(v)
        };
        assert_eq!(memo.get_or_try(key(&[b"a"]), || make(1)), Ok(1));
        assert_eq!(memo.get_or_try(key(&[b"a"]), || make(9)), Ok(1));
        assert_eq!(calls.get(), 1);
        memo.get_or_try(key(&[b"b"]), || make(2)).unwrap();
        memo.get_or_try(key(&[b"c"]), || make(3)).unwrap();
        assert!(memo.lock().as_ref().unwrap().len() <= 2);
        // Errors are not kept.
        assert_eq!(
            memo.get_or_try(key(&[b"d"]), || Err::<u32, _>("no")),
            Err("no")
        );
        assert_eq!(memo.get_or_try(key(&[b"d"]), || make(4)), Ok(4));
    }

    #[test]
    fn keys_are_length_prefixed() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
    }
}
