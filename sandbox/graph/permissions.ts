/**
 * The application permissions the Graph sandbox checks, and what a tenant's app registration is
 * granted unless its seed says otherwise.
 */
/** Application permissions that allow reading users (least to most privileged). */
export const USER_READ_PERMISSIONS = [
	'User.Read.All',
	'User.ReadWrite.All',
	'Directory.Read.All',
	'Directory.ReadWrite.All',
];

/** Application permissions that allow reading the organization ("List organizations"). */
export const ORGANIZATION_READ_PERMISSIONS = [
	'Organization.Read.All',
	'Directory.Read.All',
	'Organization.ReadWrite.All',
	'Directory.ReadWrite.All',
];

/** Application permissions that allow reading GDAP customers and relationships. */
export const GDAP_READ_PERMISSIONS = [
	'DelegatedAdminRelationship.Read.All',
	'DelegatedAdminRelationship.ReadWrite.All',
];

/** What a tenant's app registration is granted unless its seed says otherwise. */
export const DEFAULT_PERMISSIONS = ['User.Read.All', 'Organization.Read.All'];
/** The partner's (the MSP's own tenant) grants: also GDAP. */
export const DEFAULT_PARTNER_PERMISSIONS = [...DEFAULT_PERMISSIONS, GDAP_READ_PERMISSIONS[0]];
