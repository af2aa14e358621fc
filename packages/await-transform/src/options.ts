/**
 * Options of the `await` transform plugins, on their own so that a bundler's entry
 * does not pull another bundler's types into a user's program.
 * @module
 */

/**
 * Which module ids a plugin option matches, as `@rollup/pluginutils`' `createFilter` reads it: a
 * picomatch glob (resolved against the current directory unless absolute or starting with `**`),
 * a RegExp, an array of those, or a function of the id.
 */
export type IdFilter = string | RegExp | readonly (string | RegExp)[] | ((id: string) => boolean);

/** Options for the `await` transform plugin. */
export interface AwaitTransformOptions {
  /** Which modules to rewrite, by id (without its `?query`). Default: JavaScript and TypeScript files. */
  readonly include?: IdFilter | null | undefined;
  /** Which modules to leave alone, by id (without its `?query`); wins over `include`. Default: `node_modules`. */
  readonly exclude?: IdFilter | null | undefined;
  /** The module rewritten code imports its helpers from. Default `@tasklocal/browser-zone/runtime`. */
  readonly runtime?: string | undefined;
}
