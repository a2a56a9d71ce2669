/** Keeps secrets out of anything we print or store. */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly string[]) {
    // Very short "secrets" would redact ordinary text; real keys are long.
    this.secrets = secrets.filter((s) => s.length >= 8);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[REDACTED]');
    return out;
  }
}

/** A base URL as we may show and key it: credentials, query and fragment dropped, no trailing slash. */
export function endpointLabel(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return baseUrl.replace(/\/+$/, '');
  }
}
