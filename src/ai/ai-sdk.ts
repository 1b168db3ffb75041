import type * as Ai from 'ai';
import { lazyModule } from '../core/lazy-module.js';

/**
 * The AI SDK (`ai`), loaded at its first use: an instance without a model provider (the offline
 * default) never holds it or its providers. Every AIOS module reaches the SDK through here, so one
 * copy is loaded. Its errors are recognised by marker (`X.isInstance`), whichever copy made them.
 */
export const aiSdk = lazyModule<typeof Ai>('ai');
