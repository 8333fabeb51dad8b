/** Autotask's records and metadata as its REST API returns them. */

export interface AutotaskPage<T> {
	items: T[];
	pageDetails?: {
		count?: number;
		requestCount?: number;
		nextPageUrl?: string | null;
		prevPageUrl?: string | null;
	};
}

export interface AutotaskFieldInfo {
	name: string;
	dataType: string;
	length: number;
	isRequired: boolean;
	isReadOnly: boolean;
	isQueryable: boolean;
	isReference: boolean;
	referenceEntityType?: string;
	isPickList: boolean;
	picklistValues?: AutotaskPicklistValue[] | null;
	picklistParentValueField?: string;
}

export interface AutotaskPicklistValue {
	value: string;
	label: string;
	isDefaultValue?: boolean;
	sortOrder?: number;
	parentValue?: string;
	isActive?: boolean;
	isSystem?: boolean;
}

export interface AutotaskEntityInfo {
	name: string;
	canCreate: boolean;
	canDelete: boolean;
	canQuery: boolean;
	canUpdate: boolean;
	userAccessForCreate?: string;
	userAccessForDelete?: string;
	userAccessForQuery?: string;
	userAccessForUpdate?: string;
}

export interface AutotaskResource {
	id: number;
	firstName?: string | null;
	lastName?: string | null;
	email?: string | null;
	email2?: string | null;
	email3?: string | null;
	isActive?: boolean;
	/** The role a ticket assignment uses when none is given (assignedResourceRoleID). */
	defaultServiceDeskRoleID?: number | null;
}

export interface AutotaskThreshold {
	externalRequestThreshold: number;
	requestThresholdTimeframe: number;
	currentTimeframeRequestCount: number;
}

export interface AutotaskWriteOptions {
	/** Sent as ImpersonationResourceId: the record is created by and attributed to this resource. */
	impersonateResourceId?: string;
	/**
	 * After a failure where the create may have landed (a reset, a gateway timeout), look for the
	 * record by its natural key (an email, an external id) and return its id if it is there.
	 */
	findExisting?: () => Promise<number | undefined>;
}
