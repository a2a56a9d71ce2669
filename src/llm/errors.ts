/** Typed failures of the LLM client. Messages never carry the API key (the client redacts them). */

/** What went wrong on one attempt; the retryable kinds are retried within the budget. */
export type FailureKind = 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'bad_response' | 'client_error';

export interface AttemptFailure {
  kind: FailureKind;
  /** HTTP status when the server answered. */
  status?: number;
  message: string;
}

export class LlmError extends Error {
  constructor(
    message: string,
    readonly endpoint: string,
    readonly model: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/** The endpoint kept failing with retryable errors until the attempt or time budget ran out. */
export class LlmRetryBudgetError extends LlmError {
  constructor(
    endpoint: string,
    model: string,
    readonly attempts: number,
    readonly elapsedMs: number,
    readonly failures: readonly AttemptFailure[],
    readonly reason: string,
  ) {
    const last = failures[failures.length - 1];
    const what = last ? `${last.kind}${last.status !== undefined ? ` (HTTP ${last.status})` : ''}: ${last.message}` : 'no attempt made';
    super(
      `LLM call to ${endpoint} (model ${model}) failed after ${attempts} attempt(s) in ${Math.round(elapsedMs)} ms, ${reason}; last failure ${what}`,
      endpoint,
      model,
    );
    this.name = 'LlmRetryBudgetError';
  }

  get lastFailure(): AttemptFailure | undefined {
    return this.failures[this.failures.length - 1];
  }
}

/** The server rejected the request itself (4xx other than 408/429): retrying cannot help. */
export class LlmRequestError extends LlmError {
  constructor(
    endpoint: string,
    model: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`LLM call to ${endpoint} (model ${model}) was rejected${status !== undefined ? ` with HTTP ${status}` : ''}: ${detail}`, endpoint, model);
    this.name = 'LlmRequestError';
  }
}

/** The client cannot be built as configured (e.g. the API key variable is unset). */
export class LlmConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LlmConfigError';
  }
}
