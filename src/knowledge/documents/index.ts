/** Reading document packages: PDF pages, OCR, splitting, classification, key fields. */
export { readPackage, MIN_IMAGE_SIDE_PX, type InputFile } from './read.js';
export { createOcr, offlineOcrOptions, type Ocr, type OcrResult } from './ocr.js';
export { classifyText, type Classification } from './classify.js';
export { extractFields, normaliseDate, normaliseMoney, normaliseName, isMoneyField } from './fields.js';
export { DOCUMENT_TYPES, documentType, type DocumentTypeRule } from './document-types.js';
export { splitPages } from './split.js';
export type * from './types.js';
export { findSignatures, isSigned, signatureOfLine, type SignatureSeen, type PdfSignatureField } from './signature.js';
export { pdfPageAlone, PdfReadError } from './pdf-pages.js';
