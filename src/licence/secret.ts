/**
 * The licence signing secret: LICENCE_SIGNING_SECRET when set; otherwise a random one generated on first
 * start and kept in `var/licence-signing-secret` (mode 0600), so QR codes stay valid across restarts of a
 * development or single-machine install. Several servers behind one address must share a configured secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function resolveSigningSecret(configured: string | undefined, varDir: string): { secret: string; source: 'config' | 'file' | 'generated' } {
  if (configured !== undefined && configured !== '') {
    if (configured.length < 16) throw new Error('LICENCE_SIGNING_SECRET must be at least 16 characters');
    return { secret: configured, source: 'config' };
  }
  const file = path.join(varDir, 'licence-signing-secret');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 16) return { secret: stored, source: 'file' };
  } catch {
    // not there yet
  }
  mkdirSync(varDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created the file meanwhile: then use theirs.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return { secret, source: 'generated' };
  } catch {
    return { secret: readFileSync(file, 'utf8').trim(), source: 'file' };
  }
}
