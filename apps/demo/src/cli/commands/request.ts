// `x-oauth request METHOD PATH`: curl for X. Signs as the current user (or, with --app, as the
// app), prints the JSON body on stdout and a one-line summary on stderr.
import type { RequestOptions, XClient } from '@x-oauth/client';
import { keyValuePairs, optionValue } from '../args.js';
import type { CliContext } from '../context.js';
import { CliError, CliErrorCode } from '../errors.js';
import { prettyBody, summaryLine } from '../format.js';
import { appClient, userClient } from '../user-client.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** Sends one request and prints its answer. */
export async function request(context: CliContext): Promise<number> {
  const { io, args } = context;
  const [, methodWord, path] = args.positionals;
  const method = methodWord?.toUpperCase();
  if (method === undefined || !METHODS.has(method) || path === undefined || !path.startsWith('/')) {
    throw new CliError(
      CliErrorCode.Usage,
      'Usage: x-oauth request [--app] METHOD /path [options].',
    );
  }
  if (args.positionals.length > 3) {
    throw new CliError(CliErrorCode.Usage, 'request takes one METHOD and one /path.');
  }
  const options = requestOptions(context);
  let client: XClient;
  if (args.flags.has('app')) {
    client = appClient(context.config());
  } else {
    client = (await userClient(context)).client;
  }
  const response = await client.request(method, path, options);
  io.out(prettyBody(response.data));
  io.err(
    `${summaryLine(response.status, method, path.split('?')[0] ?? path, response.rateLimit)}\n`,
  );
  return 0;
}

function requestOptions(context: CliContext): RequestOptions {
  const { args } = context;
  const query = keyValuePairs(args, 'query');
  const form = keyValuePairs(args, 'form');
  const jsonText = optionValue(args, 'json');
  if (jsonText !== undefined && form.size > 0) {
    throw new CliError(CliErrorCode.Usage, 'Give --json or --form, not both.');
  }
  let json: unknown;
  if (jsonText !== undefined) {
    try {
      json = JSON.parse(jsonText);
    } catch {
      throw new CliError(CliErrorCode.Usage, '--json is not valid JSON.');
    }
  }
  return {
    ...(query.size > 0 ? { query } : {}),
    ...(form.size > 0 ? { form } : {}),
    ...(jsonText !== undefined ? { json } : {}),
  };
}
