import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { AGENT_GREETING } from './prompts.ts';
import { STOP_TOKEN, type UserContext, type UserEpisode, type UserReply, type UserSimulator } from './user.ts';

export interface HumanIo {
  /** Where the person types, one message per line (default stdin). */
  input?: Readable;
  /** Where the instruction and the agent's messages are shown (default stdout). */
  output?: Writable;
}

/**
 * τ-bench's HumanUserSimulationEnv: a person plays the customer. The hidden instruction and each
 * agent message are written to `output`; each line read from `input` is the next user message.
 * An empty line or a line containing ###STOP### ends the conversation, and so does the end of
 * the input (an empty line and end of input are sent as ###STOP###). One line reader serves all
 * the simulator's episodes, so lines typed ahead are not lost between episodes.
 */
export class HumanUser implements UserSimulator {
  readonly name = 'human';
  readonly #input: Readable;
  readonly #output: Writable;
  #lines: AsyncIterator<string> | undefined;
  #reader: Interface | undefined;

  constructor(io: HumanIo = {}) {
    this.#input = io.input ?? process.stdin;
    this.#output = io.output ?? process.stdout;
  }

  start(ctx: UserContext): UserEpisode {
    const show = (text: string): void => {
      this.#output.write(text);
    };
    const next = (signal?: AbortSignal): Promise<UserReply> => this.readReply(signal);
    return {
      first: (signal) => {
        show(`\n=== Task ${ctx.task.id} (trial ${ctx.trial}) ===\nYou are the customer. Your instruction:\n${ctx.task.instruction}\n\nType one message per line; an empty line or ${STOP_TOKEN} ends the conversation.\nagent: ${AGENT_GREETING}\nyou> `);
        return next(signal);
      },
      reply: (agentText, signal) => {
        show(`agent: ${agentText}\nyou> `);
        return next(signal);
      },
    };
  }

  /** Stops reading (the input stream itself is left open: it may be stdin). */
  close(): void {
    this.#reader?.close();
  }

  private async readReply(signal?: AbortSignal): Promise<UserReply> {
    signal?.throwIfAborted();
    this.#reader ??= createInterface({ input: this.#input, terminal: false, crlfDelay: Infinity });
    this.#lines ??= this.#reader[Symbol.asyncIterator]();
    const pending = this.#lines.next();
    const r = signal ? await abortable(pending, signal) : await pending;
    if (r.done) return { content: STOP_TOKEN, stop: true };
    const line = r.value.trim();
    if (line === '') return { content: STOP_TOKEN, stop: true };
    return { content: line, stop: line.includes(STOP_TOKEN) };
  }
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
