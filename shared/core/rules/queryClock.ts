/**
 * The evaluation time of one compiled query, which `ago()` and `now()` count from. The core has no
 * clock: the query's predicate takes the time as an argument (the caller reads its clock once per
 * delivery or back-test) and stores it here before it evaluates the record. Evaluation is synchronous,
 * so two deliveries sharing a cached rule never see each other's time.
 */
export interface QueryClock {
  /** Epoch milliseconds; NaN before the first evaluation, which makes every comparison with it false. */
  nowMs: number;
}
