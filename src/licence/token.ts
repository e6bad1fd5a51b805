/**
 * The token in the licence's QR code (`/v/<token>`): which licence and which printed version, signed with
 * HMAC-SHA256 so that a forged or altered token is rejected without a database look-up.
 *
 * Layout, base64url without padding: [format 0x01][version uint16 BE][licence id, UTF-8][first 16 bytes of
 * HMAC-SHA256(secret, everything before)]. About 60 characters for a cuid id: a small QR code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const FORMAT = 1;
const MAC_BYTES = 16;

export interface LicenceTokenClaims {
  licenceId: string;
  version: number;
}

export function signLicenceToken(secret: string, claims: LicenceTokenClaims): string {
  if (!Number.isInteger(claims.version) || claims.version < 1 || claims.version > 0xffff) throw new Error('licence version out of range');
  const id = Buffer.from(claims.licenceId, 'utf8');
  const payload = Buffer.concat([Buffer.from([FORMAT, claims.version >> 8, claims.version & 0xff]), id]);
  return Buffer.concat([payload, mac(secret, payload)]).toString('base64url');
}

/** The claims of a genuine token, or null for anything forged, altered, truncated or malformed. */
export function verifyLicenceToken(secret: string, token: string): LicenceTokenClaims | null {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < 3 + 1 + MAC_BYTES || raw[0] !== FORMAT) return null;
  const payload = raw.subarray(0, raw.length - MAC_BYTES);
  const given = raw.subarray(raw.length - MAC_BYTES);
  if (!timingSafeEqual(given, mac(secret, payload))) return null;
  // Re-encoding must give the same text: rejects non-canonical base64 variants of a genuine token.
  if (raw.toString('base64url') !== token) return null;
  const version = ((payload[1] ?? 0) << 8) | (payload[2] ?? 0);
  const licenceId = payload.subarray(3).toString('utf8');
  if (version < 1 || !/^[A-Za-z0-9_-]{1,64}$/.test(licenceId)) return null;
  return { licenceId, version };
}

function mac(secret: string, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES);
}
