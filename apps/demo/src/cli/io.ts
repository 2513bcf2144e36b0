// What the CLI touches of the outside world, passed in so the commands stay testable: output
// streams, standard input line by line, the environment and the working directory.
import type { Readable } from 'node:stream';

/** The CLI's outside world. */
export interface CliIo {
  /** Results: JSON bodies, URLs to open, "Signed in as". */
  readonly out: (text: string) => void;
  /** Progress, summaries, prompts and errors. */
  readonly err: (text: string) => void;
  /** The next line of standard input (without its line break), or undefined at its end. */
  readonly readLine: () => Promise<string | undefined>;
  /** Whether standard input is a terminal (which echoes what is typed, line break included). */
  readonly interactive: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/**
 * Reads a stream line by line. The stream is left alone until the first question (a command
 * that asks nothing never touches standard input); lines that arrive before they are asked
 * for are kept, and the stream is paused between questions so it never keeps the process
 * alive on its own.
 */
export function lineReader(stream: Readable): {
  readLine: () => Promise<string | undefined>;
  close: () => void;
} {
  let buffered = '';
  let ended = false;
  let started = false;
  let waiting: ((line: string | undefined) => void) | undefined;

  const deliver = (): void => {
    if (waiting === undefined) return;
    const newline = buffered.indexOf('\n');
    if (newline === -1 && !ended) return;
    const resolve = waiting;
    waiting = undefined;
    stream.pause();
    if (newline === -1) {
      const rest = buffered;
      buffered = '';
      resolve(rest === '' ? undefined : rest.replace(/\r$/, ''));
      return;
    }
    const line = buffered.slice(0, newline).replace(/\r$/, '');
    buffered = buffered.slice(newline + 1);
    resolve(line);
  };

  const start = (): void => {
    started = true;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      deliver();
    });
    const finish = (): void => {
      ended = true;
      deliver();
    };
    stream.on('end', finish);
    stream.on('error', finish);
  };

  return {
    readLine: () =>
      new Promise((resolve) => {
        waiting = resolve;
        if (!started) start();
        if (!ended) stream.resume();
        deliver();
      }),
    // A paused pipe still holds the event loop open: once the CLI is done, let it go.
    close: () => {
      if (started) stream.destroy();
    },
  };
}
