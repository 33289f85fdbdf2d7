import { TextDecoder } from 'node:util';
import { kitErrors } from '@lessor/service-kit';
import { billingErrors } from '../billing.errors.ts';

const XML_DECLARATION = /^(?:\uFEFF)?<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/**
 * The text of an uploaded statement file. Banks write CSV in UTF-8 or in a legacy code page (Windows-1252 and
 * ISO-8859-1 are common in Germany and Austria), so the upload says which by `charset` in its Content-Type; a
 * camt.053 file says it in its XML declaration (`encoding="ISO-8859-1"`) unless the Content-Type names one.
 * Without either the file must be UTF-8: bytes that are not are refused with 422 naming the first line they are
 * on, never stored as replacement characters. A charset this runtime cannot decode is refused with 400.
 */
export function statementText(bytes: Buffer, contentType: string | undefined, xml: boolean): string {
  const label = charsetOf(contentType) ?? (xml ? declaredEncoding(bytes) : undefined) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw kitErrors.create.VALIDATION_FAILED(
      `The charset ${JSON.stringify(label)} is not one Lessor can read`,
      {
        errors: [
          {
            field: xml && !charsetOf(contentType) ? '/body' : '/headers/content-type',
            message: `names the charset ${JSON.stringify(label)}, which is not a known encoding (e.g. utf-8, windows-1252, iso-8859-15)`,
          },
        ],
      },
    );
  }
  try {
    return decoder.decode(bytes);
  } catch {
    const line = firstUndecodableLine(bytes, label);
    const detail =
      `line ${line}: the file is not valid ${decoder.encoding.toUpperCase()}` +
      (decoder.encoding === 'utf-8'
        ? '; if the bank writes another encoding, name it in the Content-Type (e.g. text/csv; charset=windows-1252)'
        : '');
    throw billingErrors.create.BANK_FILE_UNREADABLE(detail, {
      errors: [{ field: '/body', message: detail }],
      extensions: { line },
    });
  }
}

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1];
}

/** The encoding an XML declaration names (read as ASCII: every encoding it may name keeps ASCII there). */
function declaredEncoding(bytes: Buffer): string | undefined {
  return XML_DECLARATION.exec(bytes.subarray(0, 256).toString('latin1'))?.[1];
}

/** The 1-based number of the first line whose bytes do not decode (lines end at LF, as the readers count them). */
function firstUndecodableLine(bytes: Buffer, label: string): number {
  const decoder = new TextDecoder(label, { fatal: true });
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end === -1) return line;
    start = end + 1;
  }
}
