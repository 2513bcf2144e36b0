// Server-side sessions: the cookie holds only a sealed random id; everything else (the user,
// the CSRF token, who the user is, the wire log) lives here, in memory. Signing out deletes
// the entry, so a copied cookie stops working at once. A restart forgets every session.
import { randomBytes } from 'node:crypto';
import type { WireEntry } from '../wire/entry.js';
import type { XUser } from './x-data.js';

/** How many requests the log page keeps per session. */
export const WIRE_LOG_SIZE = 100;

/** One browser's session. */
export interface DemoSession {
  readonly id: string;
  /** Sent back in every form; a POST without it is refused. */
  readonly csrfToken: string;
  readonly createdAt: number;
  /** The signed-in X user id, if any. */
  userId: string | undefined;
  /** Who the user is (`GET /2/users/me`), asked once per sign-in and refreshed on demand. */
  me: XUser | undefined;
  /** The session's last {@link WIRE_LOG_SIZE} requests to X, oldest first. */
  readonly wire: WireEntry[];
  /** Requests a form submission caused, shown on the page it redirects to. */
  carried: WireEntry[];
}

/** In-memory sessions with a lifetime and a cap (the oldest go first). */
export class SessionStore {
  readonly #sessions = new Map<string, DemoSession>();
  readonly #maxAgeMs: number;
  readonly #maxSessions: number;
  readonly #now: () => number;

  constructor(options: { maxAgeMs: number; maxSessions?: number; now?: () => number }) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** A new, signed-out session. */
  create(): DemoSession {
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const session: DemoSession = {
      id: randomBytes(24).toString('base64url'),
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: this.#now(),
      userId: undefined,
      me: undefined,
      wire: [],
      carried: [],
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, if any. */
  get(id: string): DemoSession | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (this.#now() - session.createdAt > this.#maxAgeMs) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Ends a session: its id is no longer accepted. */
  delete(id: string): void {
    this.#sessions.delete(id);
  }
}

/** Appends entries to a session's log, keeping the last {@link WIRE_LOG_SIZE}. */
export function appendWire(session: DemoSession, entries: readonly WireEntry[]): void {
  session.wire.push(...entries);
  if (session.wire.length > WIRE_LOG_SIZE) {
    session.wire.splice(0, session.wire.length - WIRE_LOG_SIZE);
  }
}
