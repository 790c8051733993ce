// The platform's model prices (LLM_MODEL_PRICES): parsing, errors that name each bad entry, cost.
import { costUsd, ModelPricesError, parseModelPrices } from '../../../lib/llm/model-prices';
import { loadConfig } from '../../../lib/config';

describe('model prices', () => {
  it('parses "model=input/output" per 1k tokens', () => {
    const prices = parseModelPrices(' gpt-4o-mini=0.00015/0.0006, llama3.1:8b=0/0 ,azure/dep=.5/1');
    expect(prices.get('gpt-4o-mini')).toEqual({ inputPer1k: 0.00015, outputPer1k: 0.0006 });
    expect(prices.get('llama3.1:8b')).toEqual({ inputPer1k: 0, outputPer1k: 0 });
    expect(prices.get('azure/dep')).toEqual({ inputPer1k: 0.5, outputPer1k: 1 });
    expect(parseModelPrices('').size).toBe(0);
  });

  it('names each bad entry', () => {
    expect(() => parseModelPrices('a=1,b=x/1,c=-1/2,a=1/1')).toThrow(ModelPricesError);
    try {
      parseModelPrices('a=1,b=x/1');
    } catch (err) {
      expect((err as ModelPricesError).problems).toHaveLength(2);
    }
    expect(() => loadConfig({ LLM_MODEL_PRICES: 'gpt=abc' })).toThrow(/LLM_MODEL_PRICES/);
  });

  it('costs a call from its usage, to the micro-dollar', () => {
    expect(costUsd({ inputPer1k: 0.01, outputPer1k: 0.03 }, { promptTokens: 1234, completionTokens: 56 })).toBeCloseTo(0.01402, 6);
  });
});
