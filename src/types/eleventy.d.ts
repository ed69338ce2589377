// Eleventy ships JavaScript without type declarations; this is the part Broadsheet calls.
declare module "@11ty/eleventy" {
  export interface EleventyOptions {
    configPath?: string;
    quietMode?: boolean;
    pathPrefix?: string;
    source?: "cli" | "script";
    runMode?: "build" | "serve" | "watch";
  }
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    init(): Promise<void>;
    write(): Promise<unknown>;
    watch(): Promise<void>;
    serve(port?: number): Promise<void>;
    close(): Promise<void>;
  }
}
