import { createHash } from 'node:crypto';
import { DomainError } from '@tierline/core';
import { PROOF_CONTENT_TYPES, PROOF_MAX_BYTES, type ProofUpload } from '@tierline/contract';

export type ProofContentType = keyof typeof PROOF_CONTENT_TYPES;

/** A proof file checked and ready to store. */
export interface CheckedProof {
  fileName: string;
  contentType: ProofContentType;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function startsWith(content: Buffer, bytes: readonly number[]): boolean {
  return content.length >= bytes.length && bytes.every((b, i) => content[i] === b);
}

/**
 * What the content is, from its first bytes (never from what the client says): PDF (`%PDF-`),
 * JPEG (FF D8 FF), PNG (its 8-byte signature), or an Office Open XML ZIP whose entries name
 * `[Content_Types].xml` and `xl/workbook.xml` (XLSX) or `word/document.xml` (DOCX). Entry
 * names are stored uncompressed in a ZIP's headers, so nothing is inflated.
 */
export function detectProofType(content: Buffer): ProofContentType | null {
  if (startsWith(content, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(content, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04]) && content.includes('[Content_Types].xml')) {
    if (content.includes('xl/workbook.xml')) return XLSX;
    if (content.includes('word/document.xml')) return DOCX;
  }
  return null;
}

/** A file name safe to store and to send back: no path, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_').trim();
  return clean.slice(0, 200) || 'proof';
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const ALLOWED = 'PDF, JPEG, PNG, XLSX or DOCX';

/**
 * Check the proof files of a claim: each must be a PDF, JPEG, PNG, XLSX or DOCX by its content,
 * agree with its declared type and its file name's extension, and all together stay within
 * 10 MB. Refusals name the file (`proofs.N`) and say what to do.
 */
export function checkProofs(uploads: readonly ProofUpload[]): CheckedProof[] {
  const checked: CheckedProof[] = [];
  let total = 0;
  uploads.forEach((upload, i) => {
    const field = `proofs.${i}`;
    const fileName = safeFileName(upload.fileName);
    const content = Buffer.from(upload.contentBase64, 'base64');
    if (content.length === 0) {
      throw new DomainError('validation_failed', `Proof file "${fileName}" is empty.`, { field });
    }
    total += content.length;
    if (content.length > PROOF_MAX_BYTES || total > PROOF_MAX_BYTES) {
      throw new DomainError(
        'payload_too_large',
        `Proof files may be at most 10 MB in all; with "${fileName}" they are ${(total / 1024 / 1024).toFixed(1)} MB. Send smaller files (e.g. scans at a lower resolution).`,
        { field, sizeBytes: total, maxBytes: PROOF_MAX_BYTES },
      );
    }
    const detected = detectProofType(content);
    if (!detected) {
      throw new DomainError(
        'validation_failed',
        `Proof file "${fileName}" is not a ${ALLOWED} file by its content. Send one of those.`,
        { field, fileName },
      );
    }
    const declared = upload.contentType.split(';')[0]!.trim().toLowerCase();
    const extensions: readonly string[] = PROOF_CONTENT_TYPES[detected];
    if (declared !== detected && declared !== 'application/octet-stream' && declared !== '') {
      throw new DomainError(
        'validation_failed',
        `Proof file "${fileName}" is sent as ${declared} but its content is ${extensions[0]!.toUpperCase()}.`,
        { field, fileName, declared, detected },
      );
    }
    if (!extensions.includes(extensionOf(fileName))) {
      throw new DomainError(
        'validation_failed',
        `Proof file "${fileName}" holds a ${extensions[0]!.toUpperCase()} file: its name must end in .${extensions.join(' or .')}.`,
        { field, fileName, detected },
      );
    }
    checked.push({
      fileName,
      contentType: detected,
      sizeBytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    });
  });
  return checked;
}

/** Content-Disposition for a download, ASCII fallback plus the UTF-8 name (RFC 6266). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
