//! `token process --send` / `--dry-run`, `check --response`, and
//! `explain <result code>`: the command-line side of [`tokenlint::authlete`].

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::args::{GlobalArgs, OutputFormat, ProcessArgs};
use super::{emit, emit_value, env_set, output_format, Debug, UsageError};
use tokenlint::authlete::client::{self, HttpRequest, HttpResponse, SendError};
use tokenlint::authlete::relate::ResponseCode;
use tokenlint::authlete::{self, exit, result_codes, Action};
use tokenlint::lint::{self, FileReport, Settings, Severity};
use tokenlint::report::stream::{render_all, Format};
use tokenlint::report::{self, Outcome};
use tokenlint::request::{self, Loaded};

/// Environment variables holding the Authlete API token, in order.
const BEARER_ENV: &[&str] = &["AUTHLETE_BEARER", "AUTHLETE_TOKEN", "AUTHLETE_BEARER_TOKEN"];

/// The default timeout of the Authlete call.
const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The credentials file, outside any repository:
/// `$XDG_CONFIG_HOME/tokenlint/credentials.toml`, else `~/.config/tokenlint/credentials.toml`.
fn credentials_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("tokenlint").join("credentials.toml"))
}

#[derive(Default, serde::Deserialize)]
struct Credentials {
    bearer: Option<String>,
    service_id: Option<String>,
    server_url: Option<String>,
}

/// The credentials file, when there is one. One that cannot be read (over
/// the file limit, not a regular file) is an error, not silently skipped.
fn read_credentials(debug: &Debug) -> Result<Credentials, UsageError> {
    let Some(path) = credentials_path() else {
        return Ok(Credentials::default());
    };
    let text = match tokenlint::read::string(&path, super::default_file_limit()) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Credentials::default()),
        Err(e) => {
            return Err(UsageError(format!(
                "credentials file {}: {e}",
                path.display()
            )))
        }
    };
    debug.log(|| format!("credentials file: {}", path.display()));
    Ok(match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            errln!(
                "warning: {} is not valid TOML ({}); ignoring it",
                path.display(),
                e.message()
            );
            Credentials::default()
        }
    })
}

/// The Authlete API token, and where it came from (for `--debug`).
struct Bearer {
    token: String,
    from: String,
}

/// Where the call goes and with what, resolved from flags, environment and
/// the credentials file. In a dry run, missing values become placeholders.
struct Target {
    url: String,
    bearer: Bearer,
    service_id: String,
    extra_headers: Vec<(String, String)>,
    timeout: std::time::Duration,
}

/// The service ID shown in a dry run without one.
const SERVICE_ID_PLACEHOLDER: &str = "{serviceId}";

const NO_SERVICE_ID: &str =
    "no Authlete service ID: pass -s/--service-id ID or set AUTHLETE_SERVICE_ID";

fn resolve(
    g: &GlobalArgs,
    p: &ProcessArgs,
    debug: &Debug,
    dry_run: bool,
) -> Result<Target, UsageError> {
    let creds = read_credentials(debug)?;
    let bearer = match find_bearer(g, &creds) {
        Some(b) => b,
        None if dry_run => Bearer {
            token: "<no token>".to_owned(),
            from: "nowhere".to_owned(),
        },
        None => return Err(no_bearer()),
    };
    let service_id = p.service_id.clone().filter(|s| !s.is_empty());
    let service_id = match service_id.or(creds.service_id.clone()) {
        Some(s) => s,
        None if dry_run => SERVICE_ID_PLACEHOLDER.to_owned(),
        None => return Err(UsageError(NO_SERVICE_ID.into())),
    };
    let url = token_url(g, &creds, &service_id)?;
    let extra_headers = g
        .headers
        .iter()
        .map(|h| client::parse_header(h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(UsageError)?;
    let timeout = match &g.timeout {
        Some(t) => client::parse_duration(t).map_err(|e| UsageError(format!("--timeout {e}")))?,
        None => DEFAULT_TIMEOUT,
    };
    Ok(Target {
        url,
        bearer,
        service_id,
        extra_headers,
        timeout,
    })
}

/// The token: `--bearer`, then the environment, then the credentials file.
fn find_bearer(g: &GlobalArgs, creds: &Credentials) -> Option<Bearer> {
    let from_flag = g
        .bearer
        .clone()
        .filter(|b| !b.is_empty())
        .map(|token| Bearer {
            token,
            from: "--bearer".to_owned(),
        });
    from_flag
        .or_else(|| {
            BEARER_ENV.iter().find_map(|n| {
                env_set(n).map(|token| Bearer {
                    token,
                    from: (*n).to_owned(),
                })
            })
        })
        .or_else(|| {
            creds.bearer.clone().map(|token| Bearer {
                token,
                from: credentials_path()
                    .map_or("credentials file".into(), |p| p.display().to_string()),
            })
        })
}

fn no_bearer() -> UsageError {
    let file = credentials_path().map_or("~/.config/tokenlint/credentials.toml".into(), |p| {
        p.display().to_string()
    });
    UsageError(format!(
        "no Authlete API token to send with: pass --bearer TOKEN, set {} (or {}), \
         or put `bearer = \"…\"` in {file}",
        BEARER_ENV[0],
        BEARER_ENV[1..].join(", "),
    ))
}

/// The service's token API on the chosen server (`--server-url`, then
/// `AUTHLETE_SERVER_URL`, then the credentials file, then `--server`).
fn token_url(g: &GlobalArgs, creds: &Credentials, service_id: &str) -> Result<String, UsageError> {
    let server_url = g
        .server_url
        .clone()
        .or_else(|| env_set("AUTHLETE_SERVER_URL"))
        .or(creds.server_url.clone());
    let base =
        authlete::base_url(g.server.as_deref(), server_url.as_deref()).map_err(UsageError)?;
    if service_id == SERVICE_ID_PLACEHOLDER {
        Ok(format!("{base}/api/{service_id}/auth/token"))
    } else {
        authlete::token_url(&base, service_id).map_err(UsageError)
    }
}

/// `token process`: lint; with `--dry-run` show the request; with `--send`
/// send it when the lint found no error (or with `--force`).
pub(super) fn process(
    g: &GlobalArgs,
    p: &ProcessArgs,
    loaded: &Loaded,
    settings: &Settings,
    debug: &Debug,
) -> Result<u8, UsageError> {
    let lint_report = lint::lint(loaded, settings);
    let errors = lint_report.count(Severity::Error);
    let outcomes = vec![Outcome::Linted(lint_report)];
    if !p.send && !g.dry_run {
        return emit(g, &outcomes);
    }
    let target = resolve(g, p, debug, g.dry_run)?;
    let body = serde_json::to_string(&request::body::to_json(&loaded.request, false))?;
    let masked_body = serde_json::to_string_pretty(&request::body::to_json(&loaded.request, true))?;
    let req = HttpRequest::new(
        target.url.clone(),
        &target.bearer.token,
        body,
        &target.extra_headers,
    );
    if g.dry_run {
        show_dry_run(p, &req, &masked_body, errors);
        return emit(g, &outcomes);
    }
    if errors > 0 && !p.force {
        let code = emit(g, &outcomes)?;
        errln!("{}", not_sent(errors));
        return Ok(code.max(exit::REFUSED));
    }
    if errors > 0 {
        errln!("warning: sending despite {errors} error finding(s) (--force)");
    }
    debug.log(|| format!("bearer token from {}", target.bearer.from));
    debug.log(|| format!("request:\n{}", req.display(&masked_body)));
    let Some(resp) = call(g, &req, target.timeout, debug) else {
        return Ok(exit::TRANSPORT);
    };
    let answered = Answered {
        target: &target,
        resp: &resp,
        lint: LintPart::of(&outcomes),
    };
    show_lint(g, &outcomes);
    if resp.status != 200 {
        return api_error(g, &answered);
    }
    token_answer(g, loaded, &answered)
}

/// `--dry-run`: the request that would be sent, on stderr.
fn show_dry_run(p: &ProcessArgs, req: &HttpRequest, masked_body: &str, errors: usize) {
    err!(
        "dry run: the request that would be sent (nothing is sent; the bearer token and \
         secrets are masked):\n{}",
        req.display(masked_body)
    );
    if p.send && errors > 0 && !p.force {
        errln!(
            "(with --send it would not be sent: {errors} error finding(s); --force sends anyway)"
        );
    }
}

fn not_sent(errors: usize) -> String {
    format!(
        "not sent: the request has {errors} error finding(s) that Authlete would reject or that \
         are a security problem; fix them, or pass --force to send anyway"
    )
}

/// Sends the request once. Without an answer, says why and returns `None`
/// (exit 5).
fn call(
    g: &GlobalArgs,
    req: &HttpRequest,
    timeout: std::time::Duration,
    debug: &Debug,
) -> Option<HttpResponse> {
    let started = std::time::Instant::now();
    match client::send(req, timeout) {
        Ok(resp) => {
            debug.log(|| response_log(&resp, started.elapsed()));
            Some(resp)
        }
        Err(e) => {
            debug.log(|| format!("no response after {} ms", started.elapsed().as_millis()));
            let kind = match e {
                SendError::Timeout { .. } => "timeout",
                SendError::Connect(_) => "connect",
                SendError::Other(_) => "transport",
            };
            report_error(g, exit::TRANSPORT, kind, &e.to_string());
            None
        }
    }
}

/// Authlete's answer for `--debug`, credentials masked.
fn response_log(resp: &HttpResponse, after: std::time::Duration) -> String {
    let mut s = format!(
        "response after {} ms: HTTP {}\n",
        after.as_millis(),
        resp.status
    );
    for (k, v) in &resp.headers {
        s.push_str(&format!("{k}: {}\n", client::mask_header(k, v)));
    }
    match serde_json::from_str::<Value>(&resp.body) {
        Ok(v) => s.push_str(
            &serde_json::to_string_pretty(&authlete::mask_response(&v)).unwrap_or_default(),
        ),
        Err(_) => s.push_str(&format!("({} bytes, not JSON)", resp.body.len())),
    }
    s
}

/// Warnings and info the lint found still matter after a send: the pretty
/// report shows them on stderr.
fn show_lint(g: &GlobalArgs, outcomes: &[Outcome]) {
    if output_format(g) != OutputFormat::Pretty || g.jq.is_some() {
        return;
    }
    if let Some(Outcome::Linted(r)) = outcomes.first() {
        if !r.findings.is_empty() {
            err!(
                "{}",
                render_all(Format::Pretty(Default::default()), outcomes)
            );
        }
    }
}

/// The lint's part of the output after a send: its summary and findings.
struct LintPart {
    summary: Value,
    findings: Value,
}

impl LintPart {
    fn of(outcomes: &[Outcome]) -> LintPart {
        let v = report::json::to_value(outcomes);
        LintPart {
            summary: v["summary"].clone(),
            findings: v["results"][0]["findings"].clone(),
        }
    }

    fn json(&self) -> Value {
        json!({"summary": self.summary, "findings": self.findings})
    }
}

/// A call that Authlete answered, with the lint results that go with it.
struct Answered<'a> {
    target: &'a Target,
    resp: &'a HttpResponse,
    lint: LintPart,
}

impl Answered<'_> {
    fn sent_json(&self) -> Value {
        json!({"method": "POST", "url": self.target.url})
    }

    /// The response headers, credentials masked (`--include-headers`).
    fn headers_json(&self) -> Value {
        Value::Object(
            self.resp
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(client::mask_header(k, v))))
                .collect(),
        )
    }
}

/// The Authlete API refused the call itself (HTTP 4xx/5xx): its result
/// code and what it means (exit 4).
fn api_error(g: &GlobalArgs, a: &Answered<'_>) -> Result<u8, UsageError> {
    let status = a.resp.status;
    let parsed: Option<Value> = serde_json::from_str(&a.resp.body).ok();
    let member = |name: &str| {
        parsed
            .as_ref()
            .and_then(|v| v[name].as_str())
            .map(str::to_owned)
    };
    let code = member("resultCode");
    let message = member("resultMessage");
    let meaning = match code.as_deref().and_then(result_codes::find) {
        Some(k) => k.meaning.as_str(),
        None => api_status_meaning(status),
    };
    let mut v = json!({
        "sent": a.sent_json(),
        "http_status": status,
        "error": "api_error",
        "resultCode": code,
        "resultMessage": message,
        "meaning": meaning,
        "exit_code": exit::API_ERROR,
        "lint": a.lint.json(),
    });
    if parsed.is_none() {
        v["body_bytes"] = json!(a.resp.body.len());
    }
    if g.include_headers {
        v["response_headers"] = a.headers_json();
    }
    let prefixed = |p: &str, s: &Option<String>| s.as_deref().map(|s| format!("{p}{s}"));
    let human = format!(
        "Authlete API error: HTTP {status}{}{}\n  {meaning}\n",
        prefixed(" ", &code).unwrap_or_default(),
        prefixed(" ", &message).unwrap_or_default(),
    );
    emit_value(g, &v, || human)?;
    errln!(
        "error: the Authlete API refused the call (HTTP {status}{}); the token request was not \
         processed",
        prefixed(", ", &code).unwrap_or_default()
    );
    Ok(exit::API_ERROR)
}

fn api_status_meaning(status: u16) -> &'static str {
    match status {
        400 => "the Authlete API rejected the call itself (e.g. plain http, a malformed body)",
        401 => {
            "the Authlete API did not accept the bearer token: check --bearer / \
             AUTHLETE_BEARER, that it is a service (or organization) access token, and that \
             --server matches the service's cluster"
        }
        403 => "the token is not allowed to use this service, or the client is locked",
        404 => "no such API path: check the service ID and --server-url",
        500..=599 => {
            "an error inside Authlete: retry later; the request was probably not processed"
        }
        _ => "an unexpected HTTP status from the Authlete API",
    }
}

/// Authlete processed the token request: its action, and what the token
/// endpoint must answer (exit 0, or 3 for an error action).
fn token_answer(g: &GlobalArgs, loaded: &Loaded, a: &Answered<'_>) -> Result<u8, UsageError> {
    let Ok(resp_json) = serde_json::from_str::<Value>(&a.resp.body) else {
        let message = format!(
            "Authlete answered HTTP 200 with a body that is not JSON ({} bytes)",
            a.resp.body.len()
        );
        report_error(g, exit::API_ERROR, "api_error", &message);
        return Ok(exit::API_ERROR);
    };
    let action = Action::parse(resp_json["action"].as_str().unwrap_or(""));
    let basic = loaded.request.client_id.is_some() || loaded.request.client_secret.is_some();
    let answer = authlete::endpoint_answer(&resp_json, basic, &a.target.service_id);
    let code = action.exit_code();
    let mut v = json!({
        "sent": a.sent_json(),
        "http_status": a.resp.status,
        "action": action.as_str(),
        "resultCode": resp_json["resultCode"],
        "resultMessage": resp_json["resultMessage"],
        "exit_code": code,
        "response": authlete::mask_response(&resp_json),
        "token_endpoint": authlete::answer_json(&answer),
        "lint": a.lint.json(),
    });
    if g.include_headers {
        v["response_headers"] = a.headers_json();
    }
    emit_value(g, &v, || {
        human_answer(
            &resp_json,
            &action,
            &answer,
            g.include_headers.then_some(&a.resp.headers),
        )
    })?;
    Ok(code)
}

fn human_answer(
    resp: &Value,
    action: &Action,
    a: &authlete::EndpointAnswer,
    headers: Option<&Vec<(String, String)>>,
) -> String {
    let mut s = format!(
        "Authlete: action {}{}\n",
        action.as_str(),
        resp["resultCode"]
            .as_str()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default()
    );
    if let Some(m) = resp["resultMessage"].as_str() {
        s.push_str(&format!("  {m}\n"));
    }
    if let Some(h) = headers {
        s.push_str("\nAuthlete response headers:\n");
        for (k, v) in h {
            s.push_str(&format!("  {k}: {}\n", client::mask_header(k, v)));
        }
    }
    s.push_str("\nThe token endpoint must answer:\n");
    match a.status {
        Some(st) => s.push_str(&format!("  HTTP {st}\n")),
        None => s.push_str("  (after the follow-up call below)\n"),
    }
    for (k, v) in &a.headers {
        s.push_str(&format!("  {k}: {v}\n"));
    }
    if let Some(b) = &a.body {
        s.push_str(&format!("\n  {b}\n"));
    }
    if let Some(n) = &a.next {
        s.push_str(&format!("\nNext: {n}\n"));
    }
    s
}

/// An error on stderr: one JSON object in agent mode, a line otherwise.
fn report_error(g: &GlobalArgs, code: u8, kind: &str, message: &str) {
    if super::agent_mode(g) {
        errln!(
            "{}",
            json!({"error": {"exit_code": code, "kind": kind, "message": message}})
        );
    } else {
        errln!("error: {message}");
    }
}

/// Without a result code, `--response` relates nothing.
const NO_RESULT_CODE: &str = "no Authlete result code in it (a `resultCode` member, or `[A` + \
    6 digits + `]` as error_description starts)";

/// `check --response FILE`: a function that adds, to each linted request,
/// the info finding naming the response's result code and the findings
/// that explain it.
pub(super) fn response_relater(path: &Path) -> Result<impl Fn(&mut FileReport) + Sync, UsageError> {
    let text = super::read_text("--response", path, super::default_file_limit())?;
    let Some(code) = ResponseCode::find(&text) else {
        return Err(UsageError(format!(
            "--response {}: {NO_RESULT_CODE}",
            path.display()
        )));
    };
    Ok(move |r: &mut FileReport| code.relate(r))
}

/// `explain A050312`.
pub(super) fn explain_code(g: &GlobalArgs, code: &str) -> Result<u8, UsageError> {
    let entry = result_codes::find(code);
    let category = result_codes::category(code);
    let v = match entry {
        Some(e) => json!({
            "code": e.code, "category": category, "api": e.api, "message": e.message,
            "meaning": e.meaning, "error": e.error, "http": e.http, "source": e.source,
            "rules": e.rules,
        }),
        None => json!({"code": code, "category": category, "known": false}),
    };
    emit_value(g, &v, || match entry {
        Some(e) => known_code_text(e),
        None => format!("{code}  ({category})\n{UNKNOWN_CODE}"),
    })?;
    Ok(super::EXIT_OK)
}

const UNKNOWN_CODE: &str = "Not in tokenlint's table of result codes \
    (rules/authlete/result-codes.toml). The category comes from the third digit from the right. \
    Authlete's list: https://docs.authlete.com/en/shared/latest#cmp--apiresultcode\n";

const NO_OFFLINE_RULE: &str = "\nNo tokenlint rule catches the cause offline: it is server state \
    (the client's registration, the service's settings, a used code).\n";

/// `explain` of a code in the table: its message, meaning, OAuth error and
/// the rules that catch its cause.
fn known_code_text(e: &result_codes::ResultCode) -> String {
    let mut s = format!("{}  ({}; {}; {})\n", e.code, e.category(), e.api, e.source);
    s.push_str(&format!("\"{}\"\n\n{}\n", e.message, e.meaning));
    if let Some(err) = &e.error {
        s.push_str(&format!("\nThe client receives error={err}.\n"));
    }
    if e.rules.is_empty() {
        s.push_str(NO_OFFLINE_RULE);
    } else {
        s.push_str("\nRules that catch the cause offline:\n");
        for r in &e.rules {
            let summary = lint::find_rule(r).map_or("", |m| m.summary);
            s.push_str(&format!("  {r:<40} {summary}\n"));
        }
    }
    s
}
