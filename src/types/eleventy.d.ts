// Eleventy ships JavaScript without type declarations; this is the part Broadsheet calls.
declare module "@11ty/eleventy" {
  export interface EleventyOptions {
    /** false: read no config file. */
    configPath?: string | false;
    /** Configures this instance, as a config file would. */
    config?: (eleventyConfig: import("../site/plugin.ts").EleventyConfig) => void;
    quietMode?: boolean;
    pathPrefix?: string;
    source?: "cli" | "script";
    runMode?: "build" | "serve" | "watch";
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    init(): Promise<void>;
    write(): Promise<unknown>;
    /** Runs once, then watches; returns what runs again for a changed file, as a save would. */
    watch(): Promise<(file: string) => Promise<void>>;
    /** Stops watching and closes the server. */
    stopWatch(): Promise<void>;
    serve(port?: number): Promise<void>;
    close(): Promise<void>;
  }
}
