/** Debian's `chromium` package. */
export declare const DEFAULT_CHROMIUM_PATH: string;
/** The Chromium binary: `CHROMIUM_PATH` (which `npm test` sets), else Debian's. */
export declare function chromiumPath(): string;
/** Flags that work on this kind of machine (root, no GPU, no network beyond the registries). */
export declare const CHROMIUM_ARGS: readonly string[];
