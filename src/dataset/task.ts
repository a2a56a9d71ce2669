import type { PyDict } from '../py/value.ts';

/** One ground-truth action: a tool name and its keyword arguments (read losslessly). */
export interface Action {
  name: string;
  kwargs: PyDict;
}

/** What a scripted user knows and wants (generated tasks only; shape owned by the generator). */
export type Intent = Readonly<Record<string, unknown>>;

export interface Task {
  /** Stable id within its dataset, e.g. `test/12`. */
  id: string;
  domain: string;
  split: string;
  /** Position in its split (τ-bench's task index). */
  index: number;
  userId: string;
  /** The hidden instruction the user simulator follows. */
  instruction: string;
  actions: Action[];
  /** Strings the agent must say to the user (case-insensitive, commas removed). */
  outputs: string[];
  annotator?: string;
  intent?: Intent;
  difficulty?: number;
  /** Generated tasks: request kind(s), e.g. `cancel_order+return_items`. */
  kind?: string;
  /** Id of the dataset world this task runs in (datasets may hold several worlds). */
  world?: string;
  /** Generated tasks: the ground truth with one argument changed (or a forbidden write added); verifies 0. */
  nearMiss?: Action[];
}

