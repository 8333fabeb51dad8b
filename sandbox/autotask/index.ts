// Placeholder until the Autotask sandbox lands: answers nothing.
import { Router } from '../core/http';
import type { VendorContext, VendorSandbox } from '../index';

export function createAutotaskSandbox(_seed: Record<string, unknown[]>, _context: VendorContext): VendorSandbox<Record<string, never>> {
	return { router: new Router(), state: {}, dump: () => ({}) };
}
