#!/usr/bin/env node
import { lineReader } from './cli/io.js';
// The `x-oauth` bin: like curl for X, with auth built in. See `x-oauth --help`.
import { runCli } from './cli/run.js';

const input = lineReader(process.stdin);

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readLine: input.readLine,
  interactive: process.stdin.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
})
  .then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`x-oauth: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  )
  .finally(input.close);
