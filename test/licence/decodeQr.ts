/** Decodes the QR code in a PNG (jsqr + pngjs), as a phone camera would read it. */
import jsqr from 'jsqr';
import { PNG } from 'pngjs';

export function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  // jsqr is CommonJS with `exports.default`: under NodeNext the default import is the module object.
  const code = jsqr.default(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error('QR code not found in the PNG');
  return code.data;
}
