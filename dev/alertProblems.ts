/**
 * Alerts to raise in the Datto sandbox for the alert tests and benchmarks: a seed device by the
 * start of its uid, and a different problem for each index (so no two are one problem).
 */
import type { Sandbox } from '../sandbox';
import type { RaiseAlertInput } from '../sandbox/datto/state';

/** The uid of the seed's Datto device whose uid starts with `prefix`. */
export function seedDevice(sandbox: Sandbox, prefix: string): string {
	const found = sandbox.datto.devices.find((d) => d.uid.startsWith(prefix));
	if (!found) throw new Error(`The seed has no Datto device ${prefix}`);
	return found.uid;
}

/**
 * A different problem each time: services, disks, processes, event codes. `tag` keeps the
 * problems of one run apart from another's (it names them, and is the event log source).
 */
export function variedProblem(index: number, tag = ''): RaiseAlertInput['alertContext'] {
	switch (index % 4) {
		case 0:
			return { '@class': 'srvc_status_ctx', serviceName: `${tag}Svc${index}`, status: 'STOPPED' };
		case 1:
			return {
				'@class': 'perf_disk_usage_ctx',
				diskName: `${tag}Vol${index}`,
				freeSpace: 1,
				totalVolume: 100,
				unitOfMeasure: 'GB',
			};
		case 2:
			return {
				'@class': 'process_status_ctx',
				processName: `${tag}proc${index}.exe`,
				status: 'NOT_RUNNING',
			};
		default:
			return {
				'@class': 'eventlog_ctx',
				logName: 'System',
				code: 7000 + index,
				source: tag || 'Service Control Manager',
				type: 'ERROR',
				description: 'failed',
			};
	}
}
