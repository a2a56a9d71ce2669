import { airline } from '../../src/domains/airline/index.ts';
import { readTaubenchData } from '../../src/dataset/taubench.ts';
import { WorldTemplate } from '../../src/sandbox/template.ts';
import { taubenchDir } from './taubench.ts';

export { taubenchDir };


let template: WorldTemplate | undefined;

/** The airline world built straight from the domain (independent of the domain registry). */
export function airlineTemplate(): WorldTemplate {
  template ??= WorldTemplate.build(airline, readTaubenchData(taubenchDir(), 'airline', airline.tables));
  return template;
}

