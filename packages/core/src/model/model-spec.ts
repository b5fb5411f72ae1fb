// The variant contract: what every model package exports about its model, in one typed bundle
// (name, defaults, schema, a validating parser, a factory) that registries, checkpoints and the
// experiments app read. Config is plain JSON, defaulted in one place, validated at the edge.
import type { z } from 'zod';
import { parseWith } from '../util/validate.js';

export interface ModelSpec<Config, Model> {
  /** The variant's name: registries key on it and checkpoints are stamped with it. */
  readonly name: string;
  readonly defaultConfig: Config;
  readonly configSchema: z.ZodType<Config>;
  /** Validates a (partial) config over the defaults; unknown keys are errors naming the field. */
  parseConfig(input: unknown): Config;
  /** A model from a (partial) config, validated first. */
  create(input?: unknown): Model;
}

/** A validating parser over defaults: `{...defaults, ...input}` checked by the schema, errors prefixed by `what`. */
export function configParser<Config>(schema: z.ZodType<Config>, defaults: Config, what: string): (input: unknown) => Config {
  return (input) => parseWith(schema, typeof input === 'object' && input !== null ? { ...defaults, ...input } : input, what) as Config;
}

export function defineModelSpec<Config, Model>(spec: {
  name: string;
  defaultConfig: Config;
  configSchema: z.ZodType<Config>;
  build(config: Config): Model;
}): ModelSpec<Config, Model> {
  const parseConfig = configParser(spec.configSchema, spec.defaultConfig, `${spec.name} config`);
  return {
    name: spec.name, defaultConfig: spec.defaultConfig, configSchema: spec.configSchema, parseConfig,
    create: (input = {}) => spec.build(parseConfig(input)),
  };
}
