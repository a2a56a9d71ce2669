#!/usr/bin/env node
// The `tarl` command. Sources run through tsx's loader, so there is no build step between
// a change and the command (the loader transpiles each module once per process).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
