import { createChatModel, modelLabel } from './chat-model';

const base = { LLM_BASE_URL: 'http://127.0.0.1:1/v1', LLM_API_KEY: 'k', LLM_MODEL: 'm', LLM_TIMEOUT_MS: 1000 };

/** The provider's own chat model behind LangChain's configurable wrapper. */
async function built(provider: 'openai' | 'ollama' | 'anthropic'): Promise<string> {
  const model = (await createChatModel({ ...base, LLM_PROVIDER: provider })) as unknown as { _getModelInstance(): Promise<object> };
  return (await model._getModelInstance()).constructor.name;
}

describe('chat model by LLM_PROVIDER', () => {
  it('builds each provider on this Node version, and none for "none"', async () => {
    expect(createChatModel({ ...base, LLM_PROVIDER: 'none' })).toBeNull();
    expect(await built('openai')).toBe('ChatOpenAI');
    expect(await built('ollama')).toBe('ChatOllama');
    expect(await built('anthropic')).toBe('ChatAnthropic');
    expect(modelLabel({ ...base, LLM_PROVIDER: 'openai' })).toBe('openai:m');
    expect(modelLabel({ ...base, LLM_PROVIDER: 'none' })).toBe('template');
  });
});
