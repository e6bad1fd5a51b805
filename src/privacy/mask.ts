/**
 * Masking of personal information (ID and phone numbers, credit codes) for logs, listings and anything sent to an
 * LLM. Only the owner and authorised staff see the full values.
 */

/** 110105********002X: region prefix and the last four kept. */
export function maskIdNumber(id: string): string {
  return id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** 139****5678 */
export function maskMobile(mobile: string): string {
  return mobile.length < 7 ? '*'.repeat(mobile.length) : `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`;
}

const ID_PATTERN = /(?<![\dA-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![\dA-Za-z])/g;
/** 统一社会信用代码: 18 characters of its alphabet (no I, O, Z, S, V), with registration-office digits. */
const CREDIT_CODE_PATTERN = /(?<![\dA-Za-z])([0-9A-HJ-NPQRTUWXY]{2}\d{6})[0-9A-HJ-NPQRTUWXY]{6}([0-9A-HJ-NPQRTUWXY]{4})(?![\dA-Za-z])/g;
const MOBILE_PATTERN = /(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?\d{4}[-\s]?(\d{4})(?!\d)/g;

/** The personal numbers found in free text, for what masks or replaces them (src/privacy/placeholders.ts). */
export const PERSONAL_NUMBERS: readonly { kind: 'id_number' | 'credit_code' | 'mobile'; pattern: RegExp }[] = [
  { kind: 'id_number', pattern: ID_PATTERN },
  { kind: 'credit_code', pattern: CREDIT_CODE_PATTERN },
  { kind: 'mobile', pattern: MOBILE_PATTERN },
];

/** Masks every ID number, mobile number and credit code found in free text. */
export function maskText(text: string): string {
  return text
    .replace(ID_PATTERN, (_m, head: string, tail: string) => `${head}********${tail}`)
    .replace(CREDIT_CODE_PATTERN, (_m, head: string, tail: string) => `${head}******${tail}`)
    .replace(MOBILE_PATTERN, (_m, head: string, tail: string) => `${head}****${tail}`);
}

/** Query parameters whose values are keys, not data: the web chat's userId (the page's own secret), tokens. */
const SECRET_PARAMS = /([?&](?:user_?id|token|access_token|secret|password|csrf|key)=)[^&#\s]*/gi;
/** A licence's signed token (/v/<token>): its first characters tell versions apart; the rest is the key. */
const LICENCE_TOKEN = /(\/v\/[\w-]{8})[\w-]+/g;

/**
 * A request URL fit for a log line: percent-escapes decoded (so 「%2B86%20139…」 is seen and masked), the
 * values of secret query parameters and most of a licence token replaced, and every personal number
 * masked as in free text.
 */
export function maskUrl(url: string): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    // A malformed escape: masked as sent.
  }
  return maskSecrets(decoded);
}

/** Secret query parameters, licence tokens and personal numbers masked in any text that may hold a URL. */
export function maskSecrets(text: string): string {
  return maskText(text.replace(SECRET_PARAMS, '$1[masked]').replace(LICENCE_TOKEN, '$1…'));
}
