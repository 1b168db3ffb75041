#!/usr/bin/env node
// The `aios` command. Runs the TypeScript sources through tsx's loader (start-up ~0.3 s).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
