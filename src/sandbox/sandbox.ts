import { PyError } from '../py/errors.ts';
import { fromJs, type PyDict } from '../py/value.ts';
import { bindPyArgs } from './invoke.ts';
import type { WorldTemplate } from './template.ts';
import type { Tool } from './tool.ts';
import { World, type ChangedRecords } from './world.ts';

/**
 * One isolated world for one episode, with its domain's tools. `call` never throws: a Python
 * exception becomes `Error: …` and an unknown name `Unknown action …`, exactly as τ-bench's
 * `Env.step` reports them; an unexpected fault in our own code becomes an `Error: internal …`
 * observation rather than a crash.
 */
export class Sandbox {
  readonly world: World;
  readonly tools: ReadonlyMap<string, Tool>;

  constructor(readonly template: WorldTemplate) {
    this.world = new World(template);
    this.tools = toolMap(template.domain.tools);
  }

  /** Calls a tool with keyword arguments (a PyDict, or a plain object read as Python values). */
  call(name: string, kwargs: PyDict | Record<string, unknown> = new Map()): string {
    const tool = this.tools.get(name);
    if (!tool) return `Unknown action ${name}`;
    const args: PyDict = kwargs instanceof Map ? kwargs : (fromJs(kwargs) as PyDict);
    const write = tool.kind === 'write';
    try {
      const bound = bindPyArgs(tool.py, args);
      if (write) this.world.beginWrite();
      return tool.run(this.world, bound);
    } catch (e) {
      if (e instanceof PyError) return `Error: ${e.pyMessage}`;
      return `Error: internal error in ${name}: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      if (write) this.world.endWrite();
    }
  }

  stateHash(): string {
    return this.world.stateHash();
  }

  changedRecords(): ChangedRecords {
    return this.world.changedRecords();
  }

  close(): void {
    this.world.close();
  }
}

const toolMaps = new WeakMap<readonly Tool[], ReadonlyMap<string, Tool>>();
function toolMap(tools: readonly Tool[]): ReadonlyMap<string, Tool> {
  let m = toolMaps.get(tools);
  if (!m) toolMaps.set(tools, (m = new Map(tools.map((t) => [t.name, t]))));
  return m;
}

