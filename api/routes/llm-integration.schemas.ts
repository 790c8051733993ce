import { z } from 'zod';

const ZPricePer1k = z
  .number()
  .min(0, 'must be a price in USD per 1000 tokens, 0 or more')
  .max(1000, 'must be a price in USD per 1000 tokens, at most 1000')
  .nullable()
  .optional();

/** A tenant's own OpenAI-compatible endpoint, key and model for the digest summary. */
export const ZConnectLlmBody = z
  .object({
    base_url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.openai.com/v1' }).max(2048, 'must be at most 2048 characters'),
    api_key: z.string().trim().min(8, 'must be the provider’s API key').max(500, 'must be at most 500 characters'),
    model: z.string().trim().min(1, 'must name a model, e.g. gpt-4o-mini').max(200, 'must be at most 200 characters'),
    input_per_1k: ZPricePer1k,
    output_per_1k: ZPricePer1k,
  })
  .strict()
  .refine((b) => (b.input_per_1k == null) === (b.output_per_1k == null), {
    message: 'give both input_per_1k and output_per_1k, or neither (then the platform’s price for the model applies)',
    path: ['output_per_1k'],
  });
