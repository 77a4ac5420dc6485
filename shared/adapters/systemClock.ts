/** The real clock and timer, which the core takes as `now` and `pause` so tests and replays can set them. */
export const systemNow = (): number => Date.now();

export const realPause = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
