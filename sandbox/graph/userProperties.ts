/**
 * The user properties the Graph sandbox knows: all of them, the defaults of a request without
 * $select, those only a single-user GET returns, and the collection-valued ones.
 */

export type GraphUser = Record<string, unknown> & { id: string };

/** The user properties of the trimmed contract plus the other default ones Graph returns. */
export const USER_PROPERTIES = [
	'id',
	'deletedDateTime',
	'accountEnabled',
	'assignedLicenses',
	'businessPhones',
	'companyName',
	'createdDateTime',
	'department',
	'displayName',
	'employeeId',
	'givenName',
	'jobTitle',
	'mail',
	'mailNickname',
	'mobilePhone',
	'officeLocation',
	'onPremisesSyncEnabled',
	'otherMails',
	'preferredLanguage',
	'proxyAddresses',
	'surname',
	'usageLocation',
	'userPrincipalName',
	'userType',
];

/** Returned when the request has no $select (user-list.md). */
export const DEFAULT_USER_PROPERTIES = [
	'businessPhones',
	'displayName',
	'givenName',
	'id',
	'jobTitle',
	'mail',
	'mobilePhone',
	'officeLocation',
	'preferredLanguage',
	'surname',
	'userPrincipalName',
];

/** Only on a single-user GET; on /users they answer 501 (user-list.md). */
export const SINGLE_USER_ONLY_PROPERTIES = [
	'aboutMe',
	'birthday',
	'hireDate',
	'interests',
	'mySite',
	'pastProjects',
	'preferredName',
	'responsibilities',
	'schools',
	'skills',
	'mailboxSettings',
];

export const COLLECTION_PROPERTIES = [
	'assignedLicenses',
	'businessPhones',
	'otherMails',
	'proxyAddresses',
];
