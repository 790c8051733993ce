// Prices of LLM models in USD per 1000 input (prompt) and output (completion) tokens, from the
// operator's LLM_MODEL_PRICES ("gpt-4o-mini=0.00015/0.0006,llama3.1=0/0"), and what a call costs.
// Known prices are what make the monthly budget enforceable: a model without one is never called.

export interface ModelPrice {
  inputPer1k: number;
  outputPer1k: number;
}

export type ModelPrices = ReadonlyMap<string, ModelPrice>;

const PRICE = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

export class ModelPricesError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid LLM_MODEL_PRICES:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ModelPricesError';
  }
}

/** Parses "model=input/output,…"; throws ModelPricesError naming each bad entry by position. */
export function parseModelPrices(spec: string): ModelPrices {
  const prices = new Map<string, ModelPrice>();
  const problems: string[] = [];
  if (spec.trim() === '') return prices;
  spec.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const where = `entry ${index + 1}`;
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) return void problems.push(`${where}: expected "model=input/output" (USD per 1000 tokens)`);
    const model = entry.slice(0, eq).trim();
    const [input, output, extra] = entry
      .slice(eq + 1)
      .split('/')
      .map((p) => p.trim());
    if (extra !== undefined || !input || !output || !PRICE.test(input) || !PRICE.test(output)) {
      return void problems.push(`${where} (${model.slice(0, 80)}): prices must be two non-negative decimals "input/output"`);
    }
    if (prices.has(model)) return void problems.push(`${where}: model "${model.slice(0, 80)}" is listed twice`);
    prices.set(model, { inputPer1k: Number(input), outputPer1k: Number(output) });
  });
  if (problems.length > 0) throw new ModelPricesError(problems);
  return prices;
}

/** Cost in USD of a call, rounded to micro-dollars (the column's precision). */
export function costUsd(price: ModelPrice, usage: { promptTokens: number; completionTokens: number }): number {
  const raw = (usage.promptTokens / 1000) * price.inputPer1k + (usage.completionTokens / 1000) * price.outputPer1k;
  return Math.round(raw * 1e6) / 1e6;
}
