// A tenant's spending cap, as the REST API answers it (docs/api.md).
import { z } from "zod";

export const SPENDING_CAP_MODES = ["hard", "alert"] as const;

/** The cap and how far the month's bill has gone towards it. */
export const SpendingCapState = z.looseObject({
  cap: z.number().nullable(),
  mode: z.enum(SPENDING_CAP_MODES),
  currency: z.string(),
  /** YYYY-MM. */
  month: z.string(),
  /** The month's bill so far (before any clamp). */
  spent: z.number(),
  /** spent ÷ cap × 100; null without a cap. */
  percent: z.number().nullable(),
  /** ≥ 80%: the console warns. */
  warning: z.boolean(),
  /** ≥ 100%: in hard mode the gateway answers 402. */
  reached: z.boolean(),
  /** reached in hard mode. */
  blocking: z.boolean(),
});
export type SpendingCapState = z.infer<typeof SpendingCapState>;

/** GET /billing and PUT /billing/cap. */
export const SpendingCapResponse = z.object({ spendingCap: SpendingCapState });
export type SpendingCapResponse = z.infer<typeof SpendingCapResponse>;
