//! Memory held, measured structurally: a counting allocator (installed for
//! this test binary in `main.rs`) tracks the bytes each thread has
//! allocated and not freed, so a test can assert that loading or linting
//! an input holds about the input once, not once per request in it or a
//! tree many times its size. Ratios to the input's size, never time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use tokenlint::lint::{self, Settings};
use tokenlint::request::{fixture, har};

/// The system allocator, counting each thread's live bytes and their peak.
pub struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is passed to `System` unchanged; the counting only
// touches thread-locals that need no allocation (const, no destructor).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Runs `f` and returns its result and the most bytes this thread held
/// during it beyond what it held before.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let out = f();
    let peak = PEAK.with(Cell::get);
    (out, (peak - before).max(0) as usize)
}

/// A fixture whose `properties` is a long array of zeros (under the field
/// limit, so the rules read it): loading holds no tree of it, and linting
/// reads it one element at a time. It used to take ~120 times its size.
#[test]
fn a_json_array_is_read_in_place() {
    let zeros = vec!["0"; 400_000].join(",");
    let text = format!(
        r#"{{"parameters": "grant_type=client_credentials", "clientId": "app", "properties": [{zeros}], "x": [{zeros}]}}"#
    );
    let n = text.len();
    let bytes = text.into_bytes();
    let (loaded, load_peak) = peak_during(|| fixture::load_owned("p.json", bytes, 1 << 20));
    assert!(load_peak < n / 4, "loading held {load_peak} bytes for {n}");
    let settings = Settings::with_now(1767225600);
    let (report, lint_peak) = peak_during(|| lint::lint(&loaded, &settings));
    assert!(lint_peak < 2 * n, "linting held {lint_peak} bytes for {n}");
    // Every element is reported, within the cap.
    let shape = report
        .findings
        .iter()
        .filter(|f| f.rule.id == "options/properties-shape")
        .count();
    assert_eq!(shape, 100);
}

/// A HAR of many token requests: its inputs share its text, so loading
/// all of them holds about the file once (it used to hold it once per
/// request), and linting them one at a time holds about one request's
/// findings at a time.
#[test]
fn a_har_is_held_once_whatever_its_requests() {
    let entry = |i: usize| {
        format!(
            r#"{{"request":{{"method":"POST","url":"https://as.example.com/token","headers":[{{"name":"Authorization","value":"Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3"}}],"postData":{{"text":"grant_type=authorization_code&code=c{i:06}&redirect_uri=https%3A%2F%2Fapp%2Fcb"}}}},"response":{{"content":{{"text":"{{\"access_token\":\"at-{i:08}\"}}"}}}}}}"#
        )
    };
    let measure = |requests: usize| {
        let entries: Vec<String> = (0..requests).map(entry).collect();
        let text = format!(
            "{{\"log\":{{\"version\":\"1.2\",\"entries\":[\n{}\n]}}}}",
            entries.join(",\n")
        );
        let n = text.len();
        let bytes = text.into_bytes();
        let settings = Settings::with_now(1767225600);
        let (linted, peak) = peak_during(|| {
            let mut linted = 0;
            for l in har::entries("s.har", bytes, 1 << 20) {
                std::hint::black_box(lint::lint(&l, &settings));
                linted += 1;
            }
            linted
        });
        assert_eq!(linted, requests);
        (n, peak)
    };
    let (n1, p1) = measure(200);
    let (n4, p4) = measure(800);
    assert!(
        p1 < 3 * n1,
        "{requests} requests: {p1} bytes held for {n1}",
        requests = 200
    );
    assert!(
        p4 < 3 * n4,
        "{requests} requests: {p4} bytes held for {n4}",
        requests = 800
    );
    // Linear: 4 times the requests, about 4 times the memory (5 allowed).
    assert!(p4 < 5 * p1, "200 requests: {p1} bytes; 800: {p4} bytes");
}
