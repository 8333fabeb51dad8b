/**
 * The PSA's request budget (issue 19): Autotask allows a database 10,000 requests an hour, shared
 * by every integration the MSP runs. When the share left falls under the *Hourly Budget Reserve*,
 * alert executions go notes-only: repeats and storm alerts are still noted, but no ticket is
 * created, reopened or completed (each costs several calls); those deliveries come out on
 * Skipped as `budgetLow`, saying so, and Sync Open Alerts does them once the budget allows.
 *
 * Reading the budget costs a call of its own (ThresholdInformation is counted), so one reading
 * serves every execution of the workflow for a while: it is kept in the workflow's static data
 * (n8n's own storage; a hint, never a correctness input) and read again after
 * `BUDGET_READING_MS`, or after `BUDGET_READING_LOW_MS` once half the budget is used.
 */

/** What the PSA says of its budget now. */
export interface RequestBudget {
	/** Requests counted in the current window. */
	used: number;
	/** Requests allowed in the window. */
	threshold: number;
}

/** A reading as kept between executions. */
export interface BudgetReading extends RequestBudget {
	/** Epoch ms of the reading. */
	readAt: number;
}

/** How long a reading stands while less than half the budget is used. */
export const BUDGET_READING_MS = 5 * 60_000;

/** How long a reading stands once half the budget is used (or it is low). */
export const BUDGET_READING_LOW_MS = 60_000;

/** A reading kept in static data, or undefined when it is not one. */
export function parseBudgetReading(value: unknown): BudgetReading | undefined {
	if (!value || typeof value !== 'object') return undefined;
	const { used, threshold, readAt } = value as Record<string, unknown>;
	const numbers = [used, threshold, readAt].map(Number);
	if (!numbers.every((n) => Number.isFinite(n) && n >= 0) || numbers[1] <= 0) return undefined;
	return { used: numbers[0], threshold: numbers[1], readAt: numbers[2] };
}

/** Whether the kept reading is too old (or missing) to decide on. */
export function budgetReadingDue(reading: BudgetReading | undefined, now: number): boolean {
	if (!reading || reading.readAt > now) return true;
	const standsFor =
		reading.used / reading.threshold < 0.5 ? BUDGET_READING_MS : BUDGET_READING_LOW_MS;
	return now - reading.readAt >= standsFor;
}

/**
 * Why executions are notes-only now (the text on every `budgetLow` outcome), or undefined when
 * the budget left is above the reserve. A reserve of 0 never goes notes-only.
 */
export function notesOnlyReason(
	reading: BudgetReading | undefined,
	reservePercent: number,
	psa: string,
): string | undefined {
	if (!reading || reservePercent <= 0) return undefined;
	const left = 1 - reading.used / reading.threshold;
	if (left * 100 > reservePercent) return undefined;
	return `${psa}'s hourly request budget is low (${reading.used.toLocaleString('en-US')} of ${reading.threshold.toLocaleString('en-US')} requests used, under the ${reservePercent}% reserve): notes only, no ticket created, reopened or completed; Sync Open Alerts does it when the budget allows`;
}

/** What a delivery refused for the exhausted budget says (it does not fail: the backstop does it later). */
export function budgetExhaustedReason(psa: string, vendorWords: string): string {
	return `${psa} refused the request for its hourly request budget (${vendorWords}): nothing more was written for this delivery; Sync Open Alerts does it when the budget allows`;
}
