/**
 * The naive baseline (measure 6): the same contact sync as simple scripts write it, with the
 * package's own Graph, Autotask and ConnectWise clients: list the users, then for each user one
 * look-up by e-mail and one full PUT of the contact (or a create), one call at a time.
 */
import { AutotaskApi } from '../credentials/AutotaskApi.credentials';
import { ConnectWiseManageApi } from '../credentials/ConnectWiseManageApi.credentials';
import { MicrosoftGraphAppApi } from '../credentials/MicrosoftGraphAppApi.credentials';
import { DirectClient } from '../dev/directClient';
import { PSAS } from '../dev/psaState';
import type { Psa } from '../dev/psaState';
import { companyIdOf } from '../dev/templates';
import { companyContactsPath } from '../lib/contacts/autotask';
import type { AutotaskContact } from '../lib/contacts/autotask';
import type { CanonicalContact } from '../lib/contacts/canonical';
import type { ConnectWiseContact } from '../lib/contacts/connectwise';
import { GRAPH_USER_SELECT, graphUserToContact } from '../lib/contacts/graph';
import { AutotaskClient, contactEmailFilter } from '../lib/transport/autotask';
import { ConnectWiseClient, cw, emailChildConditions } from '../lib/transport/connectwise';
import { GraphClient } from '../lib/transport/graph';
import type { Sandbox } from '../sandbox';
import { round } from './measure';
import type { CallBreakdown } from './measure';
import { RemoteSandbox } from './remoteSandbox';
import type { SyncSeed } from './syncSeed';

export interface NaiveResult {
	psa: Psa;
	users: number;
	/** Users looked up and written with latency, one call at a time as such scripts run. */
	slice: number;
	/** Calls of the user listing, and of the slice (measured). */
	listingCalls: CallBreakdown;
	sliceCalls: CallBreakdown;
	listingWallMs: number;
	sliceWallMs: number;
	/** Extrapolated to all users from the slice: listing + per-user calls (time) x users. */
	extrapolatedCalls: number;
	extrapolatedWallMs: number;
	/** The package's sync of the same data (first run): calls, and wall time with the same latency. */
	oursCalls: number;
	oursWallMs: number;
	callRatio: number;
	wallRatio: number;
	/** Autotask only: the extrapolated run's Autotask calls against the database's 10,000 requests per hour. */
	autotaskHourlyBudgetShare?: number;
}

interface NaiveClients {
	graph: GraphClient;
	autotask: AutotaskClient;
	connectwise: ConnectWiseClient;
}

function naiveClients(credentials: Sandbox['credentials']): NaiveClients {
	const graph = new DirectClient(new MicrosoftGraphAppApi(), {
		...credentials.microsoftGraphAppApi,
		accessToken: '',
	});
	const autotask = new DirectClient(new AutotaskApi(), {
		...credentials.autotaskApi,
		resolvedZone: '',
	});
	const connectwise = new DirectClient(new ConnectWiseManageApi(), {
		...credentials.connectWiseManageApi,
		codebase: '',
	});
	return {
		graph: new GraphClient(graph),
		// One thread, as a simple script runs.
		autotask: new AutotaskClient(autotask, { threadsPerEndpoint: 1 }),
		connectwise: new ConnectWiseClient(connectwise),
	};
}

/** The naive run's first step: every user, as canonical contacts (the package's Graph transport and mapper). */
async function naiveUsers(clients: NaiveClients) {
	return (await clients.graph.listUsers({ select: GRAPH_USER_SELECT }))
		.map((user) => graphUserToContact(user).contact)
		.filter((contact) => contact.active && contact.email);
}

/**
 * The sync as simple scripts write it: for each user, look its contact up by email and PUT the
 * whole record back with the Microsoft 365 values (or create it), one call after the other.
 */
async function naiveApply(
	clients: NaiveClients,
	psa: Psa,
	companyId: string,
	users: CanonicalContact[],
): Promise<void> {
	for (const user of users) {
		if (psa === 'autotask') {
			const [found] = await clients.autotask.query<AutotaskContact>('Contacts', {
				filter: [
					{ op: 'eq', field: 'companyID', value: Number(companyId) },
					contactEmailFilter([user.email]),
				],
			});
			const values = {
				firstName: user.firstName,
				lastName: user.lastName,
				title: user.title,
				phone: user.phone,
				mobilePhone: user.mobile,
				emailAddress: user.email,
			};
			if (found)
				await clients.autotask.request('PUT', companyContactsPath(companyId), {
					body: { ...found, ...values },
					idempotent: true,
				});
			else
				await clients.autotask.create(companyContactsPath(companyId), {
					...values,
					companyID: Number(companyId),
					isActive: 1,
				});
		} else {
			const [found] = await clients.connectwise.list<ConnectWiseContact>('/company/contacts', {
				conditions: cw.eq('company/id', Number(companyId)),
				childConditions: emailChildConditions([user.email]),
				limit: 1,
			});
			if (found) {
				const items = (found.communicationItems ?? []).map((item) => {
					const value =
						item.type?.name === 'Direct'
							? user.phone
							: item.type?.name === 'Cell'
								? user.mobile
								: item.value;
					return { ...item, value: value || item.value };
				});
				await clients.connectwise.put(`/company/contacts/${found.id}`, {
					...found,
					firstName: user.firstName,
					lastName: user.lastName,
					title: user.title,
					communicationItems: items,
				});
			} else {
				await clients.connectwise.create('/company/contacts', {
					firstName: user.firstName,
					lastName: user.lastName,
					title: user.title,
					company: { id: Number(companyId) },
				});
			}
		}
	}
}

/**
 * The naive sync with the same latency, in a sandbox process of its own: the listing in full, then
 * the first `slice` users; calls and time extrapolated to every user (they grow by exactly one
 * lookup and one write per user).
 */
export async function benchNaive(
	data: SyncSeed,
	options: {
		latencyMs: number;
		slice: number;
		ours: Record<Psa, { calls: number; wallMs: number }>;
	},
): Promise<NaiveResult[]> {
	const results: NaiveResult[] = [];
	for (const psa of PSAS) {
		const companyId = companyIdOf(psa, data.scenario);
		const remote = await RemoteSandbox.start({
			size: data.size,
			changeRate: data.changeRate,
			latencyMs: options.latencyMs,
		});
		try {
			const clients = naiveClients(remote.credentials);
			let started = performance.now();
			const users = await naiveUsers(clients);
			const listingWallMs = performance.now() - started;
			const listed = await remote.report();
			started = performance.now();
			const slice = users.slice(0, options.slice);
			await naiveApply(clients, psa, companyId, slice);
			const sliceWallMs = performance.now() - started;
			const sliceCalls = (await remote.report(listed.seq)).calls;
			const extrapolatedCalls =
				listed.calls.total + Math.round((sliceCalls.total / slice.length) * users.length);
			const extrapolatedWallMs = Math.round(
				listingWallMs + (sliceWallMs / slice.length) * users.length,
			);
			const ours = options.ours[psa];
			const result: NaiveResult = {
				psa,
				users: users.length,
				slice: slice.length,
				listingCalls: listed.calls,
				sliceCalls,
				listingWallMs: Math.round(listingWallMs),
				sliceWallMs: Math.round(sliceWallMs),
				extrapolatedCalls,
				extrapolatedWallMs,
				oursCalls: ours.calls,
				oursWallMs: ours.wallMs,
				callRatio: round(extrapolatedCalls / ours.calls, 1),
				wallRatio: round(extrapolatedWallMs / ours.wallMs, 1),
			};
			if (psa === 'autotask')
				result.autotaskHourlyBudgetShare = round(
					(extrapolatedCalls - listed.calls.sourceReads) / 10_000,
					3,
				);
			results.push(result);
		} finally {
			await remote.stop();
		}
	}
	return results;
}
