import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible TTS endpoint for tests: `POST /v1/audio/speech` answers with a WAV
 * (a tone whose length follows the input text) the way a streaming server writes it — 24 kHz
 * PCM16 with 0xFFFFFFFF in the RIFF and data sizes — and records each request.
 */
export class TtsServer {
  readonly requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  /** Status to answer with instead of audio (e.g. 500 to test retries); consumed one per request. */
  failures: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TtsServer> {
    const ref: { self?: TtsServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const self = ref.self!;
        if (req.method !== 'POST' || req.url !== '/v1/audio/speech') {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        self.requests.push({ headers: req.headers, body });
        const fail = self.failures.shift();
        if (fail !== undefined) {
          res.writeHead(fail, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'audio/wav' }).end(streamedWav(String(body.input ?? '').length));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const self = new TtsServer(server, (server.address() as AddressInfo).port);
    ref.self = self;
    return self;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** 24 kHz PCM16: 50 ms of a 440 Hz tone per character, header sizes 0xFFFFFFFF (unknown length). */
function streamedWav(chars: number): Buffer {
  const rate = 24000;
  const n = Math.max(1, chars) * (rate / 20);
  const buf = Buffer.alloc(44 + 2 * n);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(0xffffffff, 4);
  buf.write('WAVEfmt ', 8, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(0xffffffff, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + 2 * i);
  return buf;
}
