/** The QR code of a licence: PNG for chats, SVG for the web and print, of `${publicBaseUrl}/v/<token>`. */
import QRCode from 'qrcode';
import type { LicenceSettings } from '../cases/deps.ts';
import { signLicenceToken } from './token.ts';

export function verifyUrl(settings: LicenceSettings, licenceId: string, version: number): string {
  return `${settings.publicBaseUrl}/v/${signLicenceToken(settings.signingSecret, { licenceId, version })}`;
}

export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}

export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export async function qrDataUrl(url: string): Promise<string> {
  return `data:image/png;base64,${(await qrPng(url)).toString('base64')}`;
}
