import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CatalogueModel } from '../cometapi/catalogue';
import { readCatalogue } from '../cometapi/catalogue';
import type { CostEstimate, Estimate } from '../cometapi/cost';
import { estimateCost } from '../cometapi/cost';
import { failedAs } from '../failures';
import type { Runtime } from '../transport/runtime';
import { readSpendLimit } from './run-options';
import { SPEND_LIMIT } from './run-options.fields';
import { spendLedger } from './spend-ledger';

/** What the spend limit needs of an item's plan: its model and length, and how many videos. */
export interface PricedPlan {
	model: string;
	seconds: string;
	videos: number;
	/** Set once the batch is checked: one video's estimated cost, or why there is none. */
	cost?: Estimate;
}

const overLimit = (error: NodeOperationError) =>
	failedAs(error, { kind: 'spend_limit', retryable: false });

/** One video's share of the spend limit that a plan reserved, given back when its job is not taken. */
const reservedShare = new WeakMap<PricedPlan, number>();

/**
 * Once per run, before any create: each item's estimated cost from CometAPI's catalogue (read
 * only here, and never a reason to fail a job), then the spend limit: this batch's estimate
 * added to what earlier runs of this node in this execution hold in its ledger.
 */
export async function holdSpend(
	this: IExecuteFunctions,
	plans: PricedPlan[],
	runtime: Runtime,
): Promise<void> {
	// Every item was refused (under Continue On Fail): nothing to estimate or to send.
	if (plans.length === 0) return;
	const limit = readSpendLimit.call(this);
	let models: CatalogueModel[] | undefined;
	let unreadBecause: string | undefined;
	try {
		models = await readCatalogue(this, runtime, this.getExecutionCancelSignal());
	} catch (error) {
		unreadBecause = (error as Error).message;
		this.logger.info(`CometAPI's model catalogue could not be read: ${unreadBecause}`);
	}
	for (const plan of plans)
		plan.cost = estimateCost(models, plan.model, plan.seconds, unreadBecause);
	if (limit === undefined) return;

	// No await from here to the reservation: runs that overlap (an agent's parallel tool calls)
	// cannot both pass on the same sum.
	const videos = plans.reduce((sum, plan) => sum + plan.videos, 0);
	const unpriced = plans.find((plan) => plan.cost?.estimate === null);
	if (unpriced?.cost && unpriced.cost.estimate === null) {
		throw overLimit(
			new NodeOperationError(
				this.getNode(),
				`${SPEND_LIMIT.label} is set, but no cost can be estimated: ${unpriced.cost.reason}`,
				{
					description:
						'Nothing was sent. Pick a model the catalogue prices, or remove the limit from Options to run without an estimate.',
				},
			),
		);
	}
	const estimates = plans.map((plan) => (plan.cost as { estimate: CostEstimate }).estimate);
	const ledger = spendLedger(this);
	const used = ledger.used();
	const currencies = [...new Set(estimates.map((estimate) => estimate.currency))];
	if (used.amount > 0 && !currencies.includes(used.currency)) currencies.push(used.currency);
	const cents = (amount: number) => Math.round(amount * 100) / 100;
	const amount = plans.reduce((sum, plan, i) => sum + estimates[i].amount * plan.videos, 0);
	const total = cents(amount);
	const currency = currencies.join('/') || '';
	if (currencies.length > 1) {
		throw overLimit(
			new NodeOperationError(
				this.getNode(),
				`The estimated spend of this run cannot be held against ${SPEND_LIMIT.label} (${limit}): the models of this execution are priced in ${currency}`,
				{
					description: 'Nothing was sent. Use models priced in one currency, or remove the limit.',
				},
			),
		);
	}
	if (cents(used.amount + amount) > limit) {
		const batch = `${total} ${currency} for ${videos} video${videos === 1 ? '' : 's'} of ${plans.length} item${plans.length === 1 ? '' : 's'}`;
		const earlier =
			used.amount > 0
				? `, with ${cents(used.amount)} ${currency} already estimated for earlier runs of this node in this execution (${cents(used.amount + amount)} ${currency} in all)`
				: '';
		throw overLimit(
			new NodeOperationError(
				this.getNode(),
				`The estimated spend of this run, ${batch}${earlier}, is over ${SPEND_LIMIT.label} (${limit})`,
				{
					description:
						'Nothing was sent. The limit holds for every run of this node in one execution; a new execution starts again from 0. Raise the limit, or send fewer items or videos.',
				},
			),
		);
	}
	ledger.reserve(amount, currencies[0] ?? null);
	plans.forEach((plan, i) => reservedShare.set(plan, estimates[i].amount));
}

/** After the jobs: the share of each job CometAPI certainly did not take goes back to the ledger. */
export function releaseSpend(this: IExecuteFunctions, notTaken: PricedPlan[]): void {
	const ledger = spendLedger(this);
	for (const plan of notTaken) {
		const share = reservedShare.get(plan);
		if (share !== undefined) ledger.release(share);
	}
}
