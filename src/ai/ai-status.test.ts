import { describe, it, expect } from 'vitest';
import { aiStatusLine } from './ai-status.js';

describe('the AI line of the start banner', () => {
  it('says AI is off and how to turn it on', () => {
    expect(aiStatusLine({})).toBe('AI: off (offline templates and extractive answers; set AIOS_LLM=openai:gpt-4.1-mini and OPENAI_API_KEY to turn it on)');
  });
  it('names the model and the monthly budget when on', () => {
    const line = aiStatusLine({ AIOS_LLM: 'openai:gpt-4.1-mini', OPENAI_API_KEY: 'sk-test', AIOS_AI_BUDGET_MICROS: '5000000' });
    expect(line).toBe('AI: openai:gpt-4.1-mini (budget $5.00/month per business, AIOS_AI_BUDGET_MICROS)');
    expect(line).not.toContain('sk-test');
  });
});
