//! Detecting AI coding agents, which get structured errors and TOON output.

/// Environment variables set by AI coding agents (the authlete CLI's list:
/// Claude Code, Cursor, Codex, Aider, Cline, Windsurf, Copilot, Amazon Q,
/// Gemini, Cody). Any of them, non-empty, turns agent mode on.
pub const ENV_VARS: &[&str] = &[
    "CLAUDECODE",
    "CLAUDE_CODE",
    "CURSOR_AGENT",
    "CODEX_SANDBOX",
    "CODEX_CI",
    "AIDER_MODEL",
    "CLINE_ACTIVE",
    "WINDSURF_AGENT",
    "COPILOT_AGENT",
    "AMAZON_Q_AGENT",
    "GEMINI_CLI",
    "CODY_AGENT",
];
