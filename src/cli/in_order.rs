//! Work shared out to threads, its results taken back in input order.
//!
//! Each thread takes the next input as soon as it is free, so no core waits
//! for a slower one at the end of a batch, as it did when inputs were shared
//! out 256 at a time; one writer takes the results in order. How far the work
//! may run ahead of the writer is bounded, in inputs and in bytes, so memory
//! does not grow with the number of inputs whatever the writer's speed.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long the writer waits for the next result before it calls the
/// writing idle (and flushes): a run whose results come steadily writes
/// only when its buffer fills, not once per input, and a slow input still
/// lets the results before it show within this time.
const IDLE_AFTER: Duration = Duration::from_millis(10);

/// How many results ready in order wake the writer: waking it for each
/// one costs two context switches per input when it shares a core with
/// the work.
const WAKE_AFTER: usize = 32;

/// The bounds on how far the work may run ahead of the writer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lead {
    /// Inputs claimed but not yet written.
    pub inputs: usize,
    /// Bytes held by results done but not yet written (past it, no new
    /// input is claimed until the writer catches up).
    pub bytes: usize,
}

/// A line of `len` jobs, indexed from 0.
pub(super) struct Line<T> {
    len: usize,
    lead: Lead,
    state: Mutex<State<T>>,
    /// The result the writer waits for is ready.
    ready: Condvar,
    /// The writer made room, or the line closed.
    room: Condvar,
}

/// What the writer is doing: a wake-up costs a system call even with
/// nobody waiting, so it is sent only when the writer waits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writer {
    Busy,
    /// Waiting for a result, for at most [`IDLE_AFTER`].
    Waiting,
    /// Having flushed, waiting with no time limit: it must be woken.
    Asleep,
}

struct State<T> {
    next_claim: usize,
    next_write: usize,
    /// Results not yet written, from `next_write` on, with the bytes each
    /// holds; `None` is still in work.
    done: VecDeque<Option<(T, usize)>>,
    held_bytes: usize,
    writer: Writer,
    /// Workers waiting for the lead to allow a claim.
    claimers_waiting: usize,
    closed: bool,
}

impl<T> Line<T> {
    pub(super) fn new(len: usize, lead: Lead) -> Line<T> {
        Line {
            len,
            lead: Lead {
                inputs: lead.inputs.max(1),
                bytes: lead.bytes,
            },
            state: Mutex::new(State {
                next_claim: 0,
                next_write: 0,
                done: VecDeque::new(),
                held_bytes: 0,
                writer: Writer::Busy,
                claimers_waiting: 0,
                closed: false,
            }),
            ready: Condvar::new(),
            room: Condvar::new(),
        }
    }

    // A worker that panicked poisons the lock; the scope re-raises its
    // panic when it joins, so the state is still read rather than lost.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job to do, once the lead allows; `None` when none is left
    /// or the line is closed.
    pub(super) fn claim(&self) -> Option<usize> {
        let mut s = self.lock();
        loop {
            if s.closed || s.next_claim >= self.len {
                return None;
            }
            if self.may_claim(&s) {
                break;
            }
            s.claimers_waiting += 1;
            s = self.room.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.claimers_waiting -= 1;
        }
        let i = s.next_claim;
        s.next_claim += 1;
        s.done.push_back(None);
        Some(i)
    }

    /// Hands in job `i`'s result, which holds `bytes` until it is written.
    pub(super) fn finish(&self, i: usize, result: T, bytes: usize) {
        let mut s = self.lock();
        let Some(at) = i.checked_sub(s.next_write) else {
            return; // not claimed from this line
        };
        if let Some(slot) = s.done.get_mut(at) {
            *slot = Some((result, bytes));
            s.held_bytes += bytes;
            if s.writer != Writer::Busy && self.wakes_writer(&s) {
                self.ready.notify_one();
            }
        }
    }

    /// Whether the lead allows one more claim.
    fn may_claim(&self, s: &State<T>) -> bool {
        s.next_claim - s.next_write < self.lead.inputs && s.held_bytes <= self.lead.bytes
    }

    /// Whether to wake the writer: results are ready in order, and there
    /// are [`WAKE_AFTER`] of them, or the work can go no further (the lead
    /// is used up, or nothing is left to claim), or the writer sleeps until
    /// woken. (It also wakes by itself after [`IDLE_AFTER`].)
    fn wakes_writer(&self, s: &State<T>) -> bool {
        let ready = s
            .done
            .iter()
            .take(WAKE_AFTER)
            .take_while(|d| d.is_some())
            .count();
        ready > 0
            && (ready >= WAKE_AFTER
                || s.writer == Writer::Asleep
                || s.next_claim >= self.len
                || !self.may_claim(s))
    }

    /// Gives every result to `each`, in order, as soon as it and those
    /// before it are done, and `None` when the writer has caught up and
    /// waited [`IDLE_AFTER`] for the next result (a moment to flush). Stops
    /// at the first error, and closes the line so that no new job is claimed.
    pub(super) fn drain<E>(
        &self,
        mut each: impl FnMut(Option<T>) -> Result<(), E>,
    ) -> Result<(), E> {
        let drained = (|| {
            while let Some(result) = self.next(&mut || each(None))? {
                each(Some(result))?;
            }
            Ok(())
        })();
        self.close();
        drained
    }

    /// The next result in order, waiting for it; `None` after the last.
    fn next<E>(&self, idle: &mut impl FnMut() -> Result<(), E>) -> Result<Option<T>, E> {
        let mut s = self.lock();
        let mut flushed = false;
        loop {
            if s.next_write >= self.len {
                return Ok(None);
            }
            if matches!(s.done.front(), Some(Some(_))) {
                if let Some(Some((result, bytes))) = s.done.pop_front() {
                    s.next_write += 1;
                    s.held_bytes = s.held_bytes.saturating_sub(bytes);
                    if s.claimers_waiting > 0 && self.may_claim(&s) {
                        self.room.notify_all();
                    }
                    return Ok(Some(result));
                }
            }
            if !flushed {
                s.writer = Writer::Waiting;
                let (guard, wait) = self
                    .ready
                    .wait_timeout(s, IDLE_AFTER)
                    .unwrap_or_else(PoisonError::into_inner);
                s = guard;
                s.writer = Writer::Busy;
                if wait.timed_out() && !matches!(s.done.front(), Some(Some(_))) {
                    // Outside the lock: writing may block on a slow reader.
                    drop(s);
                    idle()?;
                    flushed = true;
                    s = self.lock();
                }
                continue;
            }
            s.writer = Writer::Asleep;
            s = self.ready.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.writer = Writer::Busy;
        }
    }

    /// No new job is claimed from now on (the writer stopped).
    fn close(&self) {
        self.lock().closed = true;
        self.room.notify_all();
    }
}

/// Results the writer is done with, handed back to the worker that made
/// them, to be dropped there. glibc's allocator takes back memory freed by
/// another thread than the one that allocated it under the owner's arena
/// lock: with the writer freeing every report, the workers waited on their
/// own arenas (a tenth of a run's CPU time went to that lock).
pub(super) struct Returns<S> {
    bins: Vec<Mutex<Bin<S>>>,
}

struct Bin<S> {
    spent: Vec<S>,
    /// The worker has stopped: what is given back is dropped by the giver.
    gone: bool,
}

impl<S> Returns<S> {
    pub(super) fn new(workers: usize) -> Returns<S> {
        Returns {
            bins: (0..workers)
                .map(|_| {
                    Mutex::new(Bin {
                        spent: Vec::new(),
                        gone: false,
                    })
                })
                .collect(),
        }
    }

    fn bin(&self, worker: usize) -> Option<MutexGuard<'_, Bin<S>>> {
        let bin = self.bins.get(worker)?;
        Some(bin.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The writer hands back `spent`, made by `worker`.
    pub(super) fn give(&self, worker: usize, spent: S) {
        let kept = match self.bin(worker) {
            Some(mut bin) if !bin.gone => {
                bin.spent.push(spent);
                None
            }
            _ => Some(spent),
        };
        // A stopped worker's results are dropped here, outside the lock.
        drop(kept);
    }

    /// What was handed back to `worker`, swapped into `into` (which should
    /// be empty: its buffer is kept for the next hand-back).
    pub(super) fn take(&self, worker: usize, into: &mut Vec<S>) {
        if let Some(mut bin) = self.bin(worker) {
            std::mem::swap(&mut bin.spent, into);
        }
    }

    /// `worker` stops: what was handed back is dropped now, and what is
    /// handed back later is dropped by the giver.
    pub(super) fn leave(&self, worker: usize) {
        let mut spent = Vec::new();
        if let Some(mut bin) = self.bin(worker) {
            bin.gone = true;
            std::mem::swap(&mut bin.spent, &mut spent);
        }
        drop(spent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn run(len: usize, lead: Lead, threads: usize) -> (Vec<usize>, usize) {
        let line = Line::new(len, lead);
        let most_ahead = AtomicUsize::new(0);
        let written = AtomicUsize::new(0);
        let mut out = Vec::new();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| {
                    while let Some(i) = line.claim() {
                        let ahead = i + 1 - written.load(Ordering::SeqCst);
                        most_ahead.fetch_max(ahead, Ordering::SeqCst);
                        // Uneven work: later jobs finish before earlier ones.
                        if i % 7 == 0 {
                            std::thread::yield_now();
                        }
                        line.finish(i, i, 10);
                    }
                });
            }
            line.drain(|i| {
                if let Some(i) = i {
                    out.push(i);
                    written.fetch_add(1, Ordering::SeqCst);
                }
                Ok::<(), ()>(())
            })
            .unwrap();
        });
        (out, most_ahead.into_inner())
    }

    #[test]
    fn results_come_in_order_within_the_lead() {
        for threads in [1, 2, 4] {
            let lead = Lead {
                inputs: 8,
                bytes: usize::MAX,
            };
            let (out, ahead) = run(1000, lead, threads);
            assert_eq!(out, (0..1000).collect::<Vec<_>>());
            // The writer counts a result once it has it, just after the
            // line made room for the next claim: one more than the lead.
            assert!(ahead <= 8 + 1, "{threads} threads ran {ahead} ahead");
        }
    }

    #[test]
    fn the_byte_bound_holds_back_new_claims() {
        // Each result holds 10 bytes: at most 3 held (30 bytes) before
        // claims stop, plus those in work.
        let lead = Lead {
            inputs: 100,
            bytes: 25,
        };
        let (out, ahead) = run(500, lead, 2);
        assert_eq!(out.len(), 500);
        assert!(ahead <= 3 + 2 + 1, "ran {ahead} ahead");
    }

    #[test]
    fn an_error_stops_the_claims() {
        let line = Line::new(
            10_000,
            Lead {
                inputs: 4,
                bytes: usize::MAX,
            },
        );
        let claimed = AtomicUsize::new(0);
        let r = std::thread::scope(|scope| {
            for _ in 0..2 {
                scope.spawn(|| {
                    while let Some(i) = line.claim() {
                        claimed.fetch_add(1, Ordering::SeqCst);
                        line.finish(i, i, 0);
                    }
                });
            }
            line.drain(|i| if i == Some(5) { Err(5) } else { Ok(()) })
        });
        assert_eq!(r, Err(5));
        assert!(claimed.into_inner() <= 5 + 1 + 4);
    }

    /// What the writer hands back is dropped on the worker's thread; once
    /// the worker has left (or for a worker there is not), by the giver.
    #[test]
    fn spent_results_are_dropped_by_the_worker_they_go_back_to() {
        use std::sync::Arc;
        use std::thread::ThreadId;
        struct Spent(Arc<Mutex<Vec<ThreadId>>>);
        impl Drop for Spent {
            fn drop(&mut self) {
                self.0.lock().unwrap().push(std::thread::current().id());
            }
        }
        let dropped_on = Arc::new(Mutex::new(Vec::new()));
        let spent = || Spent(Arc::clone(&dropped_on));
        let returns = Returns::new(1);
        returns.give(0, spent());
        returns.give(0, spent());
        assert!(dropped_on.lock().unwrap().is_empty());
        let worker = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut taken = Vec::new();
                    returns.take(0, &mut taken);
                    assert_eq!(taken.len(), 2);
                    taken.clear();
                    returns.give(0, spent());
                    returns.leave(0);
                    std::thread::current().id()
                })
                .join()
                .unwrap()
        });
        assert_eq!(*dropped_on.lock().unwrap(), vec![worker; 3]);
        let here = std::thread::current().id();
        returns.give(0, spent());
        returns.give(7, spent());
        assert_eq!(dropped_on.lock().unwrap()[3..], [here, here]);
    }

    #[test]
    fn nothing_to_do() {
        let line: Line<usize> = Line::new(
            0,
            Lead {
                inputs: 4,
                bytes: 1,
            },
        );
        assert_eq!(line.claim(), None);
        let r: Result<(), ()> = line.drain(|i| match i {
            Some(_) => panic!("no result"),
            None => Ok(()),
        });
        assert_eq!(r, Ok(()));
    }
}
