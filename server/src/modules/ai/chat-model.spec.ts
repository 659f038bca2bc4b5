import { createChatModel, modelLabel } from './chat-model';

const base = { LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_API_KEY: 'k', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 1000 };

describe('chat model by LLM_PROVIDER', () => {
  it('builds each provider on this Node version, and none for "none"', () => {
    expect(createChatModel({ ...base, LLM_PROVIDER: 'none' })).toBeNull();
    expect(createChatModel({ ...base, LLM_PROVIDER: 'openai' })?.constructor.name).toBe('ChatOpenAI');
    expect(createChatModel({ ...base, LLM_PROVIDER: 'ollama' })?.constructor.name).toBe('ChatOllama');
    expect(createChatModel({ ...base, LLM_PROVIDER: 'anthropic' })?.constructor.name).toBe('ChatAnthropic');
    expect(modelLabel({ ...base, LLM_PROVIDER: 'openai' })).toBe('openai:m');
    expect(modelLabel({ ...base, LLM_PROVIDER: 'none' })).toBe('template');
  });
});
