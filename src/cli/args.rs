//! The command line, as clap definitions only. `token process` takes every
//! flag of `authlete token process`, with the same names and short forms.

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

pub const AFTER_HELP: &str = "\
Exit codes:
  0  no error-severity finding
  1  at least one error-severity finding
  2  usage, configuration or I/O error (bad flag, file not found)
  3  token process --send: Authlete's action is BAD_REQUEST, INVALID_CLIENT, INTERNAL_SERVER_ERROR
     or one tokenlint does not know
  4  token process --send: the Authlete API refused the call (4xx), failed (5xx: processed or
     not, unknown), or answered something unusable (not JSON, no action, too large)
  5  token process --send: connection, TLS or timeout error (nothing is retried)

Docs: `tokenlint rules` lists every rule; `tokenlint explain <RULE>` shows one.";

#[derive(Debug, Parser)]
#[command(
    name = "tokenlint",
    version,
    // The package description, from Cargo.toml.
    about,
    after_help = AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Pretty,
    Json,
    Yaml,
    Table,
    Toon,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Flags every command takes (the `authlete` CLI's global flags, plus ours),
/// shown under the headings "Output" and "Configuration". The flags of the
/// Authlete call are `token process`'s ([`SendFlags`]); given before the
/// subcommand, as the `authlete` CLI allows, they are accepted and not shown.
#[derive(Clone, Debug, Args)]
pub struct GlobalArgs {
    /// The Authlete call's flags written before the subcommand.
    #[command(flatten)]
    pub send: SendFlags,
    /// Output format [default: pretty; toon in agent mode]
    #[arg(short = 'o', long, value_enum, global = true,
        help_heading = OUTPUT)]
    pub output_format: Option<OutputFormat>,
    /// When to use colour (NO_COLOR is respected)
    #[arg(long, value_enum, global = true,
        help_heading = OUTPUT, default_value = "auto")]
    pub color: ColorChoice,
    /// Log diagnostics to stderr (secrets masked)
    #[arg(short = 'd', long, global = true,
        help_heading = OUTPUT)]
    pub debug: bool,
    /// Filter and transform the JSON output with a jq expression
    #[arg(short = 'q', long, value_name = "EXPR", global = true,
        help_heading = OUTPUT)]
    pub jq: Option<String>,
    /// Structured errors and TOON output for AI coding agents (--agent-mode=false to disable)
    #[arg(
        long,
        global = true,
        help_heading = OUTPUT,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_name = "BOOL"
    )]
    pub agent_mode: Option<bool>,
    /// Print the command-line usage schema (KDL)
    #[arg(long, global = true,
        help_heading = OUTPUT)]
    pub usage: bool,
    /// Configuration file (default: tokenlint.toml found from the current folder upward)
    #[arg(long, value_name = "FILE", global = true,
        help_heading = CONFIG, env = "TOKENLINT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files
    #[arg(long, global = true,
        help_heading = CONFIG, conflicts_with = "config")]
    pub no_config: bool,
    /// The clock for iat/exp/validity checks: Unix seconds or RFC 3339
    #[arg(long, value_name = "TIME", global = true,
        help_heading = CONFIG)]
    pub now: Option<String>,
    /// Exit 0 even when there are error findings (report only)
    #[arg(long, global = true,
        help_heading = OUTPUT)]
    pub exit_zero: bool,
    /// DPoP profile: check as this server does (authlete, rfc, strict,
    /// node-oidc-provider, spring, keycloak, nimbus), or `all` to see which servers reject
    #[arg(long, value_name = "PROFILE", global = true,
        help_heading = CONFIG)]
    pub profile: Option<String>,
    /// DPoP iat window in seconds, overriding the profile's: PAST or PAST:FUTURE (e.g. 60:10)
    #[arg(long, value_name = "PAST[:FUTURE]", global = true,
        help_heading = CONFIG)]
    pub iat_window: Option<String>,
    /// The DPoP algorithms the server allows, overriding the profile's (e.g. ES256,EdDSA)
    #[arg(long, value_name = "ALG,...", value_delimiter = ',', global = true,
        help_heading = CONFIG)]
    pub dpop_algs: Option<Vec<String>>,
    /// The client's public JWKS (JSON file), to verify `client_assertion` signatures
    #[arg(long, value_name = "FILE", global = true,
        help_heading = CONFIG)]
    pub client_jwks: Option<PathBuf>,
    /// Trusted client attesters' public JWKS (JSON file), to verify `oauthClientAttestation`
    #[arg(long, value_name = "FILE", global = true,
        help_heading = CONFIG)]
    pub attester_jwks: Option<PathBuf>,
    /// The JWT bearer grant's assertion issuers' public JWKS (JSON file), to verify `assertion`
    #[arg(long, value_name = "FILE", global = true,
        help_heading = CONFIG)]
    pub assertion_jwks: Option<PathBuf>,
    /// The attestation challenge the server issued; the PoP's `challenge` must equal it
    // A base64url challenge may start with `-`.
    #[arg(long, value_name = "CHALLENGE", global = true,
        help_heading = CONFIG, allow_hyphen_values = true)]
    pub attestation_challenge: Option<String>,
    /// The authorization server's issuer identifier (RFC 8414): the `aud` of client
    /// assertions, attestation PoPs and JWT bearer assertions (default: issuer in tokenlint.toml)
    #[arg(long, value_name = "URL", global = true,
        help_heading = CONFIG)]
    pub issuer: Option<String>,
    /// The token endpoint URL: the DPoP `htu` when the request has none, and an accepted
    /// assertion `aud` (default: token-endpoint in tokenlint.toml)
    #[arg(long, value_name = "URL", global = true,
        help_heading = CONFIG)]
    pub token_endpoint: Option<String>,
}

/// The help headings.
pub const OUTPUT: &str = "Output";
pub const CONFIG: &str = "Configuration";
pub const REQUEST: &str = "Authlete request (the flags of `authlete token process`)";
pub const SENDING: &str = "Sending to Authlete (with --send or --dry-run)";

/// The Authlete call's flags: `token process`'s (shown under "Sending to
/// Authlete"), and, hidden, the same before the subcommand.
#[derive(Clone, Debug, Default, Args)]
pub struct SendFlags {
    /// Preview the request that would be sent, on stderr, without sending it
    #[arg(long, help_heading = SENDING)]
    pub dry_run: bool,
    /// Set a custom HTTP request header for the Authlete call ("Key: Value")
    #[arg(short = 'H', long = "header", value_name = "KEY: VALUE", help_heading = SENDING)]
    pub headers: Vec<String>,
    /// Include HTTP response headers in the output
    #[arg(long, help_heading = SENDING)]
    pub include_headers: bool,
    /// Never prompt
    #[arg(long, help_heading = SENDING)]
    pub no_interactive: bool,
    /// Authlete server: us, jp, eu, br or its index 0..3
    #[arg(long, help_heading = SENDING)]
    pub server: Option<String>,
    /// Override the Authlete server URL
    #[arg(long, value_name = "URL", help_heading = SENDING)]
    pub server_url: Option<String>,
    /// Timeout for the Authlete call, e.g. 30s, 5m, 100ms
    #[arg(long, value_name = "DURATION", help_heading = SENDING)]
    pub timeout: Option<String>,
    /// Authlete API access token (masked in every output)
    // A secret may start with `-`: take it as the value, not as a flag that
    // clap's error would quote.
    #[arg(long, value_name = "TOKEN", hide_env_values = true, help_heading = SENDING,
        allow_hyphen_values = true)]
    pub bearer: Option<String>,
}

impl SendFlags {
    /// These flags, and for each one not given, `before`'s (written before
    /// the subcommand).
    pub fn or(&self, before: &SendFlags) -> SendFlags {
        let mut headers = before.headers.clone();
        headers.extend(self.headers.iter().cloned());
        SendFlags {
            dry_run: self.dry_run || before.dry_run,
            headers,
            include_headers: self.include_headers || before.include_headers,
            no_interactive: self.no_interactive || before.no_interactive,
            server: self.server.clone().or_else(|| before.server.clone()),
            server_url: self
                .server_url
                .clone()
                .or_else(|| before.server_url.clone()),
            timeout: self.timeout.clone().or_else(|| before.timeout.clone()),
            bearer: self.bearer.clone().or_else(|| before.bearer.clone()),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The Authlete token API: lint a token request given as `authlete token process` flags
    #[command(subcommand)]
    Token(TokenCommand),
    /// Lint request fixtures and captures: files (.json, .har, .http/.txt, .curl), folders,
    /// or - for stdin
    Check(CheckArgs),
    /// PKCE toolkit (RFC 7636)
    #[command(subcommand)]
    Pkce(PkceCommand),
    /// DPoP toolkit (RFC 9449): keys, proofs, inspection, thumbprints
    #[command(subcommand)]
    Dpop(DpopCommand),
    /// Certificate toolkit (RFC 8705): inspect a client certificate chain
    #[command(subcommand)]
    Cert(CertCommand),
    /// JWT toolkit: decode and check the JWTs a token request carries, offline
    #[command(subcommand)]
    Jwt(JwtCommand),
    /// List every rule
    Rules,
    /// Explain a rule, or what a server's error answer means and which rules' findings cause it
    Explain {
        /// A rule id (pkce/verifier-length), an OAuth error (invalid_dpop_proof,
        /// use_dpop_nonce, invalid_grant…), an Authlete result code (A050312, any case), a
        /// server's error_description ("DPoP proof is not active"), or a whole error answer
        #[arg(value_name = "RULE|ERROR|CODE|TEXT")]
        id: String,
    },
    /// Print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    Man,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Lint a token request given with the flags of `authlete token process`
    Process(Box<ProcessArgs>),
}

/// The flags of `authlete token process`.
#[derive(Debug, Args)]
pub struct ProcessArgs {
    /// Authlete service ID
    #[arg(help_heading = REQUEST, short = 's', long, env = "AUTHLETE_SERVICE_ID")]
    pub service_id: Option<String>,
    /// The form-encoded token request body the endpoint received (`-p` is tokenlint's own
    /// short form)
    #[arg(help_heading = REQUEST, short = 'p', long)]
    pub parameters: Option<String>,
    /// The whole request body as JSON ("-" reads stdin; without --body and --parameters, a
    /// body piped on stdin is read)
    #[arg(help_heading = REQUEST, long)]
    pub body: Option<String>,
    /// Client ID from the Authorization header
    #[arg(help_heading = REQUEST, long)]
    pub client_id: Option<String>,
    /// Client secret from the Authorization header
    // A secret may start with `-`: a value, not a flag (whose error would quote it).
    #[arg(help_heading = REQUEST, long, allow_hyphen_values = true)]
    pub client_secret: Option<String>,
    /// The client's mTLS certificate (PEM)
    // A PEM value starts with `-----BEGIN`: take it as a value, not a flag.
    #[arg(help_heading = REQUEST, long, allow_hyphen_values = true)]
    pub client_certificate: Option<String>,
    /// A certificate of the client's chain (PEM); repeat for each
    // A PEM value starts with `-----BEGIN`: take it as a value, not a flag.
    #[arg(help_heading = REQUEST, long, allow_hyphen_values = true)]
    pub client_certificate_path: Vec<String>,
    /// The DPoP header's value
    #[arg(help_heading = REQUEST, long)]
    pub dpop: Option<String>,
    /// HTTP method of the token request (for DPoP; default POST)
    #[arg(help_heading = REQUEST, long)]
    pub htm: Option<String>,
    /// URL of the token endpoint (for DPoP; default the service's tokenEndpoint)
    #[arg(help_heading = REQUEST, long)]
    pub htu: Option<String>,
    /// Require a DPoP nonce
    #[arg(
        help_heading = REQUEST,
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_name = "BOOL"
    )]
    pub dpop_nonce_required: Option<bool>,
    /// The access token value to issue
    // A token may start with `-`: a value, not a flag (whose error would quote it).
    #[arg(help_heading = REQUEST, long, allow_hyphen_values = true)]
    pub access_token: Option<String>,
    /// Access token duration in seconds
    #[arg(help_heading = REQUEST, long, allow_negative_numbers = true)]
    pub access_token_duration: Option<i64>,
    /// Refresh token duration in seconds (`-r` is tokenlint's own short form)
    #[arg(help_heading = REQUEST, short = 'r', long, allow_negative_numbers = true)]
    pub refresh_token_duration: Option<i64>,
    /// Extra properties: a JSON array of {key, value, hidden}
    #[arg(help_heading = REQUEST, long)]
    pub properties: Option<String>,
    /// Extra JWT access token claims: a JSON object (`-j` is tokenlint's own short form)
    #[arg(help_heading = REQUEST, short = 'j', long)]
    pub jwt_at_claims: Option<String>,
    /// The OAuth-Client-Attestation header's value
    #[arg(help_heading = REQUEST, long)]
    pub oauth_client_attestation: Option<String>,
    /// The OAuth-Client-Attestation-PoP header's value
    #[arg(help_heading = REQUEST, long)]
    pub oauth_client_attestation_pop: Option<String>,
    /// CIMD options: a JSON object {alwaysRetrieved, httpPermitted, queryPermitted}
    #[arg(help_heading = REQUEST, long)]
    pub cimd_options: Option<String>,
    /// Send the request to Authlete when the lint finds no error (see "Sending to Authlete" in
    /// the README)
    #[arg(help_heading = SENDING, long)]
    pub send: bool,
    /// With --send: send even when there are error findings (with --dry-run: preview that)
    #[arg(help_heading = SENDING, long)]
    pub force: bool,
    /// With --send: allow the bearer token over plain http:// to a host that is not loopback
    #[arg(help_heading = SENDING, long)]
    pub allow_insecure_http: bool,
    /// With --send: the largest answer read from Authlete, in bytes or with a unit (64KiB,
    /// 16MiB) [default: 16MiB]
    #[arg(help_heading = SENDING, long, value_name = "SIZE")]
    pub max_response_size: Option<String>,
    /// The Authlete call's flags.
    #[command(flatten)]
    pub send_flags: SendFlags,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files and folders to lint; `-` reads stdin (default: the current folder)
    pub paths: Vec<PathBuf>,
    /// Apply the configuration's `exclude` globs to files named on the
    /// command line too (as pre-commit passes them)
    #[arg(long)]
    pub force_exclude: bool,
    /// Also lint a curl command line (repeatable), e.g.
    /// --curl 'curl -d grant_type=… https://as/token'
    #[arg(long, value_name = "COMMAND", allow_hyphen_values = true)]
    pub curl: Vec<String>,
    /// The server's error answer to relate to the request(s): an OAuth error body
    /// ({"error": …}), Authlete's response, an HTTP response or a HAR. Says which findings
    /// explain it, or what offline checks cannot see
    #[arg(long, value_name = "FILE")]
    pub response: Option<PathBuf>,
    /// The server requires a DPoP nonce (=false: it uses none), which a
    /// capture cannot say; a request's own dpopNonceRequired wins
    #[arg(
        long,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_name = "BOOL"
    )]
    pub dpop_nonce_required: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PkceMethod {
    #[value(name = "S256")]
    S256,
    #[value(name = "plain")]
    Plain,
}

#[derive(Debug, Subcommand)]
pub enum PkceCommand {
    /// Generate a code_verifier and its code_challenge
    Generate {
        /// Verifier length, 43..=128
        #[arg(long, default_value_t = 43)]
        length: usize,
        #[arg(long, value_enum, default_value = "S256")]
        method: PkceMethod,
    },
    /// Derive the code_challenge of a verifier
    Challenge {
        // base64url values may start with `-`: a value, not a flag.
        #[arg(allow_hyphen_values = true)]
        verifier: String,
        #[arg(long, value_enum, default_value = "S256")]
        method: PkceMethod,
    },
    /// Check that a verifier matches a challenge (exit 1 when it does not)
    Verify {
        #[arg(long, allow_hyphen_values = true)]
        verifier: String,
        #[arg(long, allow_hyphen_values = true)]
        challenge: String,
        #[arg(long, value_enum, default_value = "S256")]
        method: PkceMethod,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    Jwk,
    Pem,
}

#[derive(Debug, Subcommand)]
pub enum DpopCommand {
    /// Generate a key pair: the private key goes to --out (mode 0600), the public JWK and its
    /// thumbprint to stdout
    Keygen(KeygenArgs),
    /// Make a signed DPoP proof (integer iat, random jti, ath when an access token is given)
    Proof(ProofArgs),
    /// Decode a proof, print its key thumbprint and lint it (`-` reads stdin)
    Inspect(InspectArgs),
    /// The RFC 7638 SHA-256 thumbprint (jkt, dpop_jkt) of a JWK or of a proof's jwk
    Thumbprint(ThumbprintArgs),
}

// The argument structs have no doc comment: the help text is the variant's.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    #[arg(
        long,
        default_value = "ES256",
        value_parser = PossibleValuesParser::new(tokenlint::toolkit::dpop::ALGS.iter().copied())
    )]
    pub alg: String,
    /// Write the private key to this file (created with mode 0600; never overwritten)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Private key format (default: pem for *.pem, else jwk)
    #[arg(long, value_enum)]
    pub format: Option<KeyFormat>,
    /// Without --out: print the PRIVATE key to stdout (only when asked for explicitly)
    #[arg(long, conflicts_with = "out")]
    pub print_private_key: bool,
}

#[derive(Debug, Args)]
pub struct ProofArgs {
    /// The private key file (JWK or PEM) from `dpop keygen`
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The URL the request goes to, without query and fragment
    #[arg(long)]
    pub htu: String,
    #[arg(long, default_value = "POST")]
    pub htm: String,
    /// The server's DPoP-Nonce value
    // Nonces, jtis and tokens are often base64url, which may start with `-`.
    #[arg(long, allow_hyphen_values = true)]
    pub nonce: Option<String>,
    /// Bind the proof to this access token (adds ath; the token is not printed)
    #[arg(long, value_name = "AT", allow_hyphen_values = true)]
    pub access_token: Option<String>,
    /// iat as Unix seconds or RFC 3339 (default: --now, else the system clock; never the
    /// configuration's `now`)
    #[arg(long)]
    pub iat: Option<String>,
    /// jti (default: 16 random octets, base64url)
    #[arg(long, allow_hyphen_values = true)]
    pub jti: Option<String>,
    /// The algorithm, for keys that allow several (RSA: RS256 or PS256)
    #[arg(long)]
    pub alg: Option<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The DPoP proof, a file holding it, or - for stdin
    pub proof: String,
    /// The request method to compare htm with (default POST)
    #[arg(long)]
    pub htm: Option<String>,
    /// The request URL to compare htu with (default: token-endpoint from tokenlint.toml)
    #[arg(long)]
    pub htu: Option<String>,
}

#[derive(Debug, Args)]
pub struct ThumbprintArgs {
    /// A key file (JWK or PEM, private or public, or a certificate), a JWK written out, or a
    /// DPoP proof (`-` reads stdin). A file that exists is always read as a file
    pub input: String,
    /// Also print the ath (base64url SHA-256) of this access token
    // A token may start with `-`: a value, not a flag (whose error would quote it).
    #[arg(long, value_name = "AT", allow_hyphen_values = true)]
    pub access_token: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum JwtCommand {
    /// Decode a JWT (client assertion, JWT-bearer assertion, attestation, its PoP, DPoP
    /// proof), or every JWT of a request file: header, payload, times against the clock,
    /// the thumbprint of the key it carries, and its findings; private key members are never
    /// shown; exit 1 on an error finding
    Inspect(JwtInspectArgs),
}

#[derive(Debug, Args)]
pub struct JwtInspectArgs {
    /// A JWT, a file holding one, a request file (fixture, .http, .har, .curl) whose JWTs to
    /// inspect, or - for stdin
    pub input: String,
    /// What the JWT is, when it does not say (default: from its `typ`, else a client
    /// assertion when iss = sub, else a JWT-bearer assertion)
    #[arg(
        long = "as",
        value_name = "KIND",
        value_parser = PossibleValuesParser::new(tokenlint::toolkit::jwt::Kind::NAMES.iter().copied())
    )]
    pub kind: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Show a certificate chain (subject, issuer, SANs, validity, key,
    /// thumbprints) and its cert/ findings; exit 1 on an error finding
    Inspect {
        /// A PEM bundle (client certificate first), a DER file, a request
        /// fixture (its clientCertificate/clientCertificatePath), or - for stdin
        file: PathBuf,
    },
}
