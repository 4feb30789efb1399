//! Reading `check`'s inputs: files, folders searched for `*.json`, stdin;
//! finding each input's configuration (`tokenlint.toml` from its folder
//! upward), and linting them.

use std::collections::HashMap;
use std::io::Write;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokenlint::clock;
use tokenlint::config::{self, Resolved};
use tokenlint::lint::{self, CrossCheck, FileReport, Settings};
use tokenlint::report::stream::{Format, Item, Writer};
use tokenlint::report::Outcome;
use tokenlint::request::fixture;
use tokenlint::text::{printable, printable_path};

use super::in_order::{Lead, Line, Returns};
use super::{Debug, FlagLayer, UsageError};

/// Where configuration comes from.
enum Mode {
    /// `--no-config`.
    Disabled,
    /// `--config FILE` / `TOKENLINT_CONFIG`: one file for every input.
    Global(Arc<Resolved>),
    /// `tokenlint.toml` / `.tokenlint.toml` from each input's folder upward.
    Discover,
}

/// Finds and caches the configuration of each input (one lookup per folder,
/// one load per file) and builds its settings: defaults, then the config's
/// top-level keys, then its matching overrides, then the flags.
pub(super) struct Resolver {
    mode: Mode,
    base: Settings,
    flags: FlagLayer,
    /// Folder (absolute) → the config that governs it.
    dirs: Mutex<HashMap<PathBuf, Option<Arc<Resolved>>>>,
    /// Config file → loaded.
    files: Mutex<HashMap<PathBuf, Arc<Resolved>>>,
    /// The current folder, asked once: paths are made absolute against it.
    cwd: PathBuf,
}

impl Resolver {
    pub(super) fn new(
        no_config: bool,
        config: Option<&Path>,
        base: Settings,
        flags: FlagLayer,
        debug: &Debug,
    ) -> Result<Resolver, UsageError> {
        let mode = if no_config {
            debug.log(|| "configuration: disabled (--no-config)".into());
            Mode::Disabled
        } else if let Some(path) = config {
            debug.log(|| format!("configuration: {}", printable_path(path)));
            Mode::Global(Arc::new(Resolved::load(path)?))
        } else {
            Mode::Discover
        };
        Ok(Resolver {
            mode,
            base,
            flags,
            dirs: Mutex::new(HashMap::new()),
            files: Mutex::new(HashMap::new()),
            cwd: std::env::current_dir().unwrap_or_default(),
        })
    }

    /// `path` made absolute, without a `getcwd`.
    fn absolute(&self, path: &Path) -> PathBuf {
        config::absolute_in(&self.cwd, path)
    }

    /// The configuration governing folder `dir` (absolute).
    fn for_dir(&self, dir: &Path, debug: &Debug) -> Result<Option<Arc<Resolved>>, UsageError> {
        match &self.mode {
            Mode::Disabled => return Ok(None),
            Mode::Global(r) => return Ok(Some(Arc::clone(r))),
            Mode::Discover => {}
        }
        if let Some(hit) = self
            .dirs
            .lock()
            .map_err(|_| UsageError("poisoned".into()))?
            .get(dir)
        {
            return Ok(hit.clone());
        }
        let mut found = None;
        for name in config::FILE_NAMES {
            let p = dir.join(name);
            if p.is_file() {
                found = Some(p);
                break;
            }
        }
        let resolved = match found {
            Some(path) => {
                let cached = self
                    .files
                    .lock()
                    .map_err(|_| UsageError("poisoned".into()))?
                    .get(&path)
                    .cloned();
                match cached {
                    Some(r) => Some(r),
                    None => {
                        debug.log(|| format!("configuration: {}", printable_path(&path)));
                        let r = Arc::new(Resolved::load(&path)?);
                        self.files
                            .lock()
                            .map_err(|_| UsageError("poisoned".into()))?
                            .insert(path, Arc::clone(&r));
                        Some(r)
                    }
                }
            }
            // The repository root ends the search.
            None if dir.join(".git").exists() => None,
            None => match dir.parent() {
                Some(parent) => self.for_dir(parent, debug)?,
                None => None,
            },
        };
        self.dirs
            .lock()
            .map_err(|_| UsageError("poisoned".into()))?
            .insert(dir.to_owned(), resolved.clone());
        Ok(resolved)
    }

    /// The configuration governing `path`: a folder's own, a file's folder's.
    /// `-` (stdin) and `--curl` take the current folder's. `is_dir`: what
    /// the caller knows `path` is (a walk knows it from the folder's entry),
    /// else `None` and it is asked (a stat): a walked file is resolved
    /// twice, by [`Resolver::walks`] and [`Resolver::settings_for`], and
    /// its folder's answer is cached, so a walk stats no file for it.
    fn for_path(
        &self,
        path: &Path,
        is_dir: Option<bool>,
        debug: &Debug,
    ) -> Result<Option<Arc<Resolved>>, UsageError> {
        // Without discovery the answer does not depend on the folder: no
        // stat and no getcwd per input (this runs for every walked file).
        match &self.mode {
            Mode::Disabled => return Ok(None),
            Mode::Global(r) => return Ok(Some(Arc::clone(r))),
            Mode::Discover => {}
        }
        let abs = self.absolute(path);
        if path.as_os_str() == "-" || is_dir.unwrap_or_else(|| path.is_dir()) {
            let dir = if path.as_os_str() == "-" {
                self.absolute(Path::new("."))
            } else {
                abs
            };
            return self.for_dir(&dir, debug);
        }
        match abs.parent() {
            Some(dir) => self.for_dir(dir, debug),
            None => Ok(None),
        }
    }

    fn is_excluded(
        &self,
        path: &Path,
        is_dir: Option<bool>,
        debug: &Debug,
    ) -> Result<bool, UsageError> {
        Ok(self
            .for_path(path, is_dir, debug)?
            .is_some_and(|r| r.is_excluded(&self.absolute(path))))
    }

    /// Whether a folder walk picks `file` up: the config's `include` globs,
    /// or by default the walked extensions; never an excluded file.
    /// `is_dir` as for [`Resolver::for_path`].
    fn walks(&self, file: &Path, is_dir: Option<bool>, debug: &Debug) -> Result<bool, UsageError> {
        let by_ext = file
            .extension()
            .is_some_and(|e| WALKED_EXTENSIONS.iter().any(|w| e == *w));
        let abs = self.absolute(file);
        Ok(match self.for_path(file, is_dir, debug)? {
            Some(r) if r.is_excluded(&abs) => false,
            Some(r) => r.is_included(&abs).unwrap_or(by_ext),
            None => by_ext,
        })
    }

    /// The configuration file whose `now` gave `settings` (those of `path`)
    /// their clock, when no flag did.
    pub(super) fn pinned_clock(
        &self,
        path: &Path,
        settings: &Settings,
        debug: &Debug,
    ) -> Result<Option<PathBuf>, UsageError> {
        if self.flags.now.is_some() || settings.now == self.base.now {
            return Ok(None);
        }
        Ok(self.for_path(path, None, debug)?.map(|r| r.path.clone()))
    }

    /// The settings for one input (`is_dir` as for [`Resolver::for_path`]).
    pub(super) fn settings_for(
        &self,
        path: &Path,
        is_dir: Option<bool>,
        debug: &Debug,
    ) -> Result<Settings, UsageError> {
        let mut s = match self.for_path(path, is_dir, debug)? {
            Some(r) => {
                let fs = r.settings_for(&self.base, &self.absolute(path))?;
                let mut s = fs.settings;
                s.expect_errors = fs.expect_errors;
                s
            }
            None => self.base.clone(),
        };
        self.flags.apply(&mut s);
        Ok(s)
    }
}

/// A file to read, and whether a folder walk found it (rather than the
/// command line naming it): a walk skips JSON that is not a token request.
#[derive(Debug)]
struct Entry {
    path: PathBuf,
    walked: bool,
    /// Known not to be a folder (a regular file in a walk, or a named path
    /// that was not a folder): the resolver need not ask.
    not_dir: bool,
}

impl Entry {
    fn named(path: &Path) -> Entry {
        Entry {
            path: path.to_owned(),
            walked: false,
            not_dir: false,
        }
    }
}

/// One input `check` was given or found.
#[derive(Debug)]
enum Expanded {
    /// A file (or `-`) to read.
    File(Entry),
    /// A path that cannot be read: its name and why.
    Unreadable(String, String),
    /// A path not linted, for a reason that is no problem: its name and why.
    Skipped(String, String),
}

impl Expanded {
    /// The order of a folder's entries: by path.
    fn sort_key(&self) -> &str {
        match self {
            Expanded::File(e) => e.path.to_str().unwrap_or(""),
            Expanded::Unreadable(n, _) | Expanded::Skipped(n, _) => n,
        }
    }
}

/// Every input named by `paths`, folders expanded, in a stable order: the
/// paths in the order given, each folder's files sorted by path. Config
/// `exclude` globs prune folder walks, and named files with `force_exclude`.
fn expand(
    paths: &[PathBuf],
    resolver: &Resolver,
    force_exclude: bool,
    debug: &Debug,
) -> Result<Vec<Expanded>, UsageError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Expanded::File(Entry::named(p)));
        } else if force_exclude && p.exists() && resolver.is_excluded(p, None, debug)? {
            // Not an input at all, as in a folder walk: pre-commit passes
            // every staged file, and the configuration says which count.
            debug.log(|| format!("excluded by configuration: {}", printable_path(p)));
        } else if p.is_dir() {
            let mut files = Vec::new();
            match walk(p, &mut files, resolver, debug) {
                Ok(()) => {}
                Err(WalkError::Config(e)) => return Err(e),
                Err(e) => out.push(Expanded::Unreadable(p.display().to_string(), e.to_string())),
            }
            files.sort_by(|a, b| a.sort_key().cmp(b.sort_key()));
            out.extend(files);
        } else if p.exists() {
            out.push(Expanded::File(Entry {
                not_dir: true,
                ..Entry::named(p)
            }));
        } else {
            out.push(Expanded::Unreadable(
                p.display().to_string(),
                "no such file or directory".into(),
            ));
        }
    }
    Ok(out)
}

/// An error while walking: I/O (reported for the folder) or configuration (exit 2).
enum WalkError {
    Io(std::io::Error),
    Config(UsageError),
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WalkError::Io(e) => e.fmt(f),
            WalkError::Config(e) => f.write_str(&e.0),
        }
    }
}

impl From<std::io::Error> for WalkError {
    fn from(e: std::io::Error) -> Self {
        WalkError::Io(e)
    }
}

impl From<UsageError> for WalkError {
    fn from(e: UsageError) -> Self {
        WalkError::Config(e)
    }
}

fn walk(
    dir: &Path,
    out: &mut Vec<Expanded>,
    resolver: &Resolver,
    debug: &Debug,
) -> Result<(), WalkError> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if ft.is_dir() {
            if name != "target"
                && name != "node_modules"
                && !resolver.is_excluded(&path, Some(true), debug)?
            {
                walk(&path, out, resolver, debug)?;
            }
        } else if resolver.walks(&path, ft.is_file().then_some(false), debug)? {
            // A FIFO, socket or device (or a link to one) would block the
            // read or never end: skipped (the report says so), not read.
            let special = if ft.is_file() {
                None
            } else {
                std::fs::metadata(&path)
                    .ok()
                    .and_then(|m| tokenlint::read::special_kind(&m))
            };
            out.push(match special {
                Some(kind) => Expanded::Skipped(
                    path.display().to_string(),
                    format!("it is {kind}, not a regular file"),
                ),
                None => Expanded::File(Entry {
                    not_dir: ft.is_file(),
                    path,
                    walked: true,
                }),
            });
        }
    }
    Ok(())
}

/// What a folder walk picks up by default: fixtures and captures.
const WALKED_EXTENSIONS: &[&str] = &["json", "http", "har", "curl"];

/// The extension stdin would have, from its first bytes: a HAR, a raw
/// HTTP request or REST-client file (a request line, an HTTP/2 header dump,
/// `@variable`, `###` or `#` comments first), a curl command, else a fixture.
fn stdin_kind(head: &str) -> &'static str {
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        return if tokenlint::request::har::looks_like_har(t) {
            "har"
        } else {
            "json"
        };
    }
    let first = t.lines().next().unwrap_or("");
    let mut words = first.split_whitespace();
    let word = words.next().unwrap_or("");
    if word == "curl" {
        return "curl";
    }
    // A request line: `POST /token HTTP/1.1`, `POST https://as/token`.
    let target = words.next().unwrap_or("");
    let method = !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_uppercase())
        && (target.starts_with('/') || target.starts_with("http"));
    let rest_client = first.starts_with('@') || first.starts_with('#') || first.starts_with("//");
    if method || rest_client || first.starts_with(":method") {
        "http"
    } else {
        "json"
    }
}

/// Loads one input by its extension (stdin: by [`stdin_kind`]): `.json` is a fixture unless it is a
/// HAR (`{"log":`), `.har` a HAR (one input per token request in it),
/// `.http`/`.txt` a raw HTTP request, `.curl` a curl command. A fixture,
/// a HAR or a raw request takes the bytes as its text without a copy and
/// keeps no copy of a value (a fixture's field, a request body) over
/// `limits.field` (it is reported, not checked), so a large input is held
/// about once.
pub(super) fn load_input(
    name: &str,
    path: &Path,
    bytes: Vec<u8>,
    limits: &lint::Limits,
) -> Box<dyn Iterator<Item = tokenlint::request::Loaded> + Send> {
    use tokenlint::request::{curl, har, http};
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).into_owned();
    let ext = if path.as_os_str() == tokenlint::read::STDIN {
        // Stdin has no name to go by: what it starts with says what it is.
        stdin_kind(&head).to_owned()
    } else {
        path.extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let is_har = har::looks_like_har(&head);
    let one = |l| Box::new(std::iter::once(l));
    match ext.as_str() {
        // One token request at a time: each is linted before the next is
        // built (see `har::entries`).
        "har" => Box::new(har::entries(name, bytes, limits.field)),
        "json" if is_har => Box::new(har::entries(name, bytes, limits.field)),
        "http" | "txt" => Box::new(http::load_all(name, bytes, limits.field).into_iter()),
        "curl" => one(curl::load_bytes(name, &bytes)),
        _ => {
            // Strings over the field limit, or the PEM limit when that is
            // larger (the certificate bundle is checked against it).
            let max_string = limits.field.max(limits.pem);
            one(fixture::load_owned(name, bytes, max_string))
        }
    }
}

/// Relates a report to something outside it (`--response`).
pub(super) type Relate = dyn Fn(&mut FileReport) + Sync;

/// How `check` runs, beside its inputs.
pub(super) struct Run<'a> {
    pub force_exclude: bool,
    pub progress: bool,
    pub relate: Option<&'a Relate>,
}

/// How far the linting may run ahead of the writing: enough inputs to keep
/// every core busy while the writer is slow for a moment, few enough that
/// the reports in flight stay small (the memory of a run is this lead, not
/// its number of inputs); and bytes of the texts that finished reports keep
/// until they are written (a folder of big captures).
const LEAD: Lead = Lead {
    inputs: 512,
    bytes: 32 << 20,
};

/// One outcome, finished and rendered where it was linted.
struct Done {
    outcome: Outcome,
    settings: Arc<Settings>,
    item: Item,
}

/// What is done to each outcome on the thread that linted it.
struct Finish<'a> {
    relate: Option<&'a Relate>,
    format: Format,
}

impl Finish<'_> {
    /// Relates the outcome to `--response`, applies the configuration's
    /// expectation, and renders it.
    fn done(&self, mut outcome: Outcome, settings: Arc<Settings>) -> Done {
        if let Outcome::Linted(r) = &mut outcome {
            if let Some(relate) = self.relate {
                relate(r);
            }
            lint::apply_expectation(r, &settings);
        }
        let item = self.format.item(&outcome);
        Done {
            outcome,
            settings,
            item,
        }
    }
}

/// Writes the outcomes to the report in input order, after the check
/// across inputs.
struct InOrder<'a, W: Write> {
    report: &'a mut Writer<W>,
    format: Format,
    cross: CrossCheck,
    bar: Option<&'a indicatif::ProgressBar>,
}

impl<W: Write> InOrder<'_, W> {
    /// Writes one outcome, or with `None` flushes the report (the writer has
    /// caught up with the linting).
    fn write(&mut self, done: Option<&mut Done>) -> Result<(), UsageError> {
        let written = match done {
            None => self.report.flush(),
            Some(Done {
                outcome,
                settings,
                item,
            }) => {
                if let Outcome::Linted(r) = outcome {
                    if self.cross.check(r, settings) {
                        // A replay is an error: the expectation and the
                        // rendering made without it are stale.
                        lint::apply_expectation(r, settings);
                        *item = self.format.item(outcome);
                    }
                }
                match self.bar {
                    Some(b) => b.suspend(|| self.report.push(outcome, item)),
                    None => self.report.push(outcome, item),
                }
            }
        };
        written.map_err(|e| UsageError(format!("cannot write the report: {e}")))
    }
}

/// Lints `check`'s inputs — files and folders (`-` is stdin), then `--curl`
/// command lines, each with its own settings — and writes each to `report`
/// as soon as it and every input before it are done. Inputs are linted and
/// rendered on all cores while those before them are written; the order is
/// that of the inputs, whatever the scheduling. The check
/// across inputs (a DPoP jti used twice is a replay) runs in that order.
/// A configuration error is a usage error (exit 2); an unreadable input is
/// an [`Outcome::Failed`].
pub(super) fn check_paths<W: Write>(
    paths: &[PathBuf],
    curls: &[String],
    resolver: &Resolver,
    run: Run<'_>,
    report: &mut Writer<W>,
    debug: &Debug,
) -> Result<(), UsageError> {
    let entries = expand(paths, resolver, run.force_exclude, debug)?;
    let curl_settings = Arc::new(resolver.settings_for(Path::new("-"), None, debug)?);
    let format = report.format();
    let finish = Finish {
        relate: run.relate,
        format,
    };
    let work = |entry: &Expanded| -> Result<Vec<Done>, UsageError> {
        Ok(match entry {
            Expanded::Skipped(name, reason) => {
                let skipped = Outcome::Skipped {
                    name: name.clone(),
                    reason: reason.clone(),
                    foreign: false,
                };
                vec![finish.done(skipped, Arc::clone(&curl_settings))]
            }
            Expanded::Unreadable(name, error) => {
                let failed = Outcome::Failed {
                    name: name.clone(),
                    error: error.clone(),
                };
                vec![finish.done(failed, Arc::clone(&curl_settings))]
            }
            Expanded::File(e) => {
                let known = e.not_dir.then_some(false);
                let settings = Arc::new(resolver.settings_for(&e.path, known, debug)?);
                lint_input(e, &settings, debug)
                    .map(|o| finish.done(o, Arc::clone(&settings)))
                    .collect()
            }
        })
    };
    let bar = progress_bar(run.progress, entries.len());
    let mut out = InOrder {
        report,
        format,
        cross: CrossCheck::default(),
        bar: bar.as_ref(),
    };
    if entries.len() < 2 {
        // Nothing to share out: no threads to start (the common one-file
        // run of an editor or a hook).
        for entry in &entries {
            for mut d in work(entry)? {
                out.write(Some(&mut d))?;
            }
        }
    } else {
        lint_in_parallel(&entries, &work, bar.as_ref(), &mut |d| out.write(d))?;
    }
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    for c in curls {
        let loaded =
            tokenlint::request::curl::load_str(tokenlint::request::curl::FLAG_SOURCE_NAME, c);
        let outcome = Outcome::Linted(lint::lint(&loaded, &curl_settings));
        out.write(Some(&mut finish.done(outcome, Arc::clone(&curl_settings))))?;
    }
    Ok(())
}

/// Lints `entries` on all cores, each thread taking the next input as
/// soon as it is free, and writes their outcomes in order (`None` whenever
/// the writer has caught up: flush). Written outcomes go back to the
/// thread that made them, to be dropped there ([`Returns`]).
fn lint_in_parallel(
    entries: &[Expanded],
    work: &(dyn Fn(&Expanded) -> Result<Vec<Done>, UsageError> + Sync),
    bar: Option<&indicatif::ProgressBar>,
    write: &mut dyn FnMut(Option<&mut Done>) -> Result<(), UsageError>,
) -> Result<(), UsageError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(entries.len());
    let line = Line::new(entries.len(), LEAD);
    let returns = Returns::new(threads);
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let (line, returns) = (&line, &returns);
            scope.spawn(move || {
                let mut spent = Vec::new();
                while let Some(i) = line.claim() {
                    returns.take(worker, &mut spent);
                    spent.clear();
                    let done = work(&entries[i]);
                    if let Some(b) = bar {
                        b.inc(1);
                    }
                    let held = done.as_ref().map_or(0, |d| held_bytes(d));
                    line.finish(i, (worker, done), held);
                }
                returns.leave(worker);
            });
        }
        line.drain(|done| match done {
            Some((worker, done)) => {
                let mut done = done?;
                done.iter_mut().try_for_each(|d| write(Some(d)))?;
                returns.give(worker, done);
                Ok(())
            }
            None => write(None),
        })
    })
}

/// The bytes an input's outcomes keep until written: the text they share.
fn held_bytes(done: &[Done]) -> usize {
    done.iter()
        .find_map(|d| match &d.outcome {
            Outcome::Linted(r) => Some(r.source.text.as_str().len()),
            _ => None,
        })
        .unwrap_or(0)
}

/// Reads and lints one input (a HAR can hold several requests): the
/// outcomes as they come, each request linted when it is asked for. A file
/// a folder walk found that is plainly not a token request is skipped.
fn lint_input<'a>(
    entry: &Entry,
    settings: &'a Settings,
    debug: &'a Debug,
) -> Box<dyn Iterator<Item = Outcome> + 'a> {
    let path = entry.path.as_path();
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    // A regular file a walk found needs no `stat` before it is opened.
    let read = if entry.walked && entry.not_dir {
        tokenlint::read::walked(path, settings.limits.file)
    } else {
        tokenlint::read::bytes(path, settings.limits.file)
    };
    match read {
        Err(e) => Box::new(std::iter::once(Outcome::Failed {
            name,
            error: e.to_string(),
        })),
        Ok(bytes) => {
            debug.log(|| format!("linting {} ({} bytes)", printable(&name), bytes.len()));
            let now = settings.now;
            debug.log(|| {
                let at = clock::format_rfc3339(now);
                format!("clock: {now} ({at}) for {}", printable(&name))
            });
            let mut loads = load_input(&name, path, bytes, &settings.limits).peekable();
            let foreign = loads.peek().and_then(|l| l.foreign);
            if let (Some(what), true) = (foreign, entry.walked) {
                debug.log(|| {
                    let name = printable(&name);
                    format!("skipped {name}: {what}, not a token request (name it to lint it)")
                });
                let reason = format!("not a token request ({what}); name it to lint it");
                let skipped = Outcome::Skipped {
                    name,
                    reason,
                    foreign: true,
                };
                return Box::new(std::iter::once(skipped));
            }
            Box::new(loads.map(move |loaded| match &loaded.skip {
                Some(reason) => Outcome::Skipped {
                    name: loaded.source.name.clone(),
                    reason: reason.clone(),
                    foreign: false,
                },
                None => {
                    let report = lint::lint(&loaded, settings);
                    if let Some(t) = &report.clock {
                        debug.log(|| {
                            format!(
                                "clock: {} for {}, the capture's time ({})",
                                clock::format_rfc3339(t.at),
                                loaded.source.name,
                                t.from.as_str()
                            )
                        });
                    }
                    Outcome::Linted(report)
                }
            }))
        }
    }
}

/// At least this many inputs before `check` shows a progress bar.
pub(super) const PROGRESS_MIN_INPUTS: usize = 20;

/// A progress bar on stderr, when asked for (a human format), stderr is a
/// terminal and there are enough inputs for it to matter.
fn progress_bar(wanted: bool, n: usize) -> Option<indicatif::ProgressBar> {
    if !wanted || n < PROGRESS_MIN_INPUTS || !super::out::stderr_is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(n as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} checking {pos}/{len} {wide_bar} {elapsed}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}
