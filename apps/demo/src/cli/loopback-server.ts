// A one-shot HTTP server on a loopback address that waits for the OAuth 2.0 redirect (RFC 8252
// §7.3: native apps receive it on a loopback port). It answers the browser with a short page,
// then stops listening.
import { createServer, type Server } from 'node:http';
import { escapeHtml } from '../web/html.js';
import { CliError, CliErrorCode } from './errors.js';

/** A listening server and the redirect it is waiting for. */
export interface LoopbackRedirect {
  /** Resolves to the full redirect URL (with `code` and `state`, or `error`). */
  readonly redirect: Promise<URL>;
  /** Stops listening (idempotent). */
  readonly close: () => Promise<void>;
}

/** What the browser is told about one request to the callback path. */
export interface RedirectJudgement {
  /** True: this is the redirect (resolve `redirect`). False: ignore it and keep waiting. */
  readonly settle: boolean;
  readonly status: number;
  /** One short heading, e.g. "Signed in" or "Cancelled". */
  readonly title: string;
  /** What happened and what to do next. */
  readonly message: string;
}

function page(judgement: RedirectJudgement): string {
  return `<!doctype html><meta charset="utf-8"><title>x-oauth: ${escapeHtml(judgement.title)}</title>
<h1 id="outcome">${escapeHtml(judgement.title)}</h1>
<p id="message">${escapeHtml(judgement.message)}</p>\n`;
}

const ACCEPT_ANY: (url: URL) => RedirectJudgement = () => ({
  settle: true,
  status: 200,
  title: 'Done',
  message: 'You can close this tab and return to the terminal.',
});

/**
 * Listens on `http://<host>:<port><path>` until one request for `path` arrives, or `timeoutMs`
 * passes (`CLI_CALLBACK`). Other paths answer 404 and keep it waiting.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export async function listenForRedirect(options: {
  host: string;
  port: number;
  path: string;
  timeoutMs: number;
  /**
   * Looks at each request to `path` before it is answered, so the page tells what happened
   * (signed in, cancelled, refused as forged); by default every request settles as "Done".
   */
  judge?: ((url: URL) => RedirectJudgement) | undefined;
}): Promise<LoopbackRedirect> {
  const judge = options.judge ?? ACCEPT_ANY;
  let settle: { resolve: (url: URL) => void; reject: (error: Error) => void } | undefined;
  const redirect = new Promise<URL>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The caller may stop before awaiting it; the rejection is still seen through `redirect`.
  redirect.catch(() => undefined);
  const origin = `http://${options.host}:${options.port}`;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    if (request.method !== 'GET' || url.pathname !== options.path) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Not found\n');
      return;
    }
    const judgement = judge(url);
    response.writeHead(judgement.status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
      connection: 'close',
    });
    response.end(page(judgement));
    if (judgement.settle) settle?.resolve(url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new CliError(
          CliErrorCode.Callback,
          error.code === 'EADDRINUSE'
            ? `Port ${options.port} on ${options.host} is in use: stop what listens there and try again.`
            : `Cannot listen on ${origin}: ${error.message}`,
        ),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const timer = setTimeout(() => {
    settle?.reject(
      new CliError(
        CliErrorCode.Callback,
        `No redirect reached ${origin}${options.path} within ${formatSeconds(options.timeoutMs)}.`,
      ),
    );
  }, options.timeoutMs);
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    clearTimeout(timer);
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { redirect, close };
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
