/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake identities of the local sandbox, never shipped in dist */
import axios from 'axios';

import { AutotaskApi } from '../../credentials/AutotaskApi.credentials';
import { AutotaskClient } from '../../lib/transport/autotask';
import { emptySeed } from '../../sandbox';
import type { Sandbox, Seed } from '../../sandbox';
import { SANDBOX_IDENTITIES } from '../../sandbox/credentials';
import { DirectClient } from '../../dev/directClient';

export const COMPANY = { msp: 0, contoso: 174, fabrikam: 175, northwind: 176 };
/** A second API user for security-level tests (its rights are set per test). */
export const READ_ONLY_API_USER = {
	username: 'readonly-api@sandbox-msp.example',
	secret: 'RO-SECRET-sandbox-1',
	integrationCode: 'ATCODERESTRICTEDSANDBOX0001',
	resourceId: 29682886,
};

/** A secret Autotask rejects (401), for leak checks. */
export const WRONG_SECRET = 'WRONG-SECRET-4d1f9a-not-the-real-one';

export const RESOURCE = {
	alice: 29683001,
	bob: 29683002,
	carol: 29683003,
	dave: 29683004,
};

/** A small, vendor-native Autotask tenant for the Autotask tests. */
export function autotaskSeed(): Seed {
	const seed = emptySeed();
	seed.autotask.companies = [
		{
			id: COMPANY.msp,
			companyName: 'Sandbox MSP',
			companyType: 8,
			isActive: true,
			phone: '+1 425 555 0100',
			ownerResourceID: RESOURCE.alice,
		},
		{
			id: COMPANY.contoso,
			companyName: 'Contoso Ltd',
			companyType: 1,
			isActive: true,
			phone: '+1 425 555 0101',
			ownerResourceID: RESOURCE.alice,
		},
		{
			id: COMPANY.fabrikam,
			companyName: 'Fabrikam Inc',
			companyType: 1,
			isActive: true,
			phone: '+1 425 555 0102',
			ownerResourceID: RESOURCE.alice,
		},
		{
			id: COMPANY.northwind,
			companyName: 'Northwind Traders',
			companyType: 3,
			isActive: false,
			phone: '+1 425 555 0103',
			ownerResourceID: RESOURCE.alice,
		},
	];
	seed.autotask.resources = [
		{
			id: RESOURCE.alice,
			firstName: 'Alice',
			lastName: 'Tech',
			email: 'alice@sandbox-msp.example',
			userName: 'alice',
			isActive: true,
			licenseType: 1,
		},
		{
			id: RESOURCE.bob,
			firstName: 'Bob',
			lastName: 'Gone',
			email: 'bob@sandbox-msp.example',
			userName: 'bob',
			isActive: false,
			licenseType: 1,
		},
		{
			id: RESOURCE.carol,
			firstName: 'Carol',
			lastName: 'Locked',
			email: 'carol@sandbox-msp.example',
			userName: 'carol',
			isActive: true,
			licenseType: 1,
			_sandbox: { allowImpersonation: false },
		},
		{
			id: RESOURCE.dave,
			firstName: 'Dave',
			lastName: 'Ops',
			email: 'dave@sandbox-msp.example',
			email2: 'Dave.Ops@Other.example',
			userName: 'dave',
			isActive: true,
			licenseType: 1,
		},
	];
	seed.autotask.contacts = [
		{
			id: 30682001,
			companyID: COMPANY.contoso,
			firstName: 'Ann',
			lastName: 'Lee',
			emailAddress: 'Ann.Lee@Contoso.example',
			title: 'CEO',
			phone: '+1 425 555 0110',
			mobilePhone: null,
			isActive: 1,
			lastModifiedDate: '2026-01-10T08:00:00.000Z',
			userDefinedFields: [
				{ name: 'Customer Tier', value: 'Gold' },
				{ name: 'Region', value: 'West' },
			],
		},
		{
			id: 30682002,
			companyID: COMPANY.contoso,
			firstName: 'Ben',
			lastName: "O'Neil",
			emailAddress: 'ben@contoso.example',
			emailAddress2: 'ben.oneil@contoso.example',
			title: '',
			phone: '',
			isActive: 1,
			lastModifiedDate: '2026-03-01T08:00:00.000Z',
			userDefinedFields: [{ name: 'Customer Tier', value: 'Silver' }],
		},
		{
			id: 30682003,
			companyID: COMPANY.contoso,
			firstName: 'Cleo',
			lastName: 'Old',
			emailAddress: 'cleo@contoso.example',
			isActive: 0,
			lastModifiedDate: '2025-06-01T08:00:00.000Z',
		},
		{
			id: 30682004,
			companyID: COMPANY.fabrikam,
			firstName: 'Dana',
			lastName: 'Øster',
			emailAddress: 'dana@fabrikam.example',
			emailAddress3: 'ann.lee@contoso.example',
			title: 'IT Manager',
			isActive: 1,
			lastModifiedDate: '2026-05-01T08:00:00.000Z',
		},
		{
			id: 30682005,
			companyID: COMPANY.fabrikam,
			firstName: 'Eve',
			lastName: 'NoMail',
			emailAddress: null,
			isActive: 1,
			lastModifiedDate: '2026-05-02T08:00:00.000Z',
		},
	];
	seed.autotask.configurationItems = [
		{
			id: 5001,
			companyID: COMPANY.contoso,
			productID: 1,
			isActive: true,
			referenceTitle: 'CONTOSO-DC01',
			rmmDeviceUID: 'a1b2c3d4-0001',
			serialNumber: 'SN-0001',
			configurationItemType: 2,
		},
		{
			id: 5002,
			companyID: COMPANY.fabrikam,
			productID: 1,
			isActive: true,
			referenceTitle: 'FAB-WS17',
			rmmDeviceUID: 'a1b2c3d4-0002',
			serialNumber: 'SN-0002',
			configurationItemType: 1,
		},
	];
	seed.autotask.tickets = [
		{
			id: 7001,
			ticketNumber: 'T20261101.0001',
			companyID: COMPANY.contoso,
			title: 'Disk space low on CONTOSO-DC01',
			status: 1,
			priority: 2,
			queueID: 29683481,
			ticketType: 5,
			configurationItemID: 5001,
			externalID: 'rmm:alert-1',
			createDate: '2026-11-01T09:00:00.000Z',
			creatorResourceID: RESOURCE.alice,
			creatorType: 1,
		},
		{
			id: 7002,
			ticketNumber: 'T20261101.0002',
			companyID: COMPANY.fabrikam,
			title: 'Printer jam',
			status: 5,
			priority: 3,
			completedDate: '2026-11-01T12:00:00.000Z',
			createDate: '2026-11-01T10:00:00.000Z',
			creatorResourceID: RESOURCE.alice,
			creatorType: 1,
		},
	];
	seed.autotask.ticketNotes = [
		{
			id: 31101,
			ticketID: 7001,
			title: 'Alert fired',
			description: 'Disk C: below 10%',
			noteType: 1,
			publish: 1,
			createDateTime: '2026-11-01T09:00:00.000Z',
			creatorResourceID: RESOURCE.alice,
		},
	];
	seed.autotask.timeEntries = [
		{
			id: 52001,
			ticketID: 7001,
			resourceID: RESOURCE.alice,
			roleID: 29682834,
			dateWorked: '2026-11-01T00:00:00.000Z',
			hoursWorked: 0.5,
			summaryNotes: 'Cleared temp files',
		},
	];
	return seed;
}

/** The transport over plain HTTP, with the real credential class, pointed at the sandbox. */
export function directAutotask(sandbox: Sandbox, overrides: Record<string, string> = {}) {
	const http = new DirectClient(new AutotaskApi(), {
		...sandbox.credentials.autotaskApi,
		...overrides,
		resolvedZone: '',
	});
	return { http, client: new AutotaskClient(http) };
}

/** A request exactly as written (headers included), for checking the sandbox's own answers. */
export async function rawAutotask(
	sandbox: Sandbox,
	method: string,
	path: string,
	options: {
		body?: unknown;
		headers?: Record<string, string>;
		auth?: Partial<Record<'username' | 'secret' | 'integrationCode', string>>;
	} = {},
) {
	const identity = { ...SANDBOX_IDENTITIES.autotask, ...options.auth };
	const url = /^https?:/.test(path) ? path : `${sandbox.urls.autotask}/ATServicesRest/V1.0${path}`;
	const response = await axios.request({
		method,
		url,
		data: options.body,
		headers: {
			ApiIntegrationCode: identity.integrationCode,
			UserName: identity.username,
			Secret: identity.secret,
			'Content-Type': 'application/json',
			...options.headers,
		},
		validateStatus: () => true,
	});
	return {
		status: response.status,
		body: response.data as Record<string, unknown> & {
			errors?: string[];
			items?: Array<Record<string, unknown>>;
		},
	};
}
