// The CLI's pure parts: the argument parser, the line reader, the users file, the formatting.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { XApiError, XApiErrorCode } from '@x-oauth/client';
import { afterEach, describe, expect, it } from 'vitest';
import { keyValuePairs, optionValue, parseArguments } from '../src/cli/args.js';
import { CliError, CliErrorCode } from '../src/cli/errors.js';
import { describeError, prettyBody, summaryLine } from '../src/cli/format.js';
import { lineReader } from '../src/cli/io.js';
import { currentUser, forgetUser, readCliUsers, rememberUser } from '../src/cli/users-file.js';
import { DemoConfigError } from '../src/config.js';

const SPEC = { options: ['query', 'json', 'store'], flags: ['app', 'help'] };

describe('parseArguments', () => {
  it('splits positionals, repeated options (both spellings) and flags', () => {
    const parsed = parseArguments(
      ['request', '--app', 'GET', '/2/x', '--query', 'a=1', '--query=b=2=3', '--json', '{}'],
      SPEC,
    );
    expect(parsed.positionals).toEqual(['request', 'GET', '/2/x']);
    expect(parsed.flags.has('app')).toBe(true);
    expect(parsed.options.get('query')).toEqual(['a=1', 'b=2=3']);
    expect(optionValue(parsed, 'json')).toBe('{}');
    expect(optionValue(parsed, 'store')).toBeUndefined();
    const pairs = keyValuePairs(parsed, 'query');
    expect([...pairs]).toEqual([
      ['a', '1'],
      ['b', '2=3'],
    ]);
  });

  it('treats -h as --help and everything after -- as positionals', () => {
    const parsed = parseArguments(['-h', '--', '--app', 'x'], SPEC);
    expect(parsed.flags.has('help')).toBe(true);
    expect(parsed.positionals).toEqual(['--app', 'x']);
  });

  it('refuses unknown options, missing values, valued flags and pairs without =', () => {
    const usage = (argv: string[]) => () => parseArguments(argv, SPEC);
    expect(usage(['--nope'])).toThrow('Unknown option --nope.');
    expect(usage(['--json'])).toThrow('--json needs a value.');
    expect(usage(['--app=yes'])).toThrow('--app takes no value.');
    expect(() => keyValuePairs(parseArguments(['--query', 'novalue'], SPEC), 'query')).toThrow(
      CliError,
    );
    try {
      usage(['--nope'])();
    } catch (error) {
      expect((error as CliError).code).toBe(CliErrorCode.Usage);
    }
  });
});

describe('lineReader', () => {
  it('keeps lines that arrive before they are asked for, and ends with undefined', async () => {
    const stream = new PassThrough();
    const reader = lineReader(stream);
    stream.write('1234567\r\nsecond');
    expect(await reader.readLine()).toBe('1234567');
    const pending = reader.readLine();
    stream.end(' line\n');
    expect(await pending).toBe('second line');
    expect(await reader.readLine()).toBeUndefined();
    reader.close();
  });

  it('gives the last unterminated line at the end of input', async () => {
    const stream = new PassThrough();
    const reader = lineReader(stream);
    stream.end('7654321');
    expect(await reader.readLine()).toBe('7654321');
  });
});

describe('users file', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0))
      rmSync(directory, { recursive: true, force: true });
  });

  it('remembers users per app, the current one, and falls back when it is forgotten', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'x-oauth-users-'));
    directories.push(dataDir);
    expect(readCliUsers(dataDir)).toEqual({ users: [], current: {} });
    rememberUser(dataDir, { appId: 'app', userId: '1', screenName: 'alice' });
    rememberUser(dataDir, { appId: 'app', userId: '2', screenName: 'bob' });
    rememberUser(dataDir, { appId: 'other', userId: '1', screenName: 'alice' });
    expect(statSync(join(dataDir, 'cli-user')).mode & 0o777).toBe(0o600);
    expect(currentUser(dataDir, 'app')?.screenName).toBe('bob');
    expect(currentUser(dataDir, 'other')?.userId).toBe('1');
    forgetUser(dataDir, 'app', '2');
    expect(currentUser(dataDir, 'app')?.screenName).toBe('alice');
    forgetUser(dataDir, 'app', '1');
    expect(currentUser(dataDir, 'app')).toBeUndefined();
    expect(readCliUsers(dataDir).users).toEqual([
      { appId: 'other', userId: '1', screenName: 'alice' },
    ]);
  });
});

describe('format', () => {
  it('describes errors of every layer as CODE (status): message', () => {
    const apiError = new XApiError(XApiErrorCode.NotFound, 'Not found.', { status: 404 });
    expect(describeError(apiError)).toBe('X_NOT_FOUND (404): Not found.');
    expect(describeError(new CliError(CliErrorCode.NoInput, 'No PIN.'))).toBe(
      'CLI_NO_INPUT: No PIN.',
    );
    expect(describeError(new DemoConfigError('X_API_KEY', 'X_API_KEY is not set.'))).toBe(
      'DEMO_CONFIG_ERROR: X_API_KEY is not set.',
    );
    expect(describeError(new TypeError('bad'))).toBe('TypeError: bad');
    expect(describeError('plain')).toBe('Error: plain');
  });

  it('summarizes the status and every rate-limit window', () => {
    const resetAt = Date.UTC(2026, 10, 23, 9, 15, 0);
    expect(
      summaryLine(200, 'GET', '/2/users/me', {
        window: { limit: 75, remaining: 74, resetAt },
        appDaily: undefined,
        userDaily: { limit: 100, remaining: 99, resetAt },
      }),
    ).toBe(
      '200 GET /2/users/me · rate limit 74/75 left, resets 09:15:00Z · user 24h 99/100 left, resets 09:15:00Z',
    );
    expect(
      summaryLine(204, 'DELETE', '/2/x', {
        window: undefined,
        appDaily: undefined,
        userDaily: undefined,
      }),
    ).toBe('204 DELETE /2/x · no rate-limit headers');
  });

  it('prints JSON pretty and text as it came', () => {
    expect(prettyBody({ a: 1 })).toBe('{\n  "a": 1\n}\n');
    expect(prettyBody('text')).toBe('text\n');
    expect(prettyBody(undefined)).toBe('');
  });
});
