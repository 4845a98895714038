/** Type declarations for find-chromium.mjs (imported by playwright.config.ts). */
export declare const INSTALL_HELP: string;
export declare function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
export declare const CHROMIUM_ARGS: string[];
