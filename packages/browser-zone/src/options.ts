/**
 * Options of the `await` transform plugins, on their own so that a bundler's entry
 * does not pull another bundler's types into a user's program.
 * @module
 */

/** Options for the `await` transform plugin. */
export interface AwaitTransformOptions {
  /** Which modules to rewrite, by id. Default: JavaScript and TypeScript files outside `node_modules`. */
  readonly include?: RegExp | ((id: string) => boolean);
  /** Which modules to leave alone, by id; wins over `include`. Default: `node_modules`. */
  readonly exclude?: RegExp | ((id: string) => boolean);
  /** The module rewritten code imports its helpers from. Default `@tasklocal/browser-zone/runtime`. */
  readonly runtime?: string;
}
