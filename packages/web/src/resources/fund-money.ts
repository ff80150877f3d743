/**
 * An amount typed in major units (元), e.g. "30000", "30,000.5", "¥ 1,234.56", as exact minor
 * units (分), or null when it is not such an amount: no sign, no exponent, no more decimals
 * than the currency has, nothing past 2^53. Floating point never touches it.
 */
export function parseMajorAmount(text: string, minorUnits: number): number | null {
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text.replace(/[\s,¥￥]/g, ''));
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > minorUnits) return null;
  const minor =
    BigInt(m[1]!) * 10n ** BigInt(minorUnits) + BigInt(fraction.padEnd(minorUnits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}

/** A file as base64 (no `data:` prefix), read in the browser for a JSON upload. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
