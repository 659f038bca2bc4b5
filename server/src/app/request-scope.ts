import { AsyncLocalStorage } from 'node:async_hooks';

// Lets the error formatter and logs name the request without threading it through every call.
const scope = new AsyncLocalStorage<{ requestId: string }>();

export const runInRequestScope = <T>(requestId: string, fn: () => T): T => scope.run({ requestId }, fn);
export const currentRequestId = (): string | undefined => scope.getStore()?.requestId;
