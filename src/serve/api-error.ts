/** A request the service refuses, with the HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 408 | 409 | 413 | 429 | 503 | 504,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The one error body every REST failure uses: `{"error":{"code","message"}}`. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
