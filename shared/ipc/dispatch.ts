/**
 * The one place requests are validated, for every transport (Electron IPC and the host-mode
 * bridge). A handler set implements every request of the contract; `dispatch` parses the
 * name and input, runs the handler, checks the output against the contract (so a core bug
 * cannot leak a field the renderer must not see) and always resolves to an IpcResult.
 */
import { requests, type RequestName, type RequestOutput, type RequestParsed } from './contract';
import { isRequestName } from './names';
import { fail, ok, type IpcErrorCode, type IpcResult } from './result';

export type Handlers = {
  [N in RequestName]: (input: RequestParsed<N>) => Promise<RequestOutput<N>> | RequestOutput<N>;
};

/** Thrown by handlers for failures the user should see with a specific code. */
export class IpcError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}

export async function dispatch(
  handlers: Handlers,
  name: unknown,
  input: unknown,
  onInternalError: (name: RequestName, err: unknown) => void = () => {},
): Promise<IpcResult<unknown>> {
  if (!isRequestName(name)) return fail('unknown_request', `unknown request ${String(name).slice(0, 64)}`);
  const spec = requests[name];
  const parsed = spec.input.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return fail('invalid_input', `${field}${issue?.message ?? 'invalid input'}`);
  }
  try {
    const handler = handlers[name] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      onInternalError(name, checked.error);
      return fail('internal', `the core returned an invalid ${name} result`);
    }
    return ok(checked.data);
  } catch (err) {
    if (err instanceof IpcError) return fail(err.code, err.message);
    onInternalError(name, err);
    return fail('internal', 'something went wrong in the core');
  }
}
