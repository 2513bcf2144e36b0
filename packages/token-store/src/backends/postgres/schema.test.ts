import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from '../../errors.js';
import { isRetryablePostgresError, toPostgresBackendError } from './errors.js';
import { quoteIdentifier } from './identifiers.js';
import { findMigrationsDirectory, readMigrationFiles, renderMigration } from './schema.js';
import { scramSha256Verifier } from './scram.js';

const roles = { readerRole: 'r_role', writerRole: 'w_role', maintenanceRole: 'm_role' };

describe('postgres migrations on disk', () => {
  it('finds migrations/postgres and reads its files in version order, with checksums', () => {
    const files = readMigrationFiles(findMigrationsDirectory());
    expect(files.map((file) => file.name)[0]).toBe('0001_init.sql');
    expect(files.map((file) => file.version)).toEqual(files.map((_, index) => index + 1));
    for (const file of files) expect(file.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses only known placeholders, and leaves none behind', () => {
    for (const file of readMigrationFiles(findMigrationsDirectory())) {
      const sql = renderMigration(file.sql, 'my_schema', roles);
      expect(sql).not.toMatch(/\{\{/);
      expect(sql).toContain('"my_schema".tokens');
      expect(sql).toContain("'w_role'");
    }
  });

  it('refuses an unknown placeholder', () => {
    expect(() => renderMigration('SELECT {{nope}}', 's', roles)).toThrow(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
    );
  });
});

describe('postgres identifiers', () => {
  it('quotes plain lower-case identifiers and refuses everything else', () => {
    expect(quoteIdentifier('x_oauth', 'schema')).toBe('"x_oauth"');
    for (const bad of ['', 'X_OAUTH', '1abc', 'a-b', 'a"b', 'a b', 'a'.repeat(64), 42]) {
      expect(() => quoteIdentifier(bad, 'schema')).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
      );
    }
  });
});

describe('SCRAM-SHA-256 verifier', () => {
  // RFC 7677 section 3: user "user", password "pencil". A verifier is right when the client
  // proof and server signature of the RFC's exchange check out against it.
  it('matches the RFC 7677 example exchange', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const verifier = scramSha256Verifier('pencil', salt);
    const match = /^SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)$/.exec(verifier);
    expect(match?.[1]).toBe('W22ZaJ0SNY7soEsUEjb6gQ==');
    const storedKey = Buffer.from(match?.[2] ?? '', 'base64');
    const serverKey = Buffer.from(match?.[3] ?? '', 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const clientSignature = createHmac('sha256', storedKey).update(authMessage).digest();
    const clientKey = proof.map((byte, index) => byte ^ (clientSignature[index] ?? 0));
    expect(createHash('sha256').update(clientKey).digest()).toEqual(storedKey);
    expect(createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe(
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });

  it('salts every verifier', () => {
    expect(scramSha256Verifier('same password')).not.toBe(scramSha256Verifier('same password'));
  });
});

describe('postgres errors', () => {
  it('keeps the SQLSTATE and primary message, drops the DETAIL (which can quote a row)', () => {
    const driverError = Object.assign(new Error('new row violates check constraint "x"'), {
      code: '23514',
      detail: 'Failing row contains (app, user, xts1.k1.secret-ciphertext).',
    });
    const error = toPostgresBackendError('compareAndSwap', driverError);
    expect(error.code).toBe(TokenStoreErrorCode.BackendError);
    expect(error.causeCode).toBe('23514');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('ciphertext');
  });

  it('calls connection losses and serialization failures retryable', () => {
    expect(isRetryablePostgresError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isRetryablePostgresError(Object.assign(new Error('x'), { code: '40001' }))).toBe(true);
    expect(isRetryablePostgresError(Object.assign(new Error('x'), { code: '57P01' }))).toBe(true);
    expect(isRetryablePostgresError(Object.assign(new Error('x'), { code: '42501' }))).toBe(false);
    expect(isRetryablePostgresError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });
});
