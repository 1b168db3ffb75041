import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker, WorkerOptions } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** Text read from an image and tesseract's mean confidence (0..100). */
export interface OcrResult {
  text: string;
  confidence: number;
}

/** An OCR engine: one tesseract.js worker, reused for every page, closed by `close()`. */
export interface Ocr {
  recognize(image: Uint8Array): Promise<OcrResult>;
  close(): Promise<void>;
}

/**
 * Options that keep tesseract.js offline: English data from `@tesseract.js-data/eng` inside
 * node_modules (never the CDN default), the WASM core from `tesseract.js-core`, and no cache
 * written or read (`cacheMethod: 'none'`), so nothing is downloaded or left in the working folder.
 */
export function offlineOcrOptions(): Partial<WorkerOptions> {
  const { langPath } = require('@tesseract.js-data/eng') as { langPath: string };
  if (!existsSync(join(langPath, 'eng.traineddata.gz'))) {
    throw new Error(`OCR language data missing at ${langPath}: run npm ci (the package @tesseract.js-data/eng provides it)`);
  }
  return { langPath, gzip: true, cacheMethod: 'none' };
}

/** Starts an offline English OCR worker (about 1 s); close it when done. */
export async function createOcr(): Promise<Ocr> {
  const { createWorker } = await import('tesseract.js');
  const worker: Worker = await createWorker('eng', 1, offlineOcrOptions());
  return {
    async recognize(image) {
      const { data } = await worker.recognize(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
      return { text: data.text.replace(/[ \t]+\n/g, '\n').trim(), confidence: data.confidence };
    },
    async close() {
      await worker.terminate();
    },
  };
}
