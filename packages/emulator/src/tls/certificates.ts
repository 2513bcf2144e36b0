// The emulator's local certificate authority and its leaf certificate, made with the
// `openssl` command-line tool: an X.509 implementation that is maintained, audited and
// present wherever Node runs TLS, so no ASN.1 is written here by hand.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOOPBACK_ADDRESSES, LOOPBACK_NAMES, X_HOST_NAMES } from './hosts.js';

const run = promisify(execFile);

/** Thrown when the local CA cannot be created or read, or `openssl` is missing. */
export class EmulatorCertificateError extends Error {
  /** Stable code for programmatic handling. */
  readonly code = 'EMULATOR_CERTIFICATE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorCertificateError';
  }
}

/** Where the CA lives when no directory is given. */
export function defaultCaDir(): string {
  return join(homedir(), '.x-oauth-emulator');
}

/** The files of a local CA. */
export interface CaFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

/** A leaf certificate and its key, PEM, ready for `tls.createServer`. */
export interface LeafCertificate {
  readonly cert: string;
  readonly key: string;
}

async function openssl(args: readonly string[]): Promise<void> {
  try {
    await run('openssl', [...args]);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EmulatorCertificateError(
      missing
        ? 'The emulator makes its TLS certificates with the `openssl` command, which is not installed. Install OpenSSL (e.g. `apt-get install openssl`) or start without tls.'
        : `openssl ${args[0]} failed while making the emulator's certificates.`,
      { cause: error },
    );
  }
}

/**
 * Returns the CA in `caDir` (`ca.pem`, `ca-key.pem`), creating it on first use: an EC P-256
 * CA valid for ten years, its key file mode 0600, its directory 0700. Nothing is installed in
 * any system trust store.
 */
export async function ensureCa(caDir: string): Promise<CaFiles> {
  const certPath = join(caDir, 'ca.pem');
  const keyPath = join(caDir, 'ca-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) return { certPath, keyPath };
  mkdirSync(caDir, { recursive: true, mode: 0o700 });
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '3650',
    '-subj',
    '/O=x-oauth emulator/CN=x-oauth emulator local CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
  ]);
  chmodSync(keyPath, 0o600);
  return { certPath, keyPath };
}

/**
 * Issues a leaf certificate for X's host names and the loopback names, signed by the CA. Its
 * key never touches the CA directory: it is made in a private temporary directory and removed.
 */
export async function issueLeaf(ca: CaFiles, workDir: string): Promise<LeafCertificate> {
  for (const path of [ca.certPath, ca.keyPath]) {
    if (!existsSync(path)) {
      throw new EmulatorCertificateError(
        `The CA file ${path} does not exist; pass existing CA files or a caDir to create one in.`,
      );
    }
  }
  const dir = mkdtempSync(join(workDir, 'leaf-'));
  try {
    chmodSync(dir, 0o700);
    const keyPath = join(dir, 'leaf-key.pem');
    const csrPath = join(dir, 'leaf.csr');
    const certPath = join(dir, 'leaf.pem');
    const extPath = join(dir, 'leaf.ext');
    const names = [
      ...[...X_HOST_NAMES, ...LOOPBACK_NAMES].map((name) => `DNS:${name}`),
      ...LOOPBACK_ADDRESSES.map((address) => `IP:${address}`),
    ];
    writeFileSync(
      extPath,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        `subjectAltName=${names.join(',')}`,
        '',
      ].join('\n'),
    );
    await openssl([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      csrPath,
      '-subj',
      '/O=x-oauth emulator/CN=api.x.com',
    ]);
    await openssl([
      'x509',
      '-req',
      '-in',
      csrPath,
      '-CA',
      ca.certPath,
      '-CAkey',
      ca.keyPath,
      '-set_serial',
      `0x01${randomBytes(15).toString('hex')}`,
      '-days',
      '397',
      '-sha256',
      '-extfile',
      extPath,
      '-out',
      certPath,
    ]);
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
