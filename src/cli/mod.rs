//! The only layer that prints or exits: parses flags, builds settings, calls
//! the library, renders, and maps the result to an exit code.

// The library denies exiting (Cargo.toml `[lints]`); it is this layer's
// job. Printing is `out`'s: standard output through `write_stdout` and the
// report's writer, standard error through `errln!`/`err!`. Every byte goes
// through its filter, so no input text drives the terminal, and a reader
// that went away (`| head`, `2>&1 | head`) ends the output quietly, where
// `println!`/`eprintln!` would panic; clippy.toml disallows the standard
// streams elsewhere.
#![allow(clippy::exit)]

/// `eprintln!` through `out`'s filter; a closed standard error is ignored.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprint!` through `out`'s filter; a closed standard error is ignored.
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::out::stderr(&format!($($arg)*))
    };
}

pub mod args;
mod cert;
mod dpop;
mod explain;
mod in_order;
mod inputs;
mod jwt;
mod out;
mod send;

use std::io::IsTerminal;
use std::path::Path;

use clap::CommandFactory;

use args::{
    Cli, ColorChoice, Command, GlobalArgs, OutputFormat, PkceCommand, PkceMethod, TokenCommand,
};
use tokenlint::lint::{self, Settings};
use tokenlint::report::stream::{Format, Writer};
use tokenlint::report::{self, Outcome};
use tokenlint::request::flags::FlagInput;
use tokenlint::{clock, pkce, request};

/// Exit codes (documented in README and `--help`).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// An error that ends the run with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<E: std::fmt::Display> From<E> for UsageError {
    fn from(e: E) -> Self {
        UsageError(e.to_string())
    }
}

/// The file limit of commands that read before any configuration is
/// found (key files, `--body -`, a proof on stdin): the default.
pub(crate) fn default_file_limit() -> usize {
    lint::Limits::default().file
}

/// Reads a file (`-`: stdin) through the one bounded reader; the error
/// says what was being read (`what`: a flag, or empty) and names the limit.
pub(crate) fn read_bytes(what: &str, path: &Path, limit: usize) -> Result<Vec<u8>, UsageError> {
    tokenlint::read::bytes(path, limit).map_err(|e| {
        let name = if path.as_os_str() == tokenlint::read::STDIN {
            "stdin".to_owned()
        } else {
            tokenlint::text::printable_path(path)
        };
        let what = if what.is_empty() {
            String::new()
        } else {
            format!("{what} ")
        };
        UsageError(format!("{what}{name}: {e}"))
    })
}

/// An argument that is a file or the value itself (`dpop thumbprint KEY`,
/// `dpop inspect PROOF`, `jwt inspect JWT`): the bytes of the file when one
/// exists (`-`: stdin), `None` when the argument is the value. An argument
/// that names no file but is written as a path (a file extension, or a `/`
/// in what is not a compact JWS) is an error, not a value to parse.
pub(crate) fn read_if_file(given: &str, limit: usize) -> Result<Option<Vec<u8>>, UsageError> {
    const FILE_TYPES: &[&str] = &[
        ".pem", ".key", ".jwk", ".json", ".der", ".crt", ".pub", ".jwt", ".jws", ".txt", ".http",
        ".har", ".curl",
    ];
    let path = Path::new(given);
    if given == tokenlint::read::STDIN || path.is_file() {
        return read_bytes("", path, limit).map(Some);
    }
    let lower = given.to_ascii_lowercase();
    let written_as_path = !given.starts_with('{')
        && !given.starts_with("-----")
        && !given.contains(char::is_whitespace)
        && (FILE_TYPES.iter().any(|e| lower.ends_with(e))
            || (given.contains('/') && given.matches('.').count() != 2));
    if written_as_path {
        return Err(UsageError(format!("{given}: no such file")));
    }
    Ok(None)
}

/// [`read_bytes`] as UTF-8 text.
pub(crate) fn read_text(what: &str, path: &Path, limit: usize) -> Result<String, UsageError> {
    let bytes = read_bytes(what, path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        UsageError(
            format!(
                "{what} {}: not UTF-8 text",
                tokenlint::text::printable_path(path)
            )
            .trim_start()
            .to_owned(),
        )
    })
}

pub fn main() -> u8 {
    let cli = cli_command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
        .unwrap_or_else(|e| parse_error(hide_user_values(e)));
    let agent = agent_mode(&cli.global);
    match run(cli) {
        Ok(code) => code,
        Err(UsageError(msg)) => {
            if agent {
                // Structured errors for agents: one JSON object on stderr.
                errln!(
                    "{}",
                    serde_json::json!({"error": {"exit_code": EXIT_USAGE, "message": msg}})
                );
            } else {
                errln!("error: {}", tokenlint::text::printable_lines(&msg));
            }
            EXIT_USAGE
        }
    }
}

/// The command line: [`Cli`], with the Authlete call's flags accepted
/// before the subcommand (as the `authlete` CLI takes them) but shown only
/// where they apply, in `token process --help`.
pub fn cli_command() -> clap::Command {
    let ids = [
        "dry_run",
        "headers",
        "include_headers",
        "no_interactive",
        "server",
        "server_url",
        "timeout",
        "bearer",
    ];
    let cli = ids
        .iter()
        .fold(Cli::command(), |c, id| c.mut_arg(*id, |a| a.hide(true)));
    // A subcommand that lints nothing gets the lint's flags as hidden
    // copies, which the global ones then do not replace.
    let globals: Vec<clap::Arg> = cli
        .get_arguments()
        .filter(|a| LINT_FLAGS.contains(&a.get_id().as_str()))
        .cloned()
        .collect();
    NOT_LINTING
        .iter()
        .fold(cli, |c, (path, keep)| hide_in(c, path, keep, &globals))
}

/// The flags that configure a lint (its clock, profile, keys, exit code).
const LINT_FLAGS: &[&str] = &[
    "config",
    "no_config",
    "now",
    "profile",
    "iat_window",
    "dpop_algs",
    "client_jwks",
    "attester_jwks",
    "assertion_jwks",
    "attestation_challenge",
    "issuer",
    "token_endpoint",
    "exit_zero",
];

/// The subcommands that lint nothing (with theirs), and the lint flags
/// they still use: `dpop proof` takes its `iat` from `--now`.
const NOT_LINTING: &[(&[&str], &[&str])] = &[
    (&["pkce"], &[]),
    (&["dpop", "keygen"], &[]),
    (&["dpop", "proof"], &["now"]),
    (&["dpop", "thumbprint"], &[]),
    (&["rules"], &[]),
    (&["explain"], &[]),
    (&["completions"], &[]),
    (&["man"], &[]),
];

/// `cmd` with hidden copies of `globals` but `keep` in the subcommand at
/// `path`.
fn hide_in(
    cmd: clap::Command,
    path: &[&str],
    keep: &[&str],
    globals: &[clap::Arg],
) -> clap::Command {
    match path {
        [] => globals
            .iter()
            .filter(|a| !keep.contains(&a.get_id().as_str()))
            .fold(cmd, |c, a| c.arg(a.clone().hide(true))),
        [name, rest @ ..] => cmd.mut_subcommand(*name, |c| hide_in(c, rest, keep, globals)),
    }
}

/// Prints clap's error and exits. Help and version go out as clap prints
/// them; an error quotes the arguments, so it goes through the filter, in
/// colour only where clap would colour it.
fn parse_error(e: clap::Error) -> ! {
    if !e.use_stderr() {
        e.exit()
    }
    let colour = out::stderr_is_terminal()
        && env_set("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    let text = if colour {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    out::stderr_styled(&text, colour);
    std::process::exit(e.exit_code())
}

/// clap quotes what it did not expect in its error; a secret typed after
/// the wrong flag (`--access-token-duration "$CLIENT_SECRET"`), without its
/// flag (`token process --client-id app "$CLIENT_SECRET"`) or glued to a
/// mistyped one (`--client-secrett=…`) would be printed. What looks like a
/// flag or a subcommand (`--client-secrett`, `chek`) and a short value (a
/// mistyped `-o jsn`) are shown; anything else is described, not quoted,
/// and clap's tips that would repeat it are dropped.
fn hide_user_values(mut e: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let kind = match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::TooManyValues => {
            ContextKind::InvalidValue
        }
        ErrorKind::UnknownArgument => ContextKind::InvalidArg,
        ErrorKind::InvalidSubcommand => ContextKind::InvalidSubcommand,
        _ => return e,
    };
    let Some(ContextValue::String(v)) = e.get(kind) else {
        return e;
    };
    let shown = match kind {
        ContextKind::InvalidArg => shown_argument(v),
        ContextKind::InvalidSubcommand if looks_like_name(v) => None,
        _ if v.chars().count() <= SHOWN_INVALID_VALUE => None,
        _ => Some(tokenlint::text::shown_value(v, SHOWN_INVALID_VALUE)),
    };
    let Some(shown) = shown else {
        return e;
    };
    let hidden = v.clone();
    if let Some(ContextValue::StyledStrs(tips)) = e.get(ContextKind::Suggested) {
        let kept = tips
            .iter()
            .filter(|t| !t.to_string().contains(&hidden))
            .cloned()
            .collect();
        e.insert(ContextKind::Suggested, ContextValue::StyledStrs(kept));
    }
    e.insert(kind, ContextValue::String(shown));
    e
}

/// An unexpected argument as an error may show it: a flag by its name
/// (`--name=value` as `--name=…`), anything else as [`SHOWN_INVALID_VALUE`]
/// allows; `None` to show it as it is.
fn shown_argument(arg: &str) -> Option<String> {
    let flag = |s: &str| {
        let name = s.strip_prefix("--").or_else(|| s.strip_prefix('-'));
        name.is_some_and(looks_like_name)
    };
    match arg.split_once('=') {
        None if flag(arg) => None,
        Some((name, _)) if flag(name) => Some(format!("{name}=…")),
        _ if arg.chars().count() <= SHOWN_INVALID_VALUE => None,
        _ => Some(format!(
            "a {}-character argument (not shown)",
            arg.chars().count()
        )),
    }
}

/// The shape of a flag or subcommand name: lower-case words joined by `-`,
/// as every one of ours is. A secret rarely has it.
fn looks_like_name(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The longest invalid flag value an error message quotes.
const SHOWN_INVALID_VALUE: usize = 8;

/// `--agent-mode[=BOOL]` wins; otherwise on when an agent environment is detected.
pub fn agent_mode(g: &GlobalArgs) -> bool {
    g.agent_mode.unwrap_or_else(|| {
        tokenlint::agent::ENV_VARS
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
    })
}

/// The output format: `-o` when given, else TOON in agent mode, else pretty.
pub fn output_format(g: &GlobalArgs) -> OutputFormat {
    g.output_format.unwrap_or(if agent_mode(g) {
        OutputFormat::Toon
    } else {
        OutputFormat::Pretty
    })
}

struct Debug(bool);

impl Debug {
    fn log(&self, msg: impl FnOnce() -> String) {
        if self.0 {
            errln!("[tokenlint debug] {}", msg());
        }
    }
}

fn run(cli: Cli) -> Result<u8, UsageError> {
    let g = &cli.global;
    let debug = Debug(g.debug);
    if g.usage {
        let mut buf = Vec::new();
        clap_usage::generate(&mut cli_command(), "tokenlint", &mut buf);
        write_stdout(&String::from_utf8_lossy(&buf))?;
        return Ok(EXIT_OK);
    }
    let Some(command) = cli.command else {
        write_stdout(&cli_command().render_help().to_string())?;
        return Ok(EXIT_USAGE);
    };
    match command {
        Command::Token(TokenCommand::Process(p)) => {
            // The Authlete call's flags, after the subcommand or before it.
            let mut merged = g.clone();
            merged.send = p.send_flags.or(&g.send);
            let g = &merged;
            let settings = settings(g, &debug)?;
            let input = flag_input(&p)?;
            if input.is_empty() {
                return Err(UsageError(NO_REQUEST.into()));
            }
            let loaded = request::flags::load(&input);
            debug.log(|| {
                format!(
                    "service id: {}",
                    p.service_id.as_deref().unwrap_or("(none)")
                )
            });
            send::process(g, &p, &loaded, &settings, &debug)
        }
        Command::Check(c) => check(g, &debug, c),
        Command::Pkce(cmd) => pkce_command(g, cmd),
        Command::Dpop(cmd) => dpop::run(g, &debug, cmd),
        Command::Cert(cmd) => cert::run(g, &debug, cmd),
        Command::Jwt(cmd) => jwt::run(g, &debug, cmd),
        Command::Rules => {
            rules_command(g)?;
            Ok(EXIT_OK)
        }
        Command::Explain { id } => explain::run(g, &id),
        Command::Completions { shell } => {
            // Into a buffer: clap_complete panics when its writer fails
            // (`| head` closes the pipe); write_stdout ends quietly.
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cli_command(), "tokenlint", &mut buf);
            write_stdout(&String::from_utf8_lossy(&buf))?;
            Ok(EXIT_OK)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cli_command()).render(&mut buf)?;
            write_stdout(&String::from_utf8_lossy(&buf))?;
            Ok(EXIT_OK)
        }
    }
}

/// `check`: lints the inputs (the current folder by default) into the report.
fn check(g: &GlobalArgs, debug: &Debug, c: args::CheckArgs) -> Result<u8, UsageError> {
    let mut flags = FlagLayer::new(g)?;
    flags.set.dpop_nonce_required = c.dpop_nonce_required;
    let resolver = resolver_with(g, debug, flags)?;
    let paths = if c.paths.is_empty() && c.curl.is_empty() {
        vec![Path::new(".").to_path_buf()]
    } else {
        c.paths
    };
    // Only for the human formats, and (checked later) on a terminal.
    let progress =
        g.jq.is_none() && matches!(output_format(g), OutputFormat::Pretty | OutputFormat::Table);
    let relate = match &c.response {
        Some(resp) => Some(explain::response_relater(resp)?),
        None => None,
    };
    let mut w = report_writer(g)?;
    inputs::check_paths(
        &paths,
        &c.curl,
        &resolver,
        inputs::Run {
            force_exclude: c.force_exclude,
            progress,
            relate: relate.as_ref().map(|r| r as &inputs::Relate),
        },
        &mut w,
        debug,
    )?;
    finish_report(g, w)
}

/// The flags that change settings, parsed once; applied last, so they win
/// over every configuration file.
pub(crate) struct FlagLayer {
    now: Option<i64>,
    set: Settings,
}

impl FlagLayer {
    fn new(g: &GlobalArgs) -> Result<FlagLayer, UsageError> {
        let now = match &g.now {
            Some(now) => {
                Some(clock::parse_now(now).map_err(|e| UsageError(format!("--now: {e}")))?)
            }
            None => None,
        };
        let mut set = Settings::default();
        dpop::apply_profile_flags(g, &mut set)?;
        cert::apply_key_flags(g, &mut set)?;
        Ok(FlagLayer { now, set })
    }

    fn apply(&self, s: &mut Settings) {
        let f = &self.set;
        if let Some(now) = self.now {
            s.now = now;
            s.clock = lint::Clock::Flag;
        }
        if f.profile.is_some() {
            s.profile.clone_from(&f.profile);
        }
        if f.iat_window.is_some() {
            s.iat_window = f.iat_window;
        }
        if f.dpop_algs.is_some() {
            s.dpop_algs.clone_from(&f.dpop_algs);
        }
        if f.dpop_nonce_required.is_some() {
            s.dpop_nonce_required = f.dpop_nonce_required;
        }
        if f.client_jwks.is_some() {
            s.client_jwks.clone_from(&f.client_jwks);
        }
        if f.attester_jwks.is_some() {
            s.attester_jwks.clone_from(&f.attester_jwks);
        }
        if f.assertion_jwks.is_some() {
            s.assertion_jwks.clone_from(&f.assertion_jwks);
        }
        if f.issuer.is_some() {
            s.issuer.clone_from(&f.issuer);
        }
        if f.token_endpoint.is_some() {
            s.token_endpoint.clone_from(&f.token_endpoint);
        }
        if f.attestation_challenge.is_some() {
            s.attestation_challenge.clone_from(&f.attestation_challenge);
        }
    }
}

/// Configuration for the whole run: `--config`/`TOKENLINT_CONFIG`, or
/// discovery from each input's folder, or none with `--no-config`.
fn resolver(g: &GlobalArgs, debug: &Debug) -> Result<inputs::Resolver, UsageError> {
    resolver_with(g, debug, FlagLayer::new(g)?)
}

fn resolver_with(
    g: &GlobalArgs,
    debug: &Debug,
    flags: FlagLayer,
) -> Result<inputs::Resolver, UsageError> {
    inputs::Resolver::new(
        g.no_config,
        g.config.as_deref(),
        Settings::with_now(clock::system_now()),
        flags,
        debug,
    )
}

/// Settings for commands without input files: the configuration found from
/// the current folder, then the flags. A clock the configuration pins is
/// for judging recorded inputs (`check`); used here, it is named on stderr.
fn settings(g: &GlobalArgs, debug: &Debug) -> Result<Settings, UsageError> {
    let resolver = resolver(g, debug)?;
    let s = resolver.settings_for(Path::new("-"), None, debug)?;
    debug.log(|| format!("clock: {} ({})", s.now, clock::format_rfc3339(s.now)));
    if let Some(config) = resolver.pinned_clock(Path::new("-"), &s, debug)? {
        errln!(
            "note: times are judged at {}, the clock `now` pinned by {}, not the system \
             clock (--now overrides)",
            clock::format_rfc3339(s.now),
            tokenlint::text::printable_path(&config)
        );
    }
    Ok(s)
}

/// `token process` with no flag that carries the request.
const NO_REQUEST: &str = "token process needs a request: -p/--parameters (the form body the \
    token endpoint received) or --body (Authlete's JSON, `-` for stdin, or piped on stdin), and \
    the other fields as flags; `tokenlint token process --help` lists them";

/// The request flags; the body is `--body` (`-` reads stdin), or without
/// `--body` and `--parameters` a body piped on stdin (as the authlete CLI
/// reads it), when there is one.
fn flag_input(p: &args::ProcessArgs) -> Result<FlagInput, UsageError> {
    let stdin = Path::new("-");
    let body = match p.body.as_deref() {
        Some("-") => Some(read_text("--body", stdin, default_file_limit())?),
        Some(b) => Some(b.to_owned()),
        None if p.parameters.is_none() && !std::io::stdin().is_terminal() => {
            Some(read_text("the body piped", stdin, default_file_limit())?)
                .filter(|b| !b.trim().is_empty())
        }
        None => None,
    };
    Ok(FlagInput {
        body,
        parameters: p.parameters.clone(),
        client_id: p.client_id.clone(),
        client_secret: p.client_secret.clone(),
        client_certificate: p.client_certificate.clone(),
        client_certificate_path: p.client_certificate_path.clone(),
        dpop: p.dpop.clone(),
        htm: p.htm.clone(),
        htu: p.htu.clone(),
        dpop_nonce_required: p.dpop_nonce_required,
        access_token: p.access_token.clone(),
        access_token_duration: p.access_token_duration,
        refresh_token_duration: p.refresh_token_duration,
        properties: p.properties.clone(),
        jwt_at_claims: p.jwt_at_claims.clone(),
        oauth_client_attestation: p.oauth_client_attestation.clone(),
        oauth_client_attestation_pop: p.oauth_client_attestation_pop.clone(),
        cimd_options: p.cimd_options.clone(),
    })
}

fn env_set(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `--color` wins; in `auto`, NO_COLOR (non-empty) turns colour off, then
/// FORCE_COLOR / CLICOLOR_FORCE turn it on, then a terminal on stdout decides.
fn use_color(g: &GlobalArgs) -> bool {
    match g.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env_set("NO_COLOR").is_some() {
                return false;
            }
            if let Some(f) = env_set("FORCE_COLOR") {
                return f != "0" && f != "false";
            }
            if env_set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                return true;
            }
            out::stdout_is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// How the report of lint results is written: the chosen format, or the
/// whole JSON document for `--jq`.
fn report_format(g: &GlobalArgs) -> Format {
    if g.jq.is_some() {
        return Format::Document;
    }
    match output_format(g) {
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Toon => Format::Toon,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
        OutputFormat::Table => Format::Table,
        OutputFormat::Pretty => Format::Pretty(report::pretty::Options {
            color: use_color(g),
            width: terminal_width(),
        }),
    }
}

pub(crate) type ReportWriter = Writer<out::Filtered<std::io::BufWriter<out::Stdout>>>;

/// The report's writer: through the filter (colour passes when the pretty
/// report is coloured; workflow commands are defused except in `-o github`,
/// whose annotations escape their values), then a buffer.
fn report_writer(g: &GlobalArgs) -> Result<ReportWriter, UsageError> {
    let format = report_format(g);
    let colour = matches!(format, Format::Pretty(o) if o.color);
    let commands = !matches!(format, Format::Github);
    let buffered = std::io::BufWriter::with_capacity(64 << 10, out::Stdout::new());
    Ok(Writer::new(
        format,
        out::Filtered::new(buffered, colour, commands),
    )?)
}

/// Ends the report (printing the document for `--jq`) and maps it to the
/// exit code.
fn finish_report(g: &GlobalArgs, w: ReportWriter) -> Result<u8, UsageError> {
    let done = w.finish()?;
    if let Some(doc) = done.document {
        let text = match &g.jq {
            Some(expr) => jq_lines(expr, &doc)?,
            None => match output_format(g) {
                OutputFormat::Toon => report::structured::value_toon(&doc),
                OutputFormat::Yaml => report::structured::value_yaml(&doc),
                _ => format!("{}\n", serde_json::to_string_pretty(&doc)?),
            },
        };
        write_stdout(&text)?;
    }
    let s = done.summary;
    // SARIF is for upload: the results are in the file, not the exit code.
    let report_only = g.exit_zero || output_format(g) == OutputFormat::Sarif;
    Ok(if s.failed > 0 {
        EXIT_USAGE
    } else if s.with_errors > 0 && !report_only {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn emit(g: &GlobalArgs, outcomes: &[Outcome]) -> Result<u8, UsageError> {
    let mut w = report_writer(g)?;
    for o in outcomes {
        w.write(o)?;
    }
    finish_report(g, w)
}

/// Runs `--jq` over a JSON document: one output value per line.
fn jq_lines(expr: &str, value: &serde_json::Value) -> Result<String, UsageError> {
    let mut out = tokenlint::jq::filter(expr, value)?.join("\n");
    out.push('\n');
    Ok(out)
}

/// Renders a toolkit result (not lint findings) in the chosen format.
fn emit_value(
    g: &GlobalArgs,
    value: &serde_json::Value,
    human: impl FnOnce() -> String,
) -> Result<(), UsageError> {
    let text = match &g.jq {
        Some(expr) => jq_lines(expr, value)?,
        None => match output_format(g) {
            OutputFormat::Json | OutputFormat::Sarif => {
                format!("{}\n", serde_json::to_string_pretty(value)?)
            }
            OutputFormat::Yaml => report::structured::value_yaml(value),
            OutputFormat::Toon => report::structured::value_toon(value),
            OutputFormat::Pretty | OutputFormat::Table | OutputFormat::Github => human(),
        },
    };
    write_stdout(&text)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
        .clamp(60, 200)
}

/// Writes human or structured text to stdout, without colour; a closed
/// pipe (`| head`) is not an error.
fn write_stdout(text: &str) -> Result<(), UsageError> {
    Ok(out::stdout(text, false)?)
}

fn method(m: PkceMethod) -> pkce::Method {
    match m {
        PkceMethod::S256 => pkce::Method::S256,
        PkceMethod::Plain => pkce::Method::Plain,
    }
}

fn pkce_command(g: &GlobalArgs, cmd: PkceCommand) -> Result<u8, UsageError> {
    match cmd {
        PkceCommand::Generate { length, method: m } => {
            let verifier = pkce::generate_verifier(length)?;
            let challenge = pkce::challenge(&verifier, method(m));
            let m = method(m).as_str();
            let v = serde_json::json!({
                "code_verifier": verifier,
                "code_challenge": challenge,
                "code_challenge_method": m,
            });
            emit_value(g, &v, || {
                format!(
                    "code_verifier:         {verifier}\n\
                     code_challenge:        {challenge}\n\
                     code_challenge_method: {m}\n"
                )
            })?;
            Ok(EXIT_OK)
        }
        PkceCommand::Challenge {
            verifier,
            method: m,
        } => {
            let challenge = pkce::challenge(&verifier, method(m));
            let m = method(m).as_str();
            let v = serde_json::json!({"code_challenge": challenge, "code_challenge_method": m});
            emit_value(g, &v, || format!("{challenge}\n"))?;
            Ok(EXIT_OK)
        }
        PkceCommand::Verify {
            verifier,
            challenge,
            method: m,
        } => {
            let ok = pkce::verify(&verifier, &challenge, method(m));
            let expected = pkce::challenge(&verifier, method(m));
            let name = method(m).as_str();
            let v = serde_json::json!({
                "match": ok,
                "expected_challenge": expected,
                "code_challenge_method": name,
            });
            emit_value(g, &v, || {
                if ok {
                    "match: the verifier derives to this challenge\n".to_owned()
                } else {
                    format!("no match: the {name} challenge of this verifier is {expected}\n")
                }
            })?;
            Ok(if ok { EXIT_OK } else { EXIT_FINDINGS })
        }
    }
}

fn rules_command(g: &GlobalArgs) -> Result<(), UsageError> {
    let rules = lint::registry();
    let v: Vec<_> = rules
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "severity": r.severity.as_str(),
                "summary": r.summary,
                "spec": r.spec,
            })
        })
        .collect();
    emit_value(g, &serde_json::Value::Array(v), || {
        let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        let mut s = String::new();
        for r in &rules {
            s.push_str(&format!(
                "{:<width$}  {:<7}  {}\n",
                r.id,
                r.severity.as_str(),
                r.summary
            ));
        }
        s.push_str(&format!(
            "\n{} rules. `tokenlint explain <id>` shows one.\n",
            rules.len()
        ));
        s
    })
}
