//! `token process --send` / `--dry-run`, `check --response`, and
//! `explain <result code>`: the command-line side of [`tokenlint::authlete`].

use std::path::PathBuf;

use serde_json::{json, Value};

use super::args::{GlobalArgs, OutputFormat, ProcessArgs};
use super::{emit, emit_value, env_set, output_format, Debug, UsageError};
use tokenlint::authlete::client::{self, HttpRequest, HttpResponse, SendError};
use tokenlint::authlete::{self, exit, result_codes, Action};
use tokenlint::lint::{self, Settings, Severity};
use tokenlint::report::stream::{render_all, Format};
use tokenlint::report::{self, Outcome};
use tokenlint::request::{self, Loaded};
use tokenlint::text::{printable, printable_path};

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
                printable_path(&path)
            )))
        }
    };
    debug.log(|| format!("credentials file: {}", printable_path(&path)));
    Ok(match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            errln!(
                "warning: {} is not valid TOML ({}); ignoring it",
                printable_path(&path),
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
/// the credentials file. What would stop `--send` (no token, no service ID,
/// a token over plain http) is `blocker`; a dry run shows the request with
/// placeholders and says so.
struct Target {
    url: String,
    bearer: Bearer,
    service_id: String,
    extra_headers: Vec<(String, String)>,
    timeout: std::time::Duration,
    max_body: usize,
    blocker: Option<String>,
}

/// The service ID shown in a dry run without one.
const SERVICE_ID_PLACEHOLDER: &str = "{serviceId}";

const NO_SERVICE_ID: &str =
    "no Authlete service ID: pass -s/--service-id ID or set AUTHLETE_SERVICE_ID";

fn resolve(g: &GlobalArgs, p: &ProcessArgs, debug: &Debug) -> Result<Target, UsageError> {
    let creds = read_credentials(debug)?;
    let mut blockers = Vec::new();
    let bearer = find_bearer(g, &creds).unwrap_or_else(|| {
        blockers.push(no_bearer().0);
        Bearer {
            token: "<no token>".to_owned(),
            from: "nowhere".to_owned(),
        }
    });
    let service_id = p.service_id.clone().filter(|s| !s.is_empty());
    let service_id = service_id.or(creds.service_id.clone()).unwrap_or_else(|| {
        blockers.push(NO_SERVICE_ID.to_owned());
        SERVICE_ID_PLACEHOLDER.to_owned()
    });
    let (base, from) = server(g, &creds)?;
    debug.log(|| format!("server: {base} ({from})"));
    if let Some(host) = authlete::insecure_host(&base).filter(|_| !p.allow_insecure_http) {
        blockers.push(insecure_http(&host));
    }
    let url = token_url(&base, &service_id)?;
    let extra_headers = g
        .send
        .headers
        .iter()
        .map(|h| client::parse_header(h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(UsageError)?;
    let timeout = match &g.send.timeout {
        Some(t) => client::parse_duration(t).map_err(|e| UsageError(format!("--timeout {e}")))?,
        None => DEFAULT_TIMEOUT,
    };
    let max_body = match &p.max_response_size {
        Some(m) => {
            client::parse_size(m).map_err(|e| UsageError(format!("--max-response-size {e}")))?
        }
        None => client::DEFAULT_MAX_RESPONSE,
    };
    Ok(Target {
        url,
        bearer,
        service_id,
        extra_headers,
        timeout,
        max_body,
        blocker: blockers.into_iter().next(),
    })
}

fn insecure_http(host: &str) -> String {
    format!(
        "the Authlete API token would cross the network in clear: the server URL is plain \
         http:// to {host}, which is not loopback; use https://, or pass --allow-insecure-http \
         (loopback hosts need nothing)"
    )
}

/// The token: `--bearer`, then the environment, then the credentials file.
fn find_bearer(g: &GlobalArgs, creds: &Credentials) -> Option<Bearer> {
    let from_flag = g
        .send
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
                from: credentials_path().map_or("credentials file".into(), |p| printable_path(&p)),
            })
        })
}

fn no_bearer() -> UsageError {
    let file = credentials_path().map_or("~/.config/tokenlint/credentials.toml".into(), |p| {
        printable_path(&p)
    });
    UsageError(format!(
        "no Authlete API token to send with: pass --bearer TOKEN, set {} (or {}), \
         or put `bearer = \"…\"` in {file}",
        BEARER_ENV[0],
        BEARER_ENV[1..].join(", "),
    ))
}

/// The server's base URL and where it came from: a flag on the command line
/// (`--server-url`, else `--server`), then `AUTHLETE_SERVER_URL`, then the
/// credentials file's `server_url`, then `us`.
fn server(g: &GlobalArgs, creds: &Credentials) -> Result<(String, String), UsageError> {
    let from_url = |url: &str, from: String| {
        authlete::base_url(None, Some(url))
            .map(|base| (base, format!("from {from}")))
            .map_err(|e| UsageError(format!("{from}: {e}")))
    };
    if let Some(u) = &g.send.server_url {
        return from_url(u, "--server-url".into());
    }
    if let Some(s) = &g.send.server {
        let base = authlete::base_url(Some(s), None).map_err(UsageError)?;
        return Ok((base, format!("from --server {s}")));
    }
    if let Some(u) = env_set("AUTHLETE_SERVER_URL") {
        return from_url(&u, "AUTHLETE_SERVER_URL".into());
    }
    if let Some(u) = &creds.server_url {
        let file = credentials_path().map_or("the credentials file".into(), |p| printable_path(&p));
        return from_url(u, format!("server_url in {file}"));
    }
    let base = authlete::base_url(None, None).map_err(UsageError)?;
    Ok((base, "the default".into()))
}

/// The service's token API on the server.
fn token_url(base: &str, service_id: &str) -> Result<String, UsageError> {
    if service_id == SERVICE_ID_PLACEHOLDER {
        Ok(format!("{base}/api/{service_id}/auth/token"))
    } else {
        authlete::token_url(base, service_id).map_err(UsageError)
    }
}

/// `token process`: lint; with `--dry-run` show the request and what
/// `--send` would do; with `--send` send it when the lint found no error
/// (or with `--force`).
pub(super) fn process(
    g: &GlobalArgs,
    p: &ProcessArgs,
    loaded: &Loaded,
    settings: &Settings,
    debug: &Debug,
) -> Result<u8, UsageError> {
    if p.force && !p.send && !g.send.dry_run {
        return Err(UsageError(
            "--force goes with --send (or with --dry-run, to preview a forced send)".into(),
        ));
    }
    let lint_report = lint::lint(loaded, settings);
    let errors = lint_report.count(Severity::Error);
    // The input's secrets, to scrub from what `--dry-run` and `--debug` show
    // besides the masked fields.
    let redactor = std::sync::Arc::clone(&lint_report.redactor);
    let outcomes = vec![Outcome::Linted(lint_report)];
    if !p.send && !g.send.dry_run {
        return emit(g, &outcomes);
    }
    let target = resolve(g, p, debug)?;
    let body = serde_json::to_string(&request::body::sent(loaded, false))?;
    let masked_body = serde_json::to_string_pretty(&request::body::sent(loaded, true))?;
    let masked_body = redactor.scrub(&masked_body).into_owned();
    let req = HttpRequest::new(
        target.url.clone(),
        &target.bearer.token,
        body,
        &target.extra_headers,
    );
    if g.send.dry_run {
        let (verdict, code) = dry_run_verdict(&target, p.force, errors);
        err!(
            "dry run: {verdict}\n(nothing is sent; the bearer token and secrets are masked)\n{}",
            req.display(&masked_body)
        );
        emit(g, &outcomes)?;
        return Ok(code);
    }
    if let Some(b) = target.blocker {
        return Err(UsageError(b));
    }
    if errors > 0 && !p.force {
        let code = emit(g, &outcomes)?;
        errln!("{}", not_sent(errors));
        return Ok(code.max(exit::REFUSED));
    }
    if errors > 0 {
        errln!("warning: sending despite {} (--force)", n_errors(errors));
    }
    debug.log(|| format!("bearer token from {}", target.bearer.from));
    debug.log(|| {
        let shown = req.display_hiding(&masked_body, &target.extra_headers);
        format!("request:\n{shown}")
    });
    let lint = LintPart::of(&outcomes);
    let resp = match call(&req, &target, debug) {
        Ok(resp) => resp,
        Err(SendError::TooLarge { status, limit }) => {
            show_lint(g, &outcomes);
            let message = SendError::TooLarge { status, limit }.to_string();
            let extra = json!({"limit_bytes": limit});
            return unusable(
                g,
                &target,
                &lint,
                status,
                "response_too_large",
                &message,
                extra,
            );
        }
        Err(e) => {
            let kind = match e {
                SendError::Timeout { .. } => "timeout",
                SendError::Connect(_) => "connect",
                _ => "transport",
            };
            report_error(g, exit::TRANSPORT, kind, &e.to_string());
            return Ok(exit::TRANSPORT);
        }
    };
    let answered = Answered {
        target: &target,
        resp: &resp,
        lint,
    };
    show_lint(g, &outcomes);
    if resp.status != 200 {
        return api_error(g, &answered);
    }
    token_answer(g, loaded, &answered)
}

/// What `--send` would do, as a dry run's header says it, and the exit
/// code it would end with before sending: 2 for a usage problem, 1 for
/// error findings without `--force`, else 0.
fn dry_run_verdict(target: &Target, force: bool, errors: usize) -> (String, u8) {
    match &target.blocker {
        Some(b) => (format!("would not be sent: {b}"), super::EXIT_USAGE),
        None if errors > 0 && !force => (
            format!(
                "would not be sent: {}; --force sends anyway",
                n_errors(errors)
            ),
            exit::REFUSED,
        ),
        None if errors > 0 => (
            format!(
                "the request that would be sent despite {} (--force)",
                n_errors(errors)
            ),
            exit::OK,
        ),
        None => ("the request that would be sent".into(), exit::OK),
    }
}

/// `1 error`, `2 errors`.
fn n_errors(n: usize) -> String {
    format!("{n} error{}", if n == 1 { "" } else { "s" })
}

fn not_sent(errors: usize) -> String {
    format!(
        "not sent: the request has {} that Authlete would reject or that are a security \
         problem; fix them, or pass --force to send anyway",
        n_errors(errors)
    )
}

/// Sends the request once, logging how long the answer took.
fn call(req: &HttpRequest, target: &Target, debug: &Debug) -> Result<HttpResponse, SendError> {
    let started = std::time::Instant::now();
    let result = client::send(req, target.timeout, target.max_body);
    match &result {
        Ok(resp) => debug.log(|| response_log(resp, started.elapsed())),
        Err(_) => debug.log(|| format!("no response after {} ms", started.elapsed().as_millis())),
    }
    result
}

/// Authlete answered something tokenlint cannot use (a body over the limit,
/// not JSON, no `action`): a result in every format, the error on stderr,
/// exit 4.
fn unusable(
    g: &GlobalArgs,
    target: &Target,
    lint: &LintPart,
    status: u16,
    error: &str,
    message: &str,
    extra: Value,
) -> Result<u8, UsageError> {
    let mut v = json!({
        "sent": sent_json(target),
        "http_status": status,
        "error": error,
        "message": message,
        "exit_code": exit::API_ERROR,
        "lint": lint.json(),
    });
    if let (Some(v), Value::Object(extra)) = (v.as_object_mut(), extra) {
        v.extend(extra);
    }
    emit_result(g, &v, || {
        format!("Authlete's answer cannot be used (HTTP {status}, {error}):\n  {message}\n")
    })?;
    report_error(g, exit::API_ERROR, error, message);
    Ok(exit::API_ERROR)
}

fn sent_json(target: &Target) -> Value {
    json!({"method": "POST", "url": target.url})
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
        sent_json(self.target)
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

/// A member of an answer as text: a string as it is, a number (the spec's
/// own 404 example has `"resultCode": 404`) written out.
fn member_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The Authlete API refused the call itself (HTTP 4xx/5xx): its result
/// code and what it means (exit 4). After a 5xx nobody can know whether the
/// token request was processed.
fn api_error(g: &GlobalArgs, a: &Answered<'_>) -> Result<u8, UsageError> {
    let status = a.resp.status;
    let parsed: Option<Value> = serde_json::from_str(&a.resp.body).ok();
    let member = |name: &str| parsed.as_ref().map_or(Value::Null, |v| v[name].clone());
    let (code, message) = (member("resultCode"), member("resultMessage"));
    let code_text = member_text(&code);
    let meaning = match code_text.as_deref().and_then(result_codes::find) {
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
        "processed": if status >= 500 { "unknown" } else { "no" },
        "exit_code": exit::API_ERROR,
        "lint": a.lint.json(),
    });
    if parsed.is_none() {
        v["body_bytes"] = json!(a.resp.body.len());
    }
    if g.send.include_headers {
        v["response_headers"] = a.headers_json();
    }
    let prefixed = |p: &str, s: Option<String>| {
        s.map(|s| format!("{p}{}", printable(&s)))
            .unwrap_or_default()
    };
    let human = format!(
        "Authlete API error: HTTP {status}{}{}\n  {meaning}\n",
        prefixed(" ", code_text.clone()),
        prefixed(" ", member_text(&message).filter(|m| !m.is_empty())),
    );
    emit_result(g, &v, || human)?;
    let code = prefixed(", ", code_text);
    if status >= 500 {
        errln!("error: the Authlete API failed (HTTP {status}{code}); {UNKNOWN_IF_PROCESSED}");
    } else {
        errln!(
            "error: the Authlete API refused the call (HTTP {status}{code}); the token request \
             was not processed"
        );
    }
    Ok(exit::API_ERROR)
}

/// After a 5xx (or no answer) the token request may or may not have been
/// processed, and a code is spent on the first try.
const UNKNOWN_IF_PROCESSED: &str = "it is unknown whether the token request was processed (an \
    authorization code may already be spent): do not retry blindly; check the grant first";

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
        500..=599 => "an error inside Authlete or in front of it",
        _ => "an unexpected HTTP status from the Authlete API",
    }
}

/// Authlete processed the token request: its action, and what the token
/// endpoint must answer (exit 0, or 3 for an error action). A body that is
/// not JSON, or has no `action`, cannot be used (exit 4).
fn token_answer(g: &GlobalArgs, loaded: &Loaded, a: &Answered<'_>) -> Result<u8, UsageError> {
    let status = a.resp.status;
    let Ok(resp_json) = serde_json::from_str::<Value>(&a.resp.body) else {
        let message = format!(
            "Authlete answered HTTP {status} with a body that is not JSON ({} bytes); {}",
            a.resp.body.len(),
            UNKNOWN_IF_PROCESSED
        );
        let extra = json!({"body_bytes": a.resp.body.len()});
        return unusable(g, a.target, &a.lint, status, "not_json", &message, extra);
    };
    let Some(action) = resp_json["action"].as_str().map(Action::parse) else {
        let message = format!(
            "Authlete answered HTTP {status} without an `action`, so what the token endpoint \
             must answer cannot be told; {UNKNOWN_IF_PROCESSED}"
        );
        let extra = json!({
            "action": null,
            "resultCode": resp_json["resultCode"],
            "resultMessage": resp_json["resultMessage"],
            "response": authlete::mask_response(&resp_json),
        });
        return unusable(g, a.target, &a.lint, status, "no_action", &message, extra);
    };
    let basic = loaded.request.client_id.is_some() || loaded.request.client_secret.is_some();
    let answer = authlete::endpoint_answer(&resp_json, basic, &a.target.service_id);
    let code = action.exit_code();
    let mut v = json!({
        "sent": a.sent_json(),
        "http_status": status,
        "action": action.as_str(),
        "resultCode": resp_json["resultCode"],
        "resultMessage": resp_json["resultMessage"],
        "exit_code": code,
        "response": authlete::mask_response(&resp_json),
        "shown": authlete::shown_fields(&resp_json),
        "token_endpoint": authlete::answer_json(&answer),
        "lint": a.lint.json(),
    });
    let retry = authlete::nonce_retry(&resp_json);
    if let Some(nonce) = &retry {
        v["retry"] = json!({
            "dpop_nonce": nonce,
            "how": retry_how(loaded, nonce),
        });
    }
    if g.send.include_headers {
        v["response_headers"] = a.headers_json();
    }
    emit_result(g, &v, || {
        let mut s = human_answer(
            &resp_json,
            &action,
            &answer,
            g.send.include_headers.then_some(&a.resp.headers),
        );
        if let Some(nonce) = &retry {
            s.push_str(&format!(
                "\nRetry: the server asks for a DPoP nonce. Make a new proof with it (a fresh \
                 jti and iat) and send again:\n  {}\n",
                printable(&retry_how(loaded, nonce))
            ));
        }
        s
    })?;
    Ok(code)
}

/// The command that makes the proof to retry with.
fn retry_how(loaded: &Loaded, nonce: &str) -> String {
    let htu = loaded
        .request
        .htu
        .as_ref()
        .map_or("URL", |t| t.value.as_str());
    format!("tokenlint dpop proof --key KEY --htu {htu} --nonce {nonce}")
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
        member_text(&resp["resultCode"])
            .map(|c| format!(" ({})", printable(&c)))
            .unwrap_or_default()
    );
    if let Some(m) = resp["resultMessage"].as_str() {
        s.push_str(&format!("  {}\n", printable(m)));
    }
    let fields = authlete::response_fields(resp);
    if !fields.is_empty() {
        s.push_str("\nIn the response (credentials masked):\n");
        let fields: Vec<_> = fields
            .iter()
            .map(|(k, v)| (printable(k), printable(v)))
            .collect();
        let width = fields
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in &fields {
            s.push_str(&format!("  {k:<width$}  {v}\n"));
        }
    }
    if let Some(h) = headers {
        s.push_str("\nAuthlete response headers:\n");
        for (k, v) in h {
            let v = client::mask_header(k, v);
            s.push_str(&format!("  {}: {}\n", printable(k), printable(&v)));
        }
    }
    s.push_str("\nThe token endpoint must answer:\n");
    match a.status {
        Some(st) => s.push_str(&format!("  HTTP {st}\n")),
        None => s.push_str("  (after the follow-up call below)\n"),
    }
    for (k, v) in &a.headers {
        s.push_str(&format!("  {}: {}\n", printable(k), printable(v)));
    }
    if let Some(b) = &a.body {
        s.push_str(&format!("\n  {}\n", printable(b)));
    }
    if let Some(n) = &a.next {
        s.push_str(&format!("\nNext: {}\n", printable(n)));
    }
    s
}

/// A send result in the chosen format. `-o table` shows it as rows of field
/// and value (the lint's findings are counted there, not listed).
fn emit_result(
    g: &GlobalArgs,
    v: &Value,
    human: impl FnOnce() -> String,
) -> Result<(), UsageError> {
    if g.jq.is_none() && output_format(g) == OutputFormat::Table {
        return super::write_stdout(&result_table(v));
    }
    emit_value(g, v, human)
}

/// A result as a two-column table: each scalar under its dotted path.
fn result_table(v: &Value) -> String {
    let mut rows = Vec::new();
    table_rows("", v, &mut rows);
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0).max(5);
    let mut s = format!("{:<width$}  VALUE\n", "FIELD");
    for (k, val) in rows {
        s.push_str(&format!("{k:<width$}  {val}\n"));
    }
    s
}

fn table_rows(path: &str, v: &Value, rows: &mut Vec<(String, String)>) {
    let scalar = |v: &Value| match v {
        Value::String(s) => s.replace('\n', "\\n"),
        Value::Null => "-".to_owned(),
        other => other.to_string(),
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match x.as_array() {
                    Some(findings) if key == "lint.findings" => {
                        rows.push((key, format!("{} (see -o json)", findings.len())))
                    }
                    _ => table_rows(&key, x, rows),
                }
            }
        }
        Value::Array(items) if items.iter().any(|x| x.is_object() || x.is_array()) => {
            for (i, x) in items.iter().enumerate() {
                table_rows(&format!("{path}[{i}]"), x, rows);
            }
        }
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(scalar).collect();
            rows.push((path.to_owned(), joined.join(", ")));
        }
        other => rows.push((path.to_owned(), scalar(other))),
    }
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
