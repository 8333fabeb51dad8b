import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { parseDomains } from '../../../lib/contacts/domains';
import { buildUserQuery, removedUserContact } from '../../../lib/contacts/graph';
import type { GraphRemovedUser, GraphUser } from '../../../lib/transport/graph';
import type { RoutedJson } from '../../shared/items';
import { GRAPH_CREDENTIAL, tenantOf } from '../clients';
import { emailDomainsFilter, excludeSharedFilter, membersOnlyFilter } from '../descriptions/user';
import { removedUser, routeUser, runUserItems } from './outputs';

const getChanges = { show: { resource: ['user'], operation: ['getChanges'] } };

export const description: INodeProperties[] = [
	{
		displayName:
			'The position (delta link) is saved only by production runs. A manual run shows the changes since the saved position without moving it; with no saved position it returns every user.',
		name: 'manualRunNotice',
		type: 'notice',
		default: '',
		displayOptions: getChanges,
	},
	{
		displayName: 'Filters',
		name: 'changeFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: { membersOnly: true },
		description:
			'Disabled, unlicensed and removed users are always reported (as inactive), so a sync can deactivate them',
		displayOptions: getChanges,
		options: [
			emailDomainsFilter('Removed users carry no address and are always returned.'),
			excludeSharedFilter(
				'Whether to leave out accounts that look like shared, room or equipment mailboxes (best effort, see Get Many)',
			),
			membersOnlyFilter('Whether to leave out guests (userType Guest and #EXT# accounts)'),
		],
	},
];

/** Where Get Changes keeps its position, per tenant, in the node's workflow static data. */
interface DeltaPosition {
	link: string;
	/** The link the last round started from, for "Replay Previous Changes". */
	previousLink: string;
	/** The $select the link was made with: a link made for other properties is not reused. */
	select: string;
	savedAt: string;
}

/**
 * The users changed or removed since the saved position (a delta round), per tenant; the first
 * round, or one whose position expired, reads every user. Items run one after another: each
 * moves a saved position.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runUserItems(this, 1, async (itemIndex, { graph: client, select, simplify }) => {
		const graph = client();
		const raw = this.getNodeParameter('changeFilters', itemIndex, {}) as IDataObject;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const query = buildUserQuery({
			enabledOnly: false,
			licensedOnly: false,
			membersOnly: raw.membersOnly === true,
			domains: parseDomains(raw.emailDomains, 'Email Domains'),
			excludeShared: raw.excludeShared === true,
		});

		// The position is kept per tenant: the item's tenant, or the credential's.
		const tenant =
			tenantOf(this, itemIndex) ||
			String((await this.getCredentials(GRAPH_CREDENTIAL, itemIndex)).tenantId ?? '').trim();
		const key = tenant.toLowerCase();
		const staticData = this.getWorkflowStaticData('node');
		const positions = (staticData.deltaPositions ?? {}) as Record<string, DeltaPosition>;
		const saved = positions[key];
		const selectKey = select.join(',');
		let link: string | undefined;
		let sync: 'initial' | 'incremental' | 'resync' = 'initial';
		let syncNote: string | undefined;
		if (saved && options.startOver !== true) {
			if (saved.select !== selectKey) {
				syncNote = 'The properties read changed since the saved position: this is a full read.';
			} else {
				link =
					options.replayPrevious === true && saved.previousLink ? saved.previousLink : saved.link;
				sync = 'incremental';
			}
		}

		const round = await graph.deltaOrFullRead({ select, link });
		if (round.expired) {
			sync = 'resync';
			syncNote = `The saved position expired (${round.expired.vendorCode ?? `HTTP ${round.expired.httpCode}`}): this is a full read of every user. Users removed since the last run are not listed; a full comparison finds them.`;
		}

		// Manual runs are not saved by n8n; the node does not even try, so a preview never moves the position.
		if (this.getMode() !== 'manual') {
			staticData.deltaPositions = {
				...positions,
				[key]: {
					link: round.deltaLink,
					previousLink: link ?? '',
					select: selectKey,
					savedAt: new Date().toISOString(),
				},
			};
		}

		const meta = (changeType: string): IDataObject => {
			const extra: IDataObject = { changeType, sync };
			if (syncNote) extra.syncNote = syncNote;
			return extra;
		};
		const out: RoutedJson[] = [];
		for (const item of round.items) {
			const removed = (item as GraphRemovedUser)['@removed'];
			if (removed) {
				const base: IDataObject = simplify
					? { ...(removedUserContact(String(item.id)) as unknown as IDataObject) }
					: ({ ...item } as IDataObject);
				out.push(removedUser({ ...base, ...meta('removed'), removedReason: removed.reason }));
				continue;
			}
			const user = item as GraphUser;
			if (!query.accepts(user)) continue;
			out.push(routeUser(user, simplify, meta(sync === 'incremental' ? 'changed' : 'current')));
		}
		return out;
	});
}
