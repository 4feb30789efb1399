//! `token process --send` / `--dry-run`, `check --response`, and
//! `explain <result code>`: the command-line side of [`tokenlint::authlete`].

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::args::{GlobalArgs, OutputFormat, ProcessArgs};
use super::{emit, emit_value, output_format, Debug, UsageError};
use tokenlint::authlete::client::{self, HttpRequest, SendError};
use tokenlint::authlete::{self, exit, result_codes, Action};
use tokenlint::lint::{self, FileReport, Finding, RuleMeta, Settings, Severity};
use tokenlint::report::{self, Outcome};
use tokenlint::request::{self, Loaded};

/// Environment variables holding the Authlete API token, in order.
pub const BEARER_ENV: &[&str] = &["AUTHLETE_BEARER", "AUTHLETE_TOKEN", "AUTHLETE_BEARER_TOKEN"];

/// The default timeout of the Authlete call.
const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The credentials file, outside any repository:
/// `$XDG_CONFIG_HOME/tokenlint/credentials.toml`, else `~/.config/tokenlint/credentials.toml`.
pub fn credentials_path() -> Option<PathBuf> {
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

fn read_credentials(debug: &Debug) -> Credentials {
    let Some(path) = credentials_path() else {
        return Credentials::default();
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Credentials::default();
    };
    debug.log(|| format!("credentials file: {}", path.display()));
    match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "warning: {} is not valid TOML ({}); ignoring it",
                path.display(),
                e.message()
            );
            Credentials::default()
        }
    }
}

/// Where the call goes and with what, resolved from flags, environment and
/// the credentials file. In a dry run, missing values become placeholders.
struct Target {
    url: String,
    bearer: String,
    bearer_from: String,
    service_id: String,
    extra_headers: Vec<(String, String)>,
    timeout: std::time::Duration,
}

fn resolve(
    g: &GlobalArgs,
    p: &ProcessArgs,
    debug: &Debug,
    dry_run: bool,
) -> Result<Target, UsageError> {
    let creds = read_credentials(debug);
    let env = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    let bearer = g
        .bearer
        .clone()
        .filter(|b| !b.is_empty())
        .map(|b| (b, "--bearer".to_owned()))
        .or_else(|| {
            BEARER_ENV
                .iter()
                .find_map(|n| env(n).map(|v| (v, (*n).to_owned())))
        })
        .or_else(|| {
            creds.bearer.clone().map(|b| {
                (
                    b,
                    credentials_path()
                        .map_or("credentials file".into(), |p| p.display().to_string()),
                )
            })
        });
    let bearer = match bearer {
        Some(b) => b,
        None if dry_run => ("<no token>".to_owned(), "nowhere".to_owned()),
        None => {
            return Err(UsageError(format!(
                "no Authlete API token to send with: pass --bearer TOKEN, set {} (or {}), or put `bearer = \"…\"` in {}",
                BEARER_ENV[0],
                BEARER_ENV[1..].join(", "),
                credentials_path().map_or("~/.config/tokenlint/credentials.toml".into(), |p| p.display().to_string())
            )))
        }
    };
    let service_id = match p
        .service_id
        .clone()
        .filter(|s| !s.is_empty())
        .or(creds.service_id.clone())
    {
        Some(s) => s,
        None if dry_run => "{serviceId}".to_owned(),
        None => {
            return Err(UsageError(
                "no Authlete service ID: pass -s/--service-id ID or set AUTHLETE_SERVICE_ID".into(),
            ))
        }
    };
    let server_url = g
        .server_url
        .clone()
        .or_else(|| {
            std::env::var("AUTHLETE_SERVER_URL")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .or(creds.server_url.clone());
    let base =
        authlete::base_url(g.server.as_deref(), server_url.as_deref()).map_err(UsageError)?;
    let url = if service_id == "{serviceId}" {
        format!("{base}/api/{service_id}/auth/token")
    } else {
        authlete::token_url(&base, &service_id).map_err(UsageError)?
    };
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
        bearer: bearer.0,
        bearer_from: bearer.1,
        service_id,
        extra_headers,
        timeout,
    })
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
        &target.bearer,
        body,
        &target.extra_headers,
    );
    if g.dry_run {
        eprint!(
            "dry run: the request that would be sent (nothing is sent; the bearer token and secrets are masked):\n{}",
            req.display(&masked_body)
        );
        if p.send && errors > 0 && !p.force {
            eprintln!("(with --send it would not be sent: {errors} error finding(s); --force sends anyway)");
        }
        return emit(g, &outcomes);
    }
    if errors > 0 && !p.force {
        let code = emit(g, &outcomes)?;
        eprintln!(
            "not sent: the request has {errors} error finding(s) that Authlete would reject or that are a security problem; fix them, or pass --force to send anyway"
        );
        return Ok(code.max(exit::REFUSED));
    }
    if errors > 0 {
        eprintln!("warning: sending despite {errors} error finding(s) (--force)");
    }
    debug.log(|| format!("bearer token from {}", target.bearer_from));
    debug.log(|| format!("request:\n{}", req.display(&masked_body)));
    let started = std::time::Instant::now();
    let resp = match client::send(&req, target.timeout) {
        Ok(r) => r,
        Err(e) => {
            debug.log(|| format!("no response after {} ms", started.elapsed().as_millis()));
            let kind = match e {
                SendError::Timeout { .. } => "timeout",
                SendError::Connect(_) => "connect",
                SendError::Other(_) => "transport",
            };
            report_error(g, exit::TRANSPORT, kind, &e.to_string());
            return Ok(exit::TRANSPORT);
        }
    };
    debug.log(|| {
        let mut s = format!(
            "response after {} ms: HTTP {}\n",
            started.elapsed().as_millis(),
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
    });
    let lint_value = report::json::to_value(&outcomes);
    let lint_summary = lint_value["summary"].clone();
    let findings = lint_value["results"][0]["findings"].clone();
    // Warnings and info the lint found still matter: show them on stderr.
    if output_format(g) == OutputFormat::Pretty && g.jq.is_none() {
        if let Outcome::Linted(r) = &outcomes[0] {
            if !r.findings.is_empty() {
                eprint!(
                    "{}",
                    report::pretty::render(&outcomes, report::pretty::Options::default())
                );
            }
        }
    }
    let parsed: Option<Value> = serde_json::from_str(&resp.body).ok();
    let headers_json = || {
        Value::Object(
            resp.headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(client::mask_header(k, v))))
                .collect(),
        )
    };
    if resp.status != 200 {
        let code = parsed
            .as_ref()
            .and_then(|v| v["resultCode"].as_str())
            .map(str::to_owned);
        let message = parsed
            .as_ref()
            .and_then(|v| v["resultMessage"].as_str())
            .map(str::to_owned);
        let known = code.as_deref().and_then(result_codes::find);
        let mut v = json!({
            "sent": {"method": "POST", "url": target.url},
            "http_status": resp.status,
            "error": "api_error",
            "resultCode": code,
            "resultMessage": message,
            "meaning": known.map(|k| k.meaning.clone()).unwrap_or_else(|| api_status_meaning(resp.status).to_owned()),
            "exit_code": exit::API_ERROR,
            "lint": {"summary": lint_summary, "findings": findings},
        });
        if parsed.is_none() {
            v["body_bytes"] = json!(resp.body.len());
        }
        if g.include_headers {
            v["response_headers"] = headers_json();
        }
        let human = format!(
            "Authlete API error: HTTP {}{}{}\n  {}\n",
            resp.status,
            code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(),
            message
                .as_deref()
                .map(|m| format!(" {m}"))
                .unwrap_or_default(),
            known
                .map(|k| k.meaning.as_str())
                .unwrap_or_else(|| api_status_meaning(resp.status)),
        );
        emit_value(g, &v, || human)?;
        eprintln!(
            "error: the Authlete API refused the call (HTTP {}{}); the token request was not processed",
            resp.status,
            code.as_deref().map(|c| format!(", {c}")).unwrap_or_default()
        );
        return Ok(exit::API_ERROR);
    }
    let Some(resp_json) = parsed else {
        report_error(
            g,
            exit::API_ERROR,
            "api_error",
            &format!(
                "Authlete answered HTTP 200 with a body that is not JSON ({} bytes)",
                resp.body.len()
            ),
        );
        return Ok(exit::API_ERROR);
    };
    let action = Action::parse(resp_json["action"].as_str().unwrap_or(""));
    let basic = loaded.request.client_id.is_some() || loaded.request.client_secret.is_some();
    let answer = authlete::endpoint_answer(&resp_json, basic, &target.service_id);
    let code = action.exit_code();
    let mut v = json!({
        "sent": {"method": "POST", "url": target.url},
        "http_status": resp.status,
        "action": action.as_str(),
        "resultCode": resp_json["resultCode"],
        "resultMessage": resp_json["resultMessage"],
        "exit_code": code,
        "response": authlete::mask_response(&resp_json),
        "token_endpoint": authlete::answer_json(&answer),
        "lint": {"summary": lint_summary, "findings": findings},
    });
    if g.include_headers {
        v["response_headers"] = headers_json();
    }
    emit_value(g, &v, || {
        human_answer(
            &resp_json,
            &action,
            &answer,
            g.include_headers.then_some(&resp.headers),
        )
    })?;
    Ok(code)
}

fn api_status_meaning(status: u16) -> &'static str {
    match status {
        400 => "the Authlete API rejected the call itself (e.g. plain http, a malformed body)",
        401 => "the Authlete API did not accept the bearer token: check --bearer / AUTHLETE_BEARER, that it is a service (or organization) access token, and that --server matches the service's cluster",
        403 => "the token is not allowed to use this service, or the client is locked",
        404 => "no such API path: check the service ID and --server-url",
        500..=599 => "an error inside Authlete: retry later; the request was probably not processed",
        _ => "an unexpected HTTP status from the Authlete API",
    }
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
        eprintln!(
            "{}",
            json!({"error": {"exit_code": code, "kind": kind, "message": message}})
        );
    } else {
        eprintln!("error: {message}");
    }
}

/// The finding that relates a failed Authlete response to the request.
pub static RESULT_CODE: RuleMeta = RuleMeta {
    id: "authlete/result-code",
    area: tokenlint::lint::Area::Authlete,
    module: module_path!(),
    severity: Severity::Info,
    summary: "What Authlete's result code means and which findings explain it",
    spec: "Authlete API result codes",
};

/// `check --response FILE`: adds, to each linted request, an info finding
/// naming the response's result code and the findings that explain it.
/// Reads `--response`: a function that relates each report to the Authlete
/// result code in it.
pub(super) fn response_relater(path: &Path) -> Result<impl Fn(&mut FileReport) + Sync, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("--response {}: {e}", path.display())))?;
    let Some(code) = authlete::find_result_code(&text) else {
        return Err(UsageError(format!(
            "--response {}: no Authlete result code in it (a `resultCode` member, or `[A` + 6 digits + `]` as error_description starts)",
            path.display()
        )));
    };
    let entry = result_codes::find(&code);
    Ok(move |r: &mut FileReport| relate(r, &code, entry))
}

fn relate(r: &mut FileReport, code: &str, entry: Option<&result_codes::ResultCode>) {
    let explaining: Vec<&Finding> = match entry {
        Some(e) => r
            .findings
            .iter()
            .filter(|f| e.rules.iter().any(|id| id == f.rule.id))
            .collect(),
        None => Vec::new(),
    };
    let category = result_codes::category(code);
    let meaning = entry.map_or_else(
        || format!("not in tokenlint's table ({category})"),
        |e| e.meaning.clone(),
    );
    let message = if explaining.is_empty() {
        format!(
            "Authlete answered {code}: {meaning}. No finding here explains it offline{}",
            match entry {
                Some(e) if !e.rules.is_empty() => format!(" (the rules that would: {})", e.rules.join(", ")),
                _ => ": the cause is state tokenlint cannot see (the client's registration, the service's settings, an authorization code already used)".into(),
            }
        )
    } else {
        let ids: Vec<&str> = explaining.iter().map(|f| f.rule.id).collect();
        format!(
            "Authlete answered {code}: {meaning}. Explained by: {}",
            ids.join(", ")
        )
    };
    let mut f = Finding::new(&RESULT_CODE, message).help(format!(
        "`tokenlint explain {code}` says more; fix the findings named here and send again"
    ));
    for e in explaining.iter().take(lint::MAX_LABELS) {
        if let Some(s) = e.primary_span() {
            f = f.label(s, format!("{} explains {code}", e.rule.id));
        }
    }
    r.findings.push(f);
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
    emit_value(g, &v, || {
        match entry {
        Some(e) => {
            let mut s = format!("{}  ({category}; {}; {})\n", e.code, e.api, e.source);
            s.push_str(&format!("\"{}\"\n\n{}\n", e.message, e.meaning));
            if let Some(err) = &e.error {
                s.push_str(&format!("\nThe client receives error={err}.\n"));
            }
            if e.rules.is_empty() {
                s.push_str("\nNo tokenlint rule catches the cause offline: it is server state (the client's registration, the service's settings, a used code).\n");
            } else {
                s.push_str("\nRules that catch the cause offline:\n");
                for r in &e.rules {
                    let summary = lint::find_rule(r).map_or("", |m| m.summary);
                    s.push_str(&format!("  {r:<40} {summary}\n"));
                }
            }
            s
        }
        None => format!(
            "{code}  ({category})\nNot in tokenlint's table of result codes (rules/authlete/result-codes.toml). The category comes from the third digit from the right. Authlete's list: https://docs.authlete.com/en/shared/latest#cmp--apiresultcode\n"
        ),
    }
    })?;
    Ok(super::EXIT_OK)
}
