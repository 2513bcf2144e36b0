// The help text.

/** What `x-oauth --help` prints. */
export const USAGE = `Usage: x-oauth <command> [options]

Like curl for X, with auth built in. Targets, in this order:
  - the emulator at X_OAUTH_EMULATOR_URL, with its seeded X_API_KEY, X_API_SECRET,
    X_CLIENT_ID and X_CLIENT_SECRET in the environment;
  - the real X when X_API_KEY, X_API_SECRET and X_CLIENT_ID (and X_CLIENT_SECRET for a
    confidential client) are set;
  - else the emulator of a running \`pnpm demo\`, from <data dir>/emulator.env.

Commands:
  login pin [--access read|write]      PIN flow (OAuth 1.0a): open the URL, type the PIN
  login oauth2 [--scopes "a b"]        OAuth 2.0 with PKCE via http://127.0.0.1:8975/callback
               [--timeout seconds]     how long to wait for the redirect (default 300)
  request [--app] METHOD /path         send a request as the current user (or as the app)
      --query k=v   (repeatable)       query parameters
      --form k=v    (repeatable)       form body (signed by OAuth 1.0a)
      --json '{"text":"hi"}'           JSON body
  bearer [--invalidate [--owner]]      obtain (or invalidate) the app-only bearer token;
                                       --owner signs the invalidation as the current user
  tokens list                          stored users: kind, status, version, masked tokens
  tokens revoke [--user ID]            revoke at X and delete (the current user by default)
  tokens rotate-key                    add a new encryption key and re-encrypt every row

Options:
  --store sqlite:<path>|postgres://…|redis://…   token store (default SQLite in the data dir;
                                                 or X_OAUTH_STORE)
  --data-dir <dir>                               default .x-oauth (or X_OAUTH_DATA_DIR)
  --verbose                                      print every request to X on stderr: method,
                                                 URL, Authorization in parts (masked), the
                                                 OAuth 1.0a base string, status, rate limit,
                                                 X's error, time
  -h, --help

Tokens are encrypted with X_OAUTH_DEMO_KEY (base64, 32 bytes), or with a key generated once
into <data dir>/demo-key (0600), for the demo only. Tokens are shown masked, secrets never.
`;

/** What `x-oauth login` alone (or `x-oauth login --help`) prints. */
export const LOGIN_USAGE = `Usage: x-oauth login pin|oauth2 [options]

Signs a user in and stores their tokens (encrypted) for the other commands.

  login pin [--access read|write]      OAuth 1.0a PIN flow: open the URL it prints, authorize
                                       the app, type the PIN X shows
  login oauth2 [--scopes "a b"]        OAuth 2.0 with PKCE: open the URL it prints; X redirects
               [--timeout seconds]     to http://127.0.0.1:8975/callback (default wait 300 s)

Add --verbose to see every request on the wire.
`;
