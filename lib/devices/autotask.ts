import type { AutotaskClient, AutotaskFilter } from '../transport/autotask';
import { chunkForOrLimit } from '../transport/autotask';
import type { ItemWriter } from './apply';
import { DEVICE_FIELDS, DEVICE_UID_FIELD, itemSchema, MAPPING_FIELDS } from './fields';
import type { ItemSchema } from './fields';

/**
 * Autotask's side of the device sync, over the one Autotask transport: the configuration items'
 * field information and UDF definitions, the items of the mapped companies, the contracts the
 * rules name, and the writes (a create looked up by its device before it is ever repeated).
 */
export const ITEM_ENTITY = 'ConfigurationItems';

/** What the plan reads of an item, besides the synced fields. */
const ITEM_BASE_FIELDS = ['id', 'companyID', 'isActive', 'notes', DEVICE_UID_FIELD, 'serialNumber'];

export interface ContractInfo {
	id: number;
	companyID: number;
	contractName?: string | null;
	status?: number | null;
	isDefaultContract?: boolean | null;
}

export class AutotaskItemStore implements ItemWriter {
	private fieldNames: Set<string> | undefined;

	constructor(
		private readonly client: AutotaskClient,
		/** The configuration item UDF that holds the device uid; undefined = rmmDeviceUID. */
		private readonly keyUdf?: string,
	) {}

	/** The tenant's field information (and UDF definitions when `withUdfs`). */
	async schema(withUdfs: boolean): Promise<ItemSchema> {
		const fields = await this.client.fields(ITEM_ENTITY);
		this.fieldNames = new Set(fields.map((field) => field.name.toLowerCase()));
		const udfs = withUdfs ? await this.udfNames() : undefined;
		return itemSchema(fields, udfs);
	}

	/** The names of the configuration item UDFs the tenant defines. */
	async udfNames(): Promise<string[]> {
		const result = await this.client.request<{ fields?: Array<{ name?: string }> }>(
			'GET',
			`/${ITEM_ENTITY}/entityInformation/userDefinedFields`,
			{ idempotent: true },
		);
		return (result.fields ?? [])
			.map((field) => field.name)
			.filter((name): name is string => !!name);
	}

	/**
	 * Every item of these companies, active or not, in queries of at most 500 companies. Whole
	 * records when UDFs are needed (Autotask leaves them out of a field list [U]); otherwise only
	 * the fields the sync reads.
	 */
	async itemsOf(companyIds: number[], withUdfs: boolean): Promise<Record<string, unknown>[]> {
		const out: Record<string, unknown>[] = [];
		const known = this.fieldNames;
		const includeFields = withUdfs
			? undefined
			: [...ITEM_BASE_FIELDS, ...[...DEVICE_FIELDS, ...MAPPING_FIELDS].map((f) => f.field)].filter(
					(name) => !known || known.has(name.toLowerCase()),
				);
		for (const chunk of chunkForOrLimit([...new Set(companyIds)], 1)) {
			out.push(
				...(await this.client.query<Record<string, unknown>>(ITEM_ENTITY, {
					filter: [{ op: 'in', field: 'companyID', value: chunk }],
					includeFields,
				})),
			);
		}
		return out;
	}

	/** Contracts by id (the ones the rules name). */
	async contracts(ids: number[]): Promise<ContractInfo[]> {
		if (ids.length === 0) return [];
		return await this.client.queryByIds<ContractInfo>('Contracts', ids, [
			'id',
			'companyID',
			'contractName',
			'status',
			'isDefaultContract',
		]);
	}

	/** Each company's default contract (company id → contract id). */
	async defaultContracts(companyIds: number[]): Promise<Map<number, number>> {
		const out = new Map<number, number>();
		for (const chunk of chunkForOrLimit([...new Set(companyIds)], 1)) {
			const rows = await this.client.query<ContractInfo>('Contracts', {
				filter: [
					{ op: 'in', field: 'companyID', value: chunk },
					{ op: 'eq', field: 'isDefaultContract', value: true },
				],
				includeFields: ['id', 'companyID', 'isDefaultContract', 'status'],
			});
			for (const row of rows.sort((a, b) => a.id - b.id))
				if (!out.has(row.companyID)) out.set(row.companyID, row.id);
		}
		return out;
	}

	async create(
		body: Record<string, unknown>,
		find: () => Promise<number | undefined>,
	): Promise<number> {
		return await this.client.create(`/${ITEM_ENTITY}`, body, { findExisting: find });
	}

	async update(body: Record<string, unknown> & { id: number }): Promise<void> {
		await this.client.update(`/${ITEM_ENTITY}`, body);
	}

	/** The active item of a company that carries the device's uid (after a create whose answer was lost). */
	async findByDevice(companyId: number, deviceUid: string): Promise<number | undefined> {
		const key: AutotaskFilter = this.keyUdf
			? { op: 'eq', field: this.keyUdf, udf: true, value: deviceUid }
			: { op: 'eq', field: DEVICE_UID_FIELD, value: deviceUid };
		const found = await this.client.query<{ id: number }>(ITEM_ENTITY, {
			filter: [{ op: 'eq', field: 'companyID', value: companyId }, key],
			includeFields: ['id'],
			limit: 1,
		});
		return found[0]?.id;
	}
}
